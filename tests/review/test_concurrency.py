"""Two staff members acting on the same application at the same moment: exactly one wins."""

from __future__ import annotations

import threading

import pytest


def _race(app, requests: list[tuple[dict, dict]], app_id: int) -> list:
    """Send each (headers, body) from its own thread and test client, started together by a barrier."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index: int, headers: dict, body: dict) -> None:
        client = app.test_client()
        with app.app_context():
            barrier.wait(timeout=30)
            response = client.post(f"/api/v1/applications/{app_id}/actions", headers=headers, json=body)
            results[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=run, args=(i, h, b)) for i, (h, b) in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.postgres_only
def test_two_reviewers_start_the_same_review(app, make_application, make_user, api_token, get_application):
    app_id = make_application()
    first, second = make_user("reviewer"), make_user("reviewer")
    body = {"action": "start_review", "version": 2, "comment": "Беру"}
    results = _race(app, [(api_token(first), body), (api_token(second), body)], app_id)
    statuses = sorted(code for code, _ in results)
    assert statuses == [200, 409], results
    loser = next(payload for code, payload in results if code == 409)
    assert loser["error"]["code"] == "stale_version"
    winner_index = next(i for i, (code, _) in enumerate(results) if code == 200)
    after = get_application(app_id)
    assert after.status == "in_review" and after.version == 3
    assert after.assignee_id == (first, second)[winner_index].id


@pytest.mark.postgres_only
def test_two_approvers_decide_at_once(app, make_application, make_user, api_token, get_application):
    reviewer = make_user("reviewer")
    app_id = make_application(status="recommended", assignee_id=reviewer.id, recommended_by_id=reviewer.id,
                              recommendation="approve")
    approve = {"action": "approve", "version": 2, "comment": "Одобрено"}
    reject = {"action": "reject", "version": 2, "comment": "Нет участка", "grounds": ["NO_SITE_AVAILABLE"]}
    results = _race(app, [(api_token(make_user("approver")), approve), (api_token(make_user("approver")), reject)],
                    app_id)
    assert sorted(code for code, _ in results) == [200, 409], results
    after = get_application(app_id)
    winner = next(payload for code, payload in results if code == 200)
    assert after.status == winner["status"] and after.version == 3
    from zone.extensions import db
    with app.app_context():
        from zone.applications.models import ApplicationEvent
        decisions = db.session.query(ApplicationEvent).filter(
            ApplicationEvent.application_id == app_id, ApplicationEvent.action.in_(["approve", "reject"])).count()
    assert decisions == 1
