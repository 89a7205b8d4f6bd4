"""Two requests on one report period at the same moment, on PostgreSQL with real threads: exactly one wins.

Two tabs starting the report of one period: the unique key on (agreement, period, chain head) lets one
insert through; the other gets 409. Two tabs saving one report with the same version: the row lock
serialises them and the stale one gets 409.
"""

from __future__ import annotations

import threading

import pytest


def _race(app, calls: list[tuple[str, str, dict, dict]]) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, method: str, path: str, headers: dict, body: dict) -> None:
        client = app.test_client()
        with app.app_context():
            barrier.wait(timeout=30)
            response = client.open(path, method=method, headers=headers, json=body)
            results[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.postgres_only
def test_two_tabs_start_the_same_period_one_wins(app, client, resident):
    body = {"agreement": resident.number, "period": "2026-Q1", "payroll": "1"}
    results = _race(app, [("POST", "/api/v1/reports", resident.company, body)] * 2)
    assert sorted(code for code, _ in results) == [201, 409], results
    loser = next(payload for code, payload in results if code == 409)
    assert loser["error"]["code"] == "duplicate_period"
    items = client.get("/api/v1/reports?period=2026-Q1", headers=resident.company).get_json()["items"]
    assert len(items) == 1


@pytest.mark.postgres_only
def test_two_tabs_save_one_report_the_stale_one_gets_409(app, client, resident, new_report):
    report = new_report("2026-Q1")
    path = f"/api/v1/reports/{report['id']}"
    results = _race(app, [("PATCH", path, resident.company, {"payroll": "100", "version": 1}),
                          ("PATCH", path, resident.company, {"payroll": "200", "version": 1})])
    assert sorted(code for code, _ in results) == [200, 409], results
    winner = next(payload for code, payload in results if code == 200)
    saved = client.get(path, headers=resident.company).get_json()
    assert saved["payroll"] == winner["payroll"] and saved["version"] == 2


def test_the_database_refuses_a_second_head_for_a_period(app, resident, new_report):
    """Even past the services, the unique key holds (SQLite and PostgreSQL alike)."""
    import sqlalchemy as sa

    from zone.extensions import db
    from zone.reports.models import Report

    report = new_report("2026-Q1")
    with app.app_context():
        original = db.session.get(Report, report["id"])
        copy = Report(**{c.key: getattr(original, c.key) for c in Report.__table__.columns if c.key != "id"})
        db.session.add(copy)
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()
