"""A reviewer and an approver take an application from submission to a decision, over the API and pages."""

from __future__ import annotations


def test_api_flow_to_approval(client, make_application, make_user, act, get_application, outbox):
    app_id = make_application()
    reviewer = make_user("reviewer")
    approver = make_user("approver")

    r = act(reviewer, app_id, "start_review", 2)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "in_review" and body["assignee"]["id"] == reviewer.id
    r = act(reviewer, app_id, "request_info", body["version"], comment="Приложите баланс", deadline="2099-01-01")
    assert r.status_code == 422, r.get_json()
    from datetime import date, timedelta
    deadline = (date.today() + timedelta(days=20)).isoformat()
    r = act(reviewer, app_id, "request_info", body["version"], comment="Приложите баланс", deadline=deadline)
    assert r.status_code == 200, r.get_json()
    print(outbox())
