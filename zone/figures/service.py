"""The public service page: each step of becoming a resident, its legal basis and documents, and how long it
takes, measured from the zone's own decisions over the last 12 months (median and 90th percentile)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Step:
    title: object
    what: object
    basis: dict  # side → legal basis
    documents: tuple
    measured: str | None  # the processing-time key that measures it
    term: object | None  # what the law promises, for comparison


KZ_LAW = _l("Law of the Republic of Kazakhstan No. 242-VI of 3 April 2019 on special economic and industrial zones; "
            "the Tax Code")
UZ_LAW = _l("Law of the Republic of Uzbekistan ZRU-604 of 17 February 2020 on special economic zones; Presidential "
            "Resolution PP-283 of 6 August 2024; Cabinet of Ministers Resolution 452")
TREATY = _l("Intergovernmental agreement of 9 November 2023 on the ICIC “Central Asia” (KZ: ratified by Law "
            "No. 176-VIII of 27 March 2025)")

STEPS = (
    Step(_l("Register the company and fill in the application"),
         _l("Create an account for the company, choose the side (KZ or UZ), describe the project, its products "
            "(HS codes), investment and jobs, and upload the documents. The benefits check shows at once what the "
            "project qualifies for."),
         {"KZ": KZ_LAW, "UZ": UZ_LAW}, (
             _l("Charter"), _l("Certificate of state registration"), _l("Identity document of the director"),
             _l("Business plan or feasibility study"), _l("Financial statements (or an opening balance)"),
             _l("Proof of funds: a bank letter, guarantee or pledge"),
             _l("Foreign documents apostilled (companies registered abroad)")),
         None, None),
    Step(_l("Completeness check, review and decision"),
         _l("A reviewer checks that the application is complete and the activity is a priority one, may ask "
            "questions (the time to answer them counts here too) and recommends a decision; an approver, another "
            "person, decides. A refusal names its legal ground."),
         {"KZ": KZ_LAW, "UZ": UZ_LAW}, (), "submission_to_decision",
         _l("KZ: a decision within 10 days of a complete application.")),
    Step(_l("Certificate of residency"),
         _l("On approval the zone issues the certificate, signed electronically, with a QR code to verify it, and "
            "enters the company in the public register; tax and customs are notified."),
         {"KZ": KZ_LAW, "UZ": UZ_LAW}, (), "decision_to_certificate",
         _l("UZ (Navoi FEZ practice): a certificate within 2 working days of complete documents.")),
    Step(_l("Activity agreement and the whole procedure"),
         _l("The zone signs the activity agreement with the resident's obligations (investment, jobs, reports); "
            "the company countersigns it with its qualified electronic signature. The measured time runs from "
            "submission to the certificate."),
         {"KZ": TREATY, "UZ": TREATY}, (_l("Qualified electronic signature of the company"),),
         "submission_to_certificate", None),
)
