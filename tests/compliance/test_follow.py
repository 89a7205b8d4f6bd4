"""A person's decision on the certificate moves its compliance case at once, not at the next daily run."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.compliance.conftest import on


def _cases(client, headers, **args):
    response = client.get("/api/v1/compliance/cases", headers=headers, query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["items"]


def test_an_admin_suspending_then_revoking_moves_the_case_without_a_run(app, client, resident, run, file_report):
    file_report(date(2027, 4, 10), "2027-Q1")
    assert "opened 1" in run(date(2027, 7, 27))  # Q2 2027 not filed: warned
    [case] = _cases(client, resident.reviewer)
    assert case["stage"] == "warned"

    with on(date(2027, 8, 2)):
        suspended = client.post(f"/api/v1/certificates/{resident.serial}/suspend", headers=resident.admin,
                                json={"reason": "Reports missing; suspended at once."})
        assert suspended.status_code == 200, suspended.get_data(as_text=True)
        [case] = _cases(client, resident.reviewer)
        assert case["stage"] == "suspended" and case["suspended_on"] == "2027-08-02"
        page = client.get(f"/api/v1/compliance/cases/{case['id']}", headers=resident.auditor)
        assert page.get_json()["stage"] == "suspended"

    with on(date(2027, 8, 3)):
        revoked = client.post(f"/api/v1/certificates/{resident.serial}/revoke", headers=resident.admin,
                              json={"reason": "Reports still missing; revoked."})
        assert revoked.status_code == 200, revoked.get_data(as_text=True)
        assert _cases(client, resident.reviewer) == []
        [ended] = _cases(client, resident.reviewer, stage="all")
        assert ended["stage"] == "revoked" and ended["closed_reason"] == "revoked"

    with app.app_context():
        from zone.audit.models import AuditEvent
        from zone.audit.services import verify_chain
        from zone.extensions import db

        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
        assert actions.index("certificate.suspend") < actions.index("compliance.decided")
        assert actions.index("certificate.revoke") < actions.index("compliance.end")
        assert verify_chain().ok
    assert "ended" not in run(date(2027, 8, 4))  # nothing left for the run
