"""issue_certificate(): numbering, idempotence, validity, the stored signed PDF, audit and mail."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import zxingcpp

from tests.certificates.factories import (
    DECIDED_AT,
    KZ_BENEFITS,
    UZ_BENEFITS,
    approved_application,
    certificate,
    issue,
)
from tests.certificates.helpers import page_image, pdf_text


@pytest.fixture
def applicant(make_company, make_user):
    company = make_company()
    return company, make_user("applicant", company=company)


@pytest.fixture
def uz_applicant(make_company, make_user):
    company = make_company(registration_country="UZ")
    return company, make_user("applicant", company=company)


def test_serials_are_consecutive_per_side_and_year(app, applicant, uz_applicant):
    company, user = applicant
    kz = [issue(app, approved_application(app, company, user)) for _ in range(3)]
    uz = issue(app, approved_application(app, *uz_applicant, side="UZ"))
    assert kz == ["ICIC-KZ-2026-000001", "ICIC-KZ-2026-000002", "ICIC-KZ-2026-000003"]
    assert uz == "ICIC-UZ-2026-000001"
    # 22:00 UTC on 31 December is already 1 January in the zone: a new year, a new count.
    late = datetime(2026, 12, 31, 22, 0, tzinfo=UTC)
    serial = issue(app, approved_application(app, company, user), benefits=["KZ_CIT"], decided_at=late)
    assert serial == "ICIC-KZ-2027-000001"
    assert certificate(app, serial).benefits[0]["periods"][0]["from"] == "2027-01-01"


def test_issuance_is_idempotent(app, applicant):
    company, user = applicant
    application_id = approved_application(app, company, user)
    first = issue(app, application_id)
    assert issue(app, application_id) == first
    assert issue(app, approved_application(app, company, user)) == "ICIC-KZ-2026-000002"  # no number lost


def test_validity_runs_to_the_longest_benefit_and_stops_at_the_zone_end(app, applicant):
    company, user = applicant
    cert = certificate(app, issue(app, approved_application(app, company, user)))
    # KZ_CIT: 7 years, [2026-03-02, 2033-03-02); the row keeps the last day
    assert (cert.valid_from, cert.valid_until) == (date(2026, 3, 2), date(2033, 3, 1))
    assert cert.issued_at is not None and cert.status == "active"

    to_the_end = certificate(app, issue(app, approved_application(app, company, user), benefits=["KZ_VAT_INPUTS"]))
    # kz.sez_end of rule set 2026.1 is 2043-12-31, the day the zone ends: the last valid day is the 30th.
    assert to_the_end.valid_until == date(2043, 12, 30)


def test_benefits_are_stored_with_names_in_every_language(app, uz_applicant):
    company, user = uz_applicant
    cert = certificate(app, issue(app, approved_application(app, company, user, side="UZ")))
    (profit,) = cert.benefits
    assert profit["code"] == "UZ_PROFIT_TAX"
    assert set(profit["name"]) == {"ru", "en", "kk", "uz"} and profit["name"]["en"] == "Profit tax exemption"
    assert [p["reduction_pct"] for p in profit["periods"]] == [100, 50]
    assert "ZRU-604" in profit["legal_basis"]["en"]


def test_the_stored_pdf_is_signed_fingerprinted_and_scans_to_the_verify_page(app, applicant):
    from zone.certificates.signing import validate_signature
    from zone.certificates.verification import sha256_hex

    company, user = applicant
    cert = certificate(app, issue(app, approved_application(app, company, user)))
    assert cert.sha256 == sha256_hex(cert.pdf) and cert.size == len(cert.pdf)
    assert validate_signature(cert.pdf, app.config["SIGNING_CA_PATH"]).ok
    text = pdf_text(cert.pdf)
    assert cert.serial in text and company.tax_id in text and company.name in text
    (code,) = zxingcpp.read_barcodes(page_image(cert.pdf, dpi=150))
    assert code.text == f"http://zone.test/verify/{cert.verify_token}"
    assert len(cert.verify_token) >= 43  # 32 random bytes


def test_issuance_is_audited_and_mails_nothing_of_its_own(app, applicant, make_user):
    """The certificate is issued inside the approval, whose one message tells the company of both
    (tests/review/test_decisions.py): issuance itself queues no mail."""
    from zone.audit.models import AuditEvent
    from zone.extensions import db
    from zone.mail.models import MailMessage

    company, user = applicant
    make_user("applicant", company=company)
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(MailMessage))
    serial = issue(app, approved_application(app, company, user))
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "certificate.issue")).one()
        assert event.details["serial"] == serial
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MailMessage)) == before


def test_an_application_without_side_or_with_bad_benefits_gets_no_certificate(app, applicant):
    from zone.errors import Conflict, ValidationFailed

    company, user = applicant
    with pytest.raises(ValidationFailed) as error:
        issue(app, approved_application(app, company, user), benefits=[{"code": "KZ_CIT", "periods": [{"from": "x"}]}])
    assert "benefits.KZ_CIT" in error.value.fields
    no_side = approved_application(app, company, user, side=None)
    with pytest.raises(Conflict):
        issue(app, no_side)


def test_the_database_allows_one_live_certificate_per_application(app, applicant):
    from zone.certificates.models import Certificate
    from zone.extensions import db

    company, user = applicant
    original = certificate(app, issue(app, approved_application(app, company, user)))
    with app.app_context():
        clone = Certificate(
            serial="ICIC-KZ-2026-999999",
            side="KZ",
            year=2026,
            number=999999,
            application_id=original.application_id,
            company_id=original.company_id,
            status="suspended",
            company_name="x",
            company_tax_id="x",
            valid_from=original.valid_from,
            valid_until=original.valid_until,
            benefits=[],
            verify_token="another-token",
            pdf=b"%PDF",
            sha256="0" * 64,
            size=4,
        )
        db.session.add(clone)
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


INVENTED = [
    [{"code": "KZ_EVERYTHING_FREE", "periods": [{"from": "2000-01-01", "until": "2099-12-31", "reduction_pct": 100}]}],
    [{"code": "KZ_CIT", "periods": [{"from": "2026-03-02", "until": "2099-12-31", "reduction_pct": 100}]}],
    [{"code": "KZ_CIT", "until": "2040-01-01"}],
    [{"code": "ICIC_COOPERATION", "periods": [{"from": "2026-03-02", "until": "2029-03-02", "reduction_pct": 100}]}],
    [{"code": "KZ_CIT", "name": {"ru": "Все налоги навсегда", "en": "No taxes ever"}}],
    [{"code": "KZ_CIT", "reference": "Указ о вечных льготах"}],
    ["KZ_PROPERTY_TAX", "UZ_PROFIT_TAX"],
]


@pytest.mark.parametrize("granted", INVENTED)
def test_issuance_signs_only_what_the_decisions_evaluation_gives(app, applicant, granted):
    """Whatever a caller passes, the certificate's benefits come from the stored evaluation: a benefit
    it does not give, a longer or earlier period, a higher reduction or a name typed by hand is refused
    and nothing is signed."""
    from zone.certificates.models import Certificate
    from zone.errors import ValidationFailed
    from zone.extensions import db

    company, user = applicant
    with pytest.raises(ValidationFailed) as error:
        issue(app, approved_application(app, company, user), benefits=granted)
    assert all(name.startswith("benefits.") for name in error.value.fields)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


def test_without_the_decisions_evaluation_nothing_is_issued(app, applicant):
    from zone.applications.models import Application
    from zone.certificates.services import issue_certificate
    from zone.errors import Conflict
    from zone.extensions import db

    company, user = applicant
    application_id = approved_application(app, company, user)
    with app.test_request_context(method="POST"), pytest.raises(Conflict) as error:
        issue_certificate(db.session.get(Application, application_id), granted_benefits=KZ_BENEFITS,
                          decided_at=DECIDED_AT, actor=None)
    assert error.value.code == "no_decision_evaluation"


def test_the_audit_entry_records_the_benefits_signed(app, applicant):
    from zone.audit.models import AuditEvent
    from zone.extensions import db

    company, user = applicant
    serial = issue(app, approved_application(app, company, user), benefits=["KZ_CIT", "ICIC_COOPERATION"])
    stored = certificate(app, serial)
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "certificate.issue")).one()
        details = event.details
    from zone.certificates.periods import benefits_half_open, ends_on

    # Half-open, as everywhere outside the certificate row (which keeps last days)
    half_open = benefits_half_open(stored.benefits)
    assert details["benefits"] == [{"code": b["code"], "periods": b["periods"]} for b in half_open]
    assert [b["code"] for b in details["benefits"]] == ["KZ_CIT", "ICIC_COOPERATION"]
    assert details["valid_until"] == ends_on(stored.valid_until).isoformat() and details["rule_set"] == "2026.1"
    assert UZ_BENEFITS  # (the UZ default is exercised above)


def test_without_a_usable_signing_key_nothing_is_issued(app, applicant, tmp_path):
    from zone.certificates.document import SigningUnavailable
    from zone.certificates.models import Certificate, SerialCounter
    from zone.extensions import db

    company, user = applicant
    (tmp_path / "broken.p12").write_bytes(b"not a key")
    app.config["SIGNING_P12_PATH"] = tmp_path / "broken.p12"
    with pytest.raises(SigningUnavailable) as error:
        issue(app, approved_application(app, company, user))
    assert error.value.status == 503
    with app.app_context():
        assert db.session.scalars(sa.select(Certificate)).all() == []
        assert db.session.scalars(sa.select(SerialCounter)).all() == []  # the number was given back
