"""Sites test helpers: sites made through the service, as an administrator would."""

from __future__ import annotations

import itertools

import pytest

_x = itertools.count(0)


@pytest.fixture
def app_overrides():
    """These tests read the English texts (pages, errors); the catalogs are checked by ``flask i18n check``."""
    return {"BABEL_DEFAULT_LOCALE": "en"}


@pytest.fixture
def make_user(make_user):
    """Users of these tests read English (their locale, which the pages follow)."""

    def _make(role: str = "applicant", company=None, **fields):
        return make_user(role, company, locale=fields.pop("locale", "en"), **fields)

    return _make


def square(x: float, y: float, size: float = 10) -> str:
    return f"{x} {y}; {x + size} {y}; {x + size} {y + size}; {x} {y + size}"


@pytest.fixture
def make_site(app):
    """Create a free site (a KZ building of 500 m² and 400 kW by default); returns its code."""
    from zone.extensions import db
    from zone.sites import services

    def _make(code: str | None = None, **fields) -> str:
        n = next(_x)
        values = {"code": code or f"T-{n:04d}", "side": "KZ", "kind": "building", "area_m2": "500",
                  "power_kw": "400", "water_m3_day": "20", "gas_m3_h": "5", "rent_per_m2_year": "18",
                  "currency": "USD", "outline": square(n * 20 % 20000, n * 20 // 20000 * 20)}
        values.update(fields)
        with app.test_request_context(method="POST"):
            site = services.create_site(values, None, label="test")
            db.session.commit()
            return site.code

    return _make


@pytest.fixture
def get_site(app):
    from zone.extensions import db
    from zone.sites import queries

    def _get(code: str):
        with app.app_context():
            site = queries.by_code(code)
            db.session.expunge(site)
            return site

    return _get


@pytest.fixture
def recommended(app, make_company, make_user):
    """An application recommended for approval by a reviewer (valid KZ facts; capital KZ 60 / UZ 40, so the
    rules grant ICIC_COOPERATION); returns its id. ``side="UZ"`` makes a UZ one."""
    from datetime import timedelta

    from tests.review.conftest import KZ_FACTS
    from zone.applications.models import Application, ApplicationEvent
    from zone.database import utcnow
    from zone.extensions import db

    counter = itertools.count(1)

    def _make(**fields) -> int:
        company = fields.pop("company", None) or make_company(registration_country="KZ")
        creator = make_user("applicant", company=company)
        reviewer = make_user("reviewer")
        with app.app_context():
            when = utcnow() - timedelta(hours=1)
            values = {**KZ_FACTS, **fields}
            application = Application(company_id=company.id, created_by_id=creator.id, status="recommended",
                                      number=f"S-2026-{next(counter):05d}-{company.id}", submitted_at=when,
                                      version=2, assignee_id=reviewer.id, recommended_by_id=reviewer.id,
                                      recommendation="approve", **values)
            db.session.add(application)
            db.session.flush()
            db.session.add(ApplicationEvent(application_id=application.id, version=2, actor_id=creator.id,
                                            kind="transition", action="submit", from_status="draft",
                                            to_status="submitted", at=when))
            db.session.commit()
            return application.id

    return _make


@pytest.fixture
def approve(client, api_token, make_user):
    """``approve(app_id, site=..., approver=None)``: the approval through the API; returns the response."""

    def _approve(application_id: int, approver=None, **body):
        headers = api_token(approver or make_user("approver"))
        return client.post(f"/api/v1/applications/{application_id}/actions", headers=headers,
                           json={"action": "approve", "version": 2, "comment": "Одобрено", **body})

    return _approve
