"""The scripted year: a resident misses a report, is warned, does not cure, is proposed for suspension,
suspended by an approver (a second person), files the report and is reinstated. Another resident's
priority-income share falls below 90 %: the year's CIT, land and property benefits do not apply, the
residency stands."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tests.api.seed import PDF_BYTES
from tests.compliance.conftest import ON_TRACK, on


def _mails(app, kind=None):
    from zone.extensions import db
    from zone.mail.models import MailMessage

    with app.app_context():
        return [(m.kind, m.recipient) for m in db.session.scalars(select(MailMessage).order_by(MailMessage.id))
                if kind is None or m.kind == kind]


def _cases(client, headers, **args):
    response = client.get("/api/v1/compliance/cases", headers=headers, query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["items"]


def _condition(body, ident):
    return next(c for c in body["conditions"] if c["id"] == ident)


def test_a_missed_report_walks_the_ladder_to_suspension_and_back(app, client, resident, run, file_report):
    file_report(date(2027, 4, 10), "2027-Q1")
    # Q2 2027 is due on Monday 26 July 2027 (25 July is a Sunday); the company does not file it.
    with on(date(2027, 7, 27)):
        whatif = client.get(f"/api/v1/certificates/{resident.serial}/compliance", headers=resident.company)
    body = whatif.get_json()
    assert body["status"] == "breach" and body["rule_set"]["version"] == "2026.1"
    filed = _condition(body, "reports.filed")
    assert filed["status"] == "breached" and "2027-Q2" in filed["explanation"] and "2027-Q2" in filed["cure"]
    assert filed["due"] == "2027-07-26" and filed["reference"]
    assert _condition(body, "production.started")["status"] == "met"
    assert _condition(body, "obligations.investment")["status"] == "met"
    # The what-if changed nothing: no case, no mail.
    assert _cases(client, resident.reviewer) == [] and _mails(app, "warning") == []

    before = len(_mails(app))
    assert "opened 1" in run(date(2027, 7, 27))
    run(date(2027, 7, 27))  # a second run the same day adds nothing
    [case] = _cases(client, resident.reviewer)
    assert case["stage"] == "warned" and case["condition"] == "reports.filed"
    assert case["cure_due"] == "2027-09-25"  # 60 days (rule-set parameter)
    warnings = _mails(app, "warning")
    assert warnings == [("warning", resident.users["applicant"].email)] and len(_mails(app)) == before + 1
    detail = client.get(f"/api/v1/compliance/cases/{case['id']}", headers=resident.company).get_json()
    [notice] = detail["notices"]
    assert notice["kind"] == "warning" and len(notice["sha256"]) == 64
    with app.app_context():
        from zone.compliance.models import ComplianceNotice
        from zone.extensions import db

        assert db.session.get(ComplianceNotice, notice["id"]).pdf.startswith(b"%PDF")

    run(date(2027, 9, 25))  # the cure deadline itself: nothing yet
    assert _cases(client, resident.reviewer)[0]["stage"] == "warned"
    assert "escalated 1" in run(date(2027, 9, 26))
    case = _cases(client, resident.reviewer)[0]
    assert case["stage"] == "suspension_due" and _mails(app, "suspension_due")

    # Nobody suspends without a person's decision: the reviewer prepares, a second person decides.
    with on(date(2027, 9, 27)):
        assert client.post(f"/api/v1/certificates/{resident.serial}/suspend", headers=resident.approver,
                           json={"reason": "x"}).get_json()["error"]["code"] == "proposal_required"
        proposed = client.post(f"/api/v1/compliance/cases/{case['id']}/propose", headers=resident.reviewer,
                               json={"reason": "The Q2 2027 report was not filed after the warning."})
        assert proposed.status_code == 200, proposed.get_data(as_text=True)
        assert proposed.get_json()["stage"] == "suspension_proposed"
        assert client.post(f"/api/v1/certificates/{resident.serial}/suspend", headers=resident.reviewer,
                           json={"reason": "x"}).status_code == 403
        suspended = client.post(f"/api/v1/certificates/{resident.serial}/suspend", headers=resident.approver,
                                json={"reason": "Report not filed after the warning."})
        assert suspended.status_code == 200, suspended.get_data(as_text=True)
        assert suspended.get_json()["status"] == "suspended"
        tax_id = client.get(f"/api/v1/certificates/{resident.serial}", headers=resident.company).get_json()
        public = client.get("/api/v1/verify", query_string={"serial": resident.serial,
                                                            "tax_id": tax_id["company"]["tax_id"]}).get_json()
        assert public["status"] == "suspended"
        # The case follows the decision at once, before any run.
        case = _cases(client, resident.reviewer)[0]
        assert case["stage"] == "suspended" and case["suspended_on"] == "2027-09-27"
    run(date(2027, 9, 28))
    case = _cases(client, resident.reviewer)[0]
    assert case["stage"] == "suspended" and case["suspended_on"] == "2027-09-27"
    assert case["proposal"]["status"] == "confirmed"

    file_report(date(2027, 10, 1), "2027-Q2")
    assert "cured 1" in run(date(2027, 10, 2))
    case = _cases(client, resident.reviewer)[0]
    assert case["stage"] == "reinstatement_proposed" and case["proposal"]["action"] == "reinstate"
    with on(date(2027, 10, 4)):
        reinstated = client.post(f"/api/v1/certificates/{resident.serial}/reinstate", headers=resident.approver,
                                 json={"reason": "The report is filed."})
        assert reinstated.status_code == 200 and reinstated.get_json()["status"] == "active"
        assert _cases(client, resident.reviewer) == []  # closed by the decision itself
    run(date(2027, 10, 4))
    assert _cases(client, resident.reviewer) == []
    [closed] = _cases(client, resident.reviewer, stage="all")
    assert closed["stage"] == "closed" and closed["closed_reason"] == "reinstated"

    with app.app_context():
        from zone.audit.models import AuditEvent
        from zone.audit.services import verify_chain
        from zone.extensions import db

        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"compliance.case_opened", "compliance.notice_warning", "compliance.escalate", "compliance.propose",
                "certificate.suspend", "compliance.decided", "compliance.cure", "certificate.reinstate_proposed",
                "certificate.reinstate"} <= actions
        assert verify_chain().ok


def test_a_share_below_90_percent_withdraws_the_years_benefits_and_keeps_the_residency(app, client, resident, run,
                                                                                      file_report):
    for day, period in ((date(2027, 4, 10), "2027-Q1"), (date(2027, 7, 10), "2027-Q2"),
                        (date(2027, 10, 10), "2027-Q3"), (date(2028, 1, 10), "2027-Q4")):
        file_report(day, period)
    with on(date(2028, 2, 1)):
        annual = client.post("/api/v1/reports", headers=resident.company, json={
            "agreement": resident.number, "period": "2027", **ON_TRACK, "revenue_total": "100000000",
            "revenue_priority": "85000000", "auditor_name": "ТОО «Аудит»", "audit_opinion": "unmodified"})
        assert annual.status_code == 201, annual.get_data(as_text=True)
        report = annual.get_json()
        import io

        client.post(f"/api/v1/reports/{report['id']}/documents", headers=resident.company,
                    content_type="multipart/form-data",
                    data={"kind": "audited_statements", "file": (io.BytesIO(PDF_BYTES), "statements.pdf")})
        assert client.post(f"/api/v1/reports/{report['id']}/submit", headers=resident.company).status_code == 200
        body = client.get(f"/api/v1/certificates/{resident.serial}/compliance", headers=resident.company).get_json()
    share = _condition(body, "kz.priority_income_share")
    assert share["status"] == "breached" and "85" in share["explanation"]
    years = {(b["year"], b["code"]): b["applies"] for b in body["benefit_years"]}
    assert years[(2027, "KZ_CIT")] is False and years[(2027, "KZ_LAND_TAX")] is False
    assert "benefit_years" in run(date(2028, 2, 1))
    run(date(2028, 2, 1))
    with app.app_context():
        from zone.compliance.models import BenefitYearResult
        from zone.extensions import db

        assert db.session.scalar(select(func.count()).select_from(BenefitYearResult)) == len(
            [k for k in years if k[0] == 2027])
    # The residency stands: no case for the share, the certificate stays active.
    assert all(c["condition"] != "kz.priority_income_share" for c in _cases(client, resident.reviewer, stage="all"))
    certificate = client.get(f"/api/v1/certificates/{resident.serial}", headers=resident.company).get_json()
    assert certificate["status"] == "active"
