"""The zone's figures: SQL aggregates behind /api/v1/stats, the public page, open data and the service page."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.cooperation.conftest import NEED_PVC
from zone.calendar import today as zone_today

STATS_KEYS = {"as_of", "residents", "investment_committed_usd", "investment_realised_usd", "jobs_committed",
              "jobs_actual", "cross_side_trade_usd", "median_days_to_decision"}


def _contract(client, chain, value="1140000"):
    client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers, json=NEED_PVC)
    [match] = client.get("/api/v1/cooperation/matches", headers=chain.buyer.headers).get_json()["items"]
    request = client.post("/api/v1/cooperation/requests", headers=chain.buyer.headers,
                          json={"need_id": match["need"]["id"], "offer_id": match["offer"]["id"],
                                "message": "ПВХ"}).get_json()
    url = f"/api/v1/cooperation/requests/{request['id']}"
    assert client.post(f"{url}/accept", headers=chain.maker.headers, json={}).status_code == 200
    assert client.post(f"{url}/record_contract", headers=chain.buyer.headers,
                       json={"annual_volume": "1200", "unit": "t", "annual_value_usd": value}).status_code == 200


def test_stats_on_an_empty_zone(client):
    stats = client.get("/api/v1/stats").get_json()
    assert set(stats) >= STATS_KEYS
    assert stats["residents"] == {"KZ": 0, "UZ": 0} and stats["median_days_to_decision"] is None
    assert stats["investment_committed_usd"] == "0.00" and stats["jobs_actual"] == 0


def test_stats_count_residents_commitments_contracts_and_times(client, chain, make_resident):
    make_resident("KZ", status="revoked", investment_usd="9999999", jobs=999, decided_days=10)
    make_resident("UZ", investment_usd="500000", jobs=40, decided_days=50)
    _contract(client, chain)
    stats = client.get("/api/v1/stats").get_json()
    assert stats["residents"] == {"KZ": 1, "UZ": 2}
    assert stats["investment_committed_usd"] == "5500000.00" and stats["jobs_committed"] == 280
    assert stats["matchmaking"] == {"requests": 1, "contacts": 1, "contracts": 1, "contracts_usd": "1140000.00"}
    assert stats["median_days_to_decision"] == 30.0  # 10, 30, 30, 50 days
    assert stats["by_side"]["KZ"]["matchmaking"]["contracts"] == 1


def test_reported_figures_come_from_the_latest_accepted_report_in_usd(app, client, make_resident):
    from zone.agreements.models import Agreement
    from zone.extensions import db
    from zone.reports.models import Report

    resident = make_resident("KZ")
    today = zone_today()
    with app.app_context():
        agreement = Agreement(number="AG-KZ-2026-000001", side="KZ", year=2026, sequence=1,
                              application_id=resident.application_id, certificate_id=resident.certificate_id,
                              company_id=resident.company.id, company_name="x", company_tax_id="x", decided_on=today,
                              countersign_due=today, rule_set_version="2026.1", obligations=[], sha256="0" * 64,
                              size=1)
        db.session.add(agreement)
        db.session.flush()
        reports = (("2026-Q1", today - timedelta(days=200), "51000000", 10, "accepted"),
                   ("2026-Q2", today - timedelta(days=100), "510000000", 60, "accepted"),
                   ("2026-Q3", today - timedelta(days=10), "999999999", 99, "submitted"))
        for period, end, invest, jobs, status in reports:
            db.session.add(Report(
                agreement_id=agreement.id, company_id=resident.company.id, side="KZ", kind="quarterly", period=period,
                period_start=end - timedelta(days=90), period_end=end, due=end, status=status,
                created_by_id=resident.user.id, currency="KZT", investment_cumulative=invest, jobs_total=jobs,
                revenue_export="5100000", sales_to_other_side="10200000", benefits_used={}, output=[]))
        db.session.commit()
    stats = client.get("/api/v1/stats").get_json()
    assert stats["jobs_actual"] == 60
    assert stats["investment_realised_usd"] == "1000000.00"  # 510 m KZT at the rule set's 510 KZT per USD
    assert stats["exports_usd"] == "20000.00" and stats["cross_side_trade_usd"] == "40000.00"


@pytest.mark.parametrize("lang", ["ru", "kk", "uz", "en"])
def test_the_public_page_and_open_data_in_every_language(client, chain, lang):
    _contract(client, chain)
    client.get(f"/lang/{lang}")
    page = client.get("/figures")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="contracts-kz">1<' in text and "<svg" in text and "chart-matchmaking" in text
    listing = client.get("/open-data")
    assert listing.status_code == 200
    names = re.findall(r'href="/open-data/([a-z-]+)\.csv"', listing.get_data(as_text=True))
    assert names == ["residents-by-sector", "certificates-by-status", "indicators", "processing-times", "quarters"]
    for name in names:
        data = client.get(f"/open-data/{name}.csv")
        assert data.status_code == 200 and data.headers["Content-Type"].startswith("text/csv")
        assert hashlib.sha256(data.data).hexdigest() in listing.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(client.get("/open-data/indicators.csv").get_data(as_text=True))))
    kz = next(r for r in rows if r["side"] == "KZ")
    assert kz["contracts"] == "1" and kz["contracts_usd"] == "1140000.00"
    assert client.get("/open-data/nothing.csv").status_code == 404


def test_a_fresh_snapshot_is_served_and_a_stale_one_is_not(app, client, chain):
    from zone.extensions import db
    from zone.figures import services
    from zone.figures.models import FiguresSnapshot

    with app.app_context():
        services.refresh()
    _contract(client, chain)
    assert client.get("/api/v1/stats").get_json()["matchmaking"]["contracts"] == 0  # the 15-minute snapshot
    with app.app_context():
        row = db.session.get(FiguresSnapshot, services.KEY)
        row.as_of = datetime.now(UTC) - timedelta(hours=1, minutes=1)
        db.session.commit()
    assert client.get("/api/v1/stats").get_json()["matchmaking"]["contracts"] == 1  # computed afresh


def test_the_worker_refreshes_the_figures(app):
    from zone.worker.registry import jobs

    [job] = [j for j in jobs(app) if j.name == "figures.refresh"]
    assert job.every == timedelta(minutes=15)


def test_the_service_page_measures_times(client, chain):
    client.get("/lang/en")
    page = client.get("/service").get_data(as_text=True)
    assert "median 30 days" in page and "ZRU-604" in page and "Charter" in page


def test_the_staff_see_trends_by_quarter(client, login_as, chain):
    assert client.get("/figures/trends").status_code == 302
    login_as("reviewer")
    page = client.get("/figures/trends")
    assert page.status_code == 200 and "chart-trends" in page.get_data(as_text=True)


def test_the_staff_dashboard_has_the_trends_tile(client, login_as, chain):
    login_as("admin")
    page = client.get("/review/dashboard")
    assert page.status_code == 200 and "chart-trends" in page.get_data(as_text=True)
