"""Fixtures for the report tests: a KZ resident approved through the API whose agreement was decided on
15 January 2026, so that the first three quarters of 2026 have ended (the suite runs in late 2026 or
later; tests that need a later "today" travel in time)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from tests.api.seed import seed_through_api

DECIDED_ON = date(2026, 1, 15)

QUARTER = {
    "currency": "KZT", "investment_own": "1 500 000", "investment_borrowed": "0", "investment_foreign": "250000,50",
    "jobs_total": 40, "jobs_local": 35, "jobs_foreign": 5, "payroll": "12 000 000", "revenue_total": "90 000 000",
    "revenue_priority": "85 000 000", "revenue_export": "10 000 000", "sales_to_other_side": "5 000 000",
    "purchases_from_other_side": "1 000 000", "taxes_paid": "3 000 000", "benefits_used": {},
    "output": [{"hs_code": "3917 23", "quantity": "1200", "unit": "t", "value": "60 000 000"}],
}


def backdate(app, number: str, decided_on: date = DECIDED_ON) -> None:
    from sqlalchemy import update

    from zone.agreements.models import Agreement
    from zone.extensions import db

    with app.app_context():
        db.session.execute(update(Agreement).where(Agreement.number == number).values(decided_on=decided_on))
        db.session.commit()


@pytest.fixture
def resident(app, client, make_company, make_user, api_token):
    """A company with an agreement decided on 15 January 2026, its people and the zone's staff (tokens)."""
    seed = seed_through_api(client, make_company, make_user, api_token)
    assert "agreement" in seed.stages, seed.problems
    number = seed.agreement_numbers[0]
    backdate(app, number)
    serial = seed.serials[0]
    certificate = client.get(f"/api/v1/certificates/{serial}", headers=seed.tokens["applicant"]).get_json()
    granted = [b["code"] for b in certificate["benefits"]]
    return SimpleNamespace(seed=seed, number=number, company=seed.tokens["applicant"],
                           reviewer=seed.tokens["reviewer"], approver=seed.tokens["approver"],
                           admin=seed.tokens["admin"], auditor=seed.tokens["auditor"], users=seed.users,
                           granted=granted)


@pytest.fixture
def other_company(client, make_company, make_user, api_token):
    company = make_company(name="ТОО «Чужая компания»")
    user = make_user("applicant", company=company)
    return SimpleNamespace(user=user, headers=api_token(user))


@pytest.fixture
def new_report(client, resident):
    """``new_report(period, **figures)``: a draft through the API; returns the JSON."""

    def _make(period: str = "2026-Q1", **values):
        body = {"agreement": resident.number, "period": period, **values}
        response = client.post("/api/v1/reports", headers=resident.company, json=body)
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    return _make
