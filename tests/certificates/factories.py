"""Approved applications and issued certificates for the HTTP tests.

Issuance normally happens inside the review domain's approval; these helpers call the same
service, ``issue_certificate``, in a transaction of their own ("approval-equivalent").
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

_numbers = itertools.count(1)

# Granted as the decision gives them: half-open periods, [from, until).
KZ_BENEFITS = [
    {"code": "KZ_CIT", "periods": [{"from": "2026-03-02", "until": "2033-03-02", "reduction_pct": 100}]},
    {"code": "KZ_LAND_TAX", "periods": [{"from": "2026-03-02", "until": "2033-03-02", "reduction_pct": 100}]},
    {"code": "ICIC_COOPERATION", "periods": [{"from": "2026-03-02", "until": "2029-03-02", "reduction_pct": 50}]},
]
UZ_BENEFITS = [
    {
        "code": "UZ_PROFIT_TAX",
        "periods": [
            {"from": "2026-03-02", "until": "2036-03-02", "reduction_pct": 100},
            {"from": "2036-03-02", "until": "2041-03-02", "reduction_pct": 50},
        ],
    },
]
DECIDED_AT = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 11:00 in Almaty


def approved_application(app, company, user, *, side: str = "KZ", sector: str = "machinery"):
    """An application in status ``approved`` (made directly: the review flow is not under test)."""
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
        )
        db.session.add(application)
        db.session.commit()
        return application.id


def issue(app, application_id: int, *, benefits=None, decided_at: datetime = DECIDED_AT, actor_id=None) -> str:
    """Issue (or get back) the application's certificate; returns its serial."""
    from zone.accounts.models import User
    from zone.applications.models import Application
    from zone.certificates.services import issue_certificate
    from zone.extensions import db

    # A (POST) request context, as in the approval request: queue_mail() outside one would end the
    # transaction early (see the report on zone.mail / zone.database).
    with app.test_request_context(method="POST", base_url=app.config["BASE_URL"]):
        application = db.session.get(Application, application_id)
        actor = db.session.get(User, actor_id) if actor_id else None
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


def today_in_zone() -> date:
    from zoneinfo import ZoneInfo

    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Almaty")).date()
