"""The demo data that `make run` seeds: every role, every application state, signed certificates; twice is once."""

from sqlalchemy import func, select

from zone.accounts.models import User
from zone.applications.models import Application
from zone.applications.workflow import Status
from zone.audit.services import verify_chain
from zone.certificates.models import Certificate
from zone.extensions import db


def test_seed_is_complete_and_idempotent(runner, ctx):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "admin@icic-demo.kz" in first.output and "/verify/" in first.output
    counts = (db.session.scalar(select(func.count()).select_from(User)),
              db.session.scalar(select(func.count()).select_from(Application)),
              db.session.scalar(select(func.count()).select_from(Certificate)))
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0, second.output
    db.session.rollback()
    assert counts == (db.session.scalar(select(func.count()).select_from(User)),
                      db.session.scalar(select(func.count()).select_from(Application)),
                      db.session.scalar(select(func.count()).select_from(Certificate)))
    roles = {"applicant", "reviewer", "approver", "auditor", "admin", "authority"}
    assert set(db.session.scalars(select(User.role))) == roles
    assert set(db.session.scalars(select(Application.status))) == set(Status)
    serials = db.session.scalars(select(Certificate.serial).order_by(Certificate.serial)).all()
    year = db.session.scalar(select(Certificate.issued_at)).year
    assert serials == [f"ICIC-KZ-{year}-000001", f"ICIC-KZ-{year}-000002", f"ICIC-UZ-{year}-000001",
                       f"ICIC-UZ-{year}-000002"]  # the second of each side: the PVC chain (zone.demo.cooperation)
    from zone.agreements.models import Agreement

    agreements = db.session.execute(select(Agreement.number, Agreement.status).order_by(Agreement.number)).all()
    assert [tuple(a) for a in agreements] == [(f"AG-KZ-{year}-000001", "concluded"),
                                             (f"AG-KZ-{year}-000002", "awaiting_company_signature"),
                                             (f"AG-UZ-{year}-000001", "awaiting_company_signature"),
                                             (f"AG-UZ-{year}-000002", "awaiting_company_signature")]
    assert "Demo agreement AG-KZ-" in first.output
    from zone.reports.models import Report

    states = sorted(db.session.scalars(select(Report.status)))
    assert {"submitted", "returned", "draft"} <= set(states)
    overdue = [r for r in db.session.scalars(select(Report)) if r.status == "draft" and r.due < r.period_end.today()]
    assert overdue, "one demo report is overdue"
    from zone.compliance.models import ComplianceCase

    stages = {(c.side, c.condition_id): c.stage for c in db.session.scalars(select(ComplianceCase))}
    assert stages[("KZ", "reports.filed")] == "warned"
    assert stages[("UZ", "agreement.countersigned")] == "suspension_proposed"
    from zone.cooperation.models import ContactRequest, Need, Offer

    chain = db.session.execute(select(ContactRequest.sender_side, ContactRequest.hs_code, ContactRequest.state)
                               .order_by(ContactRequest.id)).all()
    assert [tuple(r) for r in chain] == [("KZ", "390410", "contracted"), ("KZ", "390410", "sent")]
    assert set(db.session.scalars(select(Need.hs_code))) == {"390410", "390110"}
    assert "390410" in set(db.session.scalars(select(Offer.hs_code)))
    assert "company@tplast.kz" in first.output and "company@sirdaryo-pvx.uz" in first.output
    assert verify_chain().ok


def test_demo_logins_work(runner, client):
    runner.invoke(args=["demo", "seed"])
    response = client.post("/login", data={"email": "reviewer@icic-demo.kz", "password": "demo-password-2026"})
    assert response.status_code == 302


def test_the_demo_authority_reads_its_sides_feed_and_nothing_else(runner, client):
    runner.invoke(args=["demo", "seed"])
    token = client.post("/api/v1/tokens", json={"email": "tax-kz@icic-demo.kz", "password": "demo-password-2026"})
    assert token.status_code == 201, token.get_json()
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    feed = client.get("/api/v1/events?limit=100", headers=headers)
    assert feed.status_code == 200
    assert feed.get_json()["items"] and {e["data"]["side"] for e in feed.get_json()["items"]} == {"KZ"}
    assert client.get("/api/v1/applications", headers=headers).status_code == 403
