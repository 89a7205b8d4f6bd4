"""Fixtures for compliance: a KZ resident approved through the API on 5 January 2027 whose agreement the
company concluded on 8 January, and helpers to travel in time and run the daily run as of a date."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import update

from tests.api.seed import seed_through_api
from tests.reports.conftest import QUARTER

APPROVED = datetime(2027, 1, 5, 10, tzinfo=ZoneInfo("Asia/Almaty"))
# A quarter that meets every obligation of the seeded application (6.5 bn KZT by March 2027, 180 jobs, 160 local).
ON_TRACK = {**QUARTER, "investment_own": "6500000000", "investment_foreign": "0", "jobs_total": 180,
            "jobs_local": 160, "jobs_foreign": 20}


@contextmanager
def on(day: date):
    """Travel to 10:00 in the zone on ``day`` (the API's today and the run's agree)."""
    with time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Almaty")), tick=False):
        yield


def conclude(app, number: str, signed: datetime) -> None:
    """The company countersigned (its PAdES signature is tested in the agreements suite)."""
    from zone.agreements.models import Agreement, AgreementStatus
    from zone.extensions import db

    with app.app_context():
        db.session.execute(update(Agreement).where(Agreement.number == number)
                           .values(status=AgreementStatus.CONCLUDED, company_signed_at=signed))
        db.session.commit()


@pytest.fixture
def app_overrides():
    # The scripted year travels months ahead: the tokens made on admission day must still open the API.
    return {"API_TOKEN_TTL_HOURS": 24 * 800}


@pytest.fixture
def resident(app, client, make_company, make_user, api_token):
    with on(APPROVED.date()):
        seed = seed_through_api(client, make_company, make_user, api_token)
    assert "agreement" in seed.stages, seed.problems
    number = seed.agreement_numbers[0]
    conclude(app, number, datetime(2027, 1, 8, 6, tzinfo=UTC))
    return SimpleNamespace(seed=seed, number=number, serial=seed.serials[0], company=seed.tokens["applicant"],
                           reviewer=seed.tokens["reviewer"], approver=seed.tokens["approver"],
                           admin=seed.tokens["admin"], auditor=seed.tokens["auditor"], users=seed.users)


@pytest.fixture
def run(runner):
    """``run(day)``: the daily run as of ``day`` (the clock travels there too); returns its output."""

    def _run(day: date) -> str:
        with on(day):
            result = runner.invoke(args=["compliance", "run", "--today", day.isoformat()])
        assert result.exit_code == 0, result.output
        return result.output

    return _run


@pytest.fixture
def file_report(client, resident):
    """``file_report(day, period, **figures)``: the company starts and submits a report on ``day``."""

    def _file(day: date, period: str, **figures):
        with on(day):
            created = client.post("/api/v1/reports", headers=resident.company,
                                  json={"agreement": resident.number, "period": period, **(figures or ON_TRACK)})
            assert created.status_code == 201, created.get_data(as_text=True)
            report = created.get_json()
            submitted = client.post(f"/api/v1/reports/{report['id']}/submit", headers=resident.company)
            assert submitted.status_code == 200, submitted.get_data(as_text=True)
        return report

    return _file
