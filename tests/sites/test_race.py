"""Two approvals racing for one site, from two threads and two approvers: exactly one leases it, the other
gets a 409 naming the site and its whole approval is rolled back. Runs on SQLite (the write lock) and on
PostgreSQL (the site's row lock) alike."""

from __future__ import annotations

import threading

from sqlalchemy import func, select


def _race(app, requests: list[tuple[int, dict, dict]]) -> list:
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index: int, app_id: int, headers: dict, body: dict) -> None:
        client = app.test_client()
        with app.app_context():
            barrier.wait(timeout=30)
            response = client.post(f"/api/v1/applications/{app_id}/actions", headers=headers, json=body)
            results[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=run, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return results


def test_two_approvals_for_one_site_exactly_one_wins(app, recommended, make_site, make_user, api_token, get_site):
    from zone.applications.models import Application
    from zone.extensions import db
    from zone.sites.models import Lease

    make_site("KZ-R01")
    first, second = recommended(), recommended()
    body = {"action": "approve", "version": 2, "comment": "Одобрено", "site": "KZ-R01"}
    results = _race(app, [(first, api_token(make_user("approver")), body),
                          (second, api_token(make_user("approver")), body)])
    assert sorted(code for code, _ in results) == [200, 409], results
    loser = next(payload for code, payload in results if code == 409)
    assert loser["error"]["code"] == "site_not_free" and "KZ-R01" in loser["error"]["message"]
    winner = next(payload for code, payload in results if code == 200)
    assert winner["lease"]["site"] == "KZ-R01"
    assert get_site("KZ-R01").status == "leased"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Lease)) == 1
        statuses = sorted(db.session.scalars(select(Application.status).where(Application.id.in_([first, second]))))
        assert statuses == ["approved", "recommended"]
