"""Approved applications and issued certificates for the HTTP tests.

Issuance normally happens inside the review domain's approval; these helpers store the decision's
evaluation and call the same service, ``issue_certificate``, in a transaction of their own
("approval-equivalent"). The benefits therefore come from the rules, as in production.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from decimal import Decimal

_numbers = itertools.count(1)

# Facts that the rule set 2026.1 admits: KZ 1.5 m MCI (CIT band 7 years) with Kazakh and Uzbek capital
# (the cooperation benefit); UZ USD 12 m (10 years at 100 %, then 5 at 50 %).
FACTS = {
    "KZ": {"investment_amount": Decimal("6500000000"), "investment_currency": "KZT",
           "priority_income_share": Decimal("95"), "has_branches_outside_zone": False},
    "UZ": {"investment_amount": Decimal("12000000"), "investment_currency": "USD"},
}
KZ_BENEFITS = ["KZ_CIT", "KZ_LAND_TAX", "ICIC_COOPERATION"]
UZ_BENEFITS = ["UZ_PROFIT_TAX"]
DECIDED_AT = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 11:00 in Almaty


def approved_application(app, company, user, *, side: str = "KZ", sector: str = "machinery"):
    """An application in status ``approved`` with facts the rules admit (made directly: the review flow
    is not under test). The company must be registered on ``side`` for the rules to admit it."""
    from zone.applications.models import Application
    from zone.extensions import db

    with app.app_context():
        application = Application(
            company_id=company.id,
            created_by_id=user.id,
            status="approved",
            side=side,
            sector=sector,
            number=f"A-2026-{next(_numbers):05d}",
            activity_codes=["28.30"],
            project_title="Plant",
            capital_shares={"KZ": 60, "UZ": 40},
            **FACTS.get(side, {}),
        )
        db.session.add(application)
        db.session.commit()
        return application.id


def decide(application, decided_at: datetime, actor=None) -> None:
    """Store the decision's evaluation, as the approval does (inside the caller's request context)."""
    from zone.calendar import local_date
    from zone.eligibility.services import take_snapshot

    take_snapshot(application, "decision", local_date(decided_at), actor)


def issue(app, application_id: int, *, benefits=None, decided_at: datetime = DECIDED_AT, actor_id=None) -> str:
    """Decide (store the evaluation) and issue the application's certificate, granting ``benefits``
    (codes, or ``{"code", "until"}``; by default a few of the side's) as the approval would; returns its
    serial. Issuing again gives the same certificate back."""
    from zone.accounts.models import User
    from zone.applications.models import Application
    from zone.certificates.services import issue_certificate, live_certificate
    from zone.extensions import db

    # A (POST) request context, as in the approval request: queue_mail() outside one would end the
    # transaction early (see the report on zone.mail / zone.database).
    with app.test_request_context(method="POST", base_url=app.config["BASE_URL"]):
        application = db.session.get(Application, application_id)
        actor = db.session.get(User, actor_id) if actor_id else None
        if live_certificate(application.id) is None and application.side in ("KZ", "UZ"):
            decide(application, decided_at, actor)
        side_benefits = KZ_BENEFITS if application.side == "KZ" else UZ_BENEFITS
        certificate = issue_certificate(
            application, granted_benefits=benefits or side_benefits, decided_at=decided_at, actor=actor
        )
        db.session.commit()
        return certificate.serial


def certificate(app, serial: str):
    """The certificate row, detached, with its PDF loaded."""
    from sqlalchemy.orm import undefer

    from zone.certificates.models import Certificate
    from zone.extensions import db

    with app.app_context():
        row = db.session.query(Certificate).options(undefer(Certificate.pdf)).filter_by(serial=serial).one()
        db.session.expunge(row)
        return row
