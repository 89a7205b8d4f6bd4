"""Review test helpers: submitted applications made directly with the models (not the company's form)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest

_numbers = itertools.count(1)

KZ_FACTS = {
    "side": "KZ",
    "project_title": "Завод полимерных труб",
    "project_description": "Производство труб ПВХ для капельного орошения.",
    "sector": "plastics",
    "activity_codes": ["22.21"],
    "products": [{"name": "Трубы ПВХ", "hs_code": "391723", "annual_volume": 12000, "unit": "t"}],
    "investment_amount": Decimal("1000000000"),  # KZT: about USD 1.96 m, 231,214 MCI → 7-year band
    "investment_currency": "KZT",
    "investment_usd": Decimal("1960784.31"),
    "own_funds_share": Decimal("40"),
    "jobs_total": 120,
    "jobs_local": 110,
    "land_area_ha": Decimal("2.5"),
    "priority_income_share": Decimal("95"),
    "has_branches_outside_zone": False,
    "capital_shares": {"KZ": 60, "UZ": 40},
    "export_share": Decimal("30"),
    "construction_start": date(2026, 9, 1),
    "production_start": date(2027, 9, 1),
}


@pytest.fixture
def make_application(app, make_company, make_user):
    """Create an application in ``status`` (default submitted) with valid KZ facts; returns its id."""
    from zone.applications.models import Application, ApplicationEvent
    from zone.database import utcnow
    from zone.extensions import db
    from zone.review.deadlines import review_deadline_for

    def _make(status: str = "submitted", company=None, submitted_at=None, **fields) -> int:
        company = company or make_company(registration_country="KZ")
        creator = fields.pop("created_by", None) or make_user("applicant", company=company)
        with app.app_context():
            when = submitted_at or utcnow() - timedelta(hours=1)
            values = {**KZ_FACTS, **fields}
            n = next(_numbers)
            application = Application(company_id=company.id, created_by_id=creator.id, status=status,
                                      number=None if status == "draft" else f"A-2026-{n:05d}",
                                      submitted_at=None if status == "draft" else when, version=2, **values)
            if status != "draft" and "review_deadline" not in fields:
                application.review_deadline = review_deadline_for(values["side"], when)
            db.session.add(application)
            db.session.flush()
            db.session.add(ApplicationEvent(application_id=application.id, version=2, actor_id=creator.id,
                                            kind="transition", action="submit", from_status="draft",
                                            to_status="submitted", at=when))
            db.session.commit()
            return application.id

    return _make


@pytest.fixture
def get_application(app):
    """A fresh copy of the application, read in its own app context."""
    from zone.applications.models import Application
    from zone.extensions import db

    def _get(application_id: int) -> Application:
        with app.app_context():
            application = db.session.get(Application, application_id)
            db.session.expunge(application)
            return application

    return _get


@pytest.fixture
def act(client, api_token):
    """POST an action through the API as ``user``; returns the response."""

    def _act(user, application_id: int, action: str, version: int, **body):
        return client.post(f"/api/v1/applications/{application_id}/actions", headers=api_token(user),
                           json={"action": action, "version": version, **body})

    return _act


@pytest.fixture
def outbox(app):
    """The mail queued so far: list of (recipient, kind, subject, body)."""
    from zone.extensions import db
    from zone.mail.models import MailMessage

    def _outbox() -> list[tuple[str, str, str, str]]:
        with app.app_context():
            rows = db.session.query(MailMessage).order_by(MailMessage.id).all()
            return [(m.recipient, m.kind, m.subject, m.body) for m in rows]

    return _outbox
