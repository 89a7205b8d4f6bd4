"""Every review action by every role, over the API: who may, in which status, and what it records."""

from __future__ import annotations

from datetime import timedelta

import pytest

from zone.applications.workflow import TRANSITIONS, Action, Status
from zone.calendar import today as zone_today

ROLES = ["applicant", "reviewer", "approver", "auditor", "admin"]
REVIEW_ACTIONS = [Action.START_REVIEW, Action.REQUEST_INFO, Action.RECOMMEND_APPROVAL, Action.RECOMMEND_REJECTION,
                  Action.APPROVE, Action.REJECT]
FROM_STATUS = {(a): s for (s, a) in TRANSITIONS if a in REVIEW_ACTIONS}


def body_for(action: str) -> dict:
    soon = (zone_today() + timedelta(days=14)).isoformat()
    return {
        "start_review": {"comment": "Беру в работу"},
        "request_info": {"comment": "Приложите выписку банка о наличии средств.", "deadline": soon},
        "recommend_approval": {"comment": "Документы в порядке."},
        "recommend_rejection": {"comment": "Нет участка.", "grounds": ["NO_SITE_AVAILABLE"]},
        "approve": {"comment": "Одобрено."},
        "reject": {"comment": "Свободных участков нет до 2027 года.", "grounds": ["NO_SITE_AVAILABLE"]},
    }[action]


@pytest.fixture
def staged(make_application, make_user):
    """An application in ``status``, reviewed by one reviewer and (when recommended) recommended by them."""

    def _staged(status: str):
        reviewer = make_user("reviewer")
        fields = {}
        if status not in ("draft", "submitted"):
            fields["assignee_id"] = reviewer.id
        if status in ("recommended", "approved", "rejected"):
            fields.update(recommendation="approve", recommended_by_id=reviewer.id)
        return make_application(status=status, **fields), reviewer

    return _staged


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", [a.value for a in REVIEW_ACTIONS])
def test_every_action_by_every_role(action, role, staged, make_user, act, get_application):
    status = FROM_STATUS[Action(action)]
    app_id, reviewer = staged(status.value)
    allowed_role = TRANSITIONS[(status, Action(action))][1]
    user = reviewer if role == "reviewer" else make_user(role)
    response = act(user, app_id, action, 2, **body_for(action))
    after = get_application(app_id)
    if role in allowed_role:
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["status"] == TRANSITIONS[(status, Action(action))][0].value
        assert body["version"] == 3 and after.version == 3
        assert body["event"]["action"] == action and body["event"]["from"] == status.value
    else:
        assert response.status_code == 403, response.get_json()
        assert response.get_json()["error"]["code"] == "forbidden"
        assert after.status == status.value and after.version == 2  # nothing changed


ALL_STATUSES = [s.value for s in Status]


@pytest.mark.parametrize("status", ALL_STATUSES)
@pytest.mark.parametrize("action", [a.value for a in REVIEW_ACTIONS])
def test_the_table_decides_which_status_allows_which_action(status, action, staged, make_user, act,
                                                            get_application):
    app_id, reviewer = staged(status)
    role = next(iter(TRANSITIONS.get((FROM_STATUS[Action(action)], Action(action)))[1]))
    user = reviewer if role == "reviewer" else make_user(role)
    response = act(user, app_id, action, 2, **body_for(action))
    if (Status(status), Action(action)) in TRANSITIONS:
        assert response.status_code == 200, response.get_json()
    else:
        assert response.status_code == 409, response.get_json()
        assert response.get_json()["error"]["code"] == "illegal_transition"
        assert get_application(app_id).status == status


def test_start_review_assigns_to_self_and_records_history(make_application, make_user, act, get_application, app):
    app_id = make_application()
    reviewer = make_user("reviewer")
    response = act(reviewer, app_id, "start_review", 2, comment="Беру")
    assert response.status_code == 200
    assert response.get_json()["assignee"]["id"] == reviewer.id
    assert get_application(app_id).assignee_id == reviewer.id
    from zone.audit.models import AuditEvent
    from zone.extensions import db
    with app.app_context():
        audit = db.session.query(AuditEvent).filter_by(action="application.start_review").one()
        assert audit.actor_id == reviewer.id and audit.object_id == str(app_id)


def test_another_reviewer_cannot_take_over(make_application, make_user, act, get_application):
    owner = make_user("reviewer")
    app_id = make_application(status="in_review", assignee_id=owner.id)
    other = make_user("reviewer")
    response = act(other, app_id, "request_info", 2, **body_for("request_info"))
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "not_assignee" and owner.full_name in error["message"]
    assert get_application(app_id).status == "in_review"


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_four_eyes_the_recommending_reviewer_cannot_decide(action, make_application, make_user, act, app,
                                                         get_application):
    """A reviewer recommends, is then made an approver, and tries to decide their own recommendation."""
    from zone.accounts.models import User
    from zone.extensions import db

    reviewer = make_user("reviewer")
    app_id = make_application(status="in_review", assignee_id=reviewer.id)
    assert act(reviewer, app_id, "recommend_approval", 2, comment="ok").status_code == 200
    with app.app_context():
        db.session.get(User, reviewer.id).role = "approver"
        db.session.commit()
    response = act(reviewer, app_id, action, 3, **body_for(action))
    assert response.status_code == 403, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "four_eyes" and "четырёх глаз" in error["message"]
    after = get_application(app_id)
    assert after.status == "recommended" and after.version == 3 and after.decided_by_id is None
    # A different approver may decide.
    assert act(make_user("approver"), app_id, action, 3, **body_for(action)).status_code == 200


def test_four_eyes_also_excludes_the_assigned_reviewer(make_application, make_user, act, app):
    from zone.accounts.models import User
    from zone.extensions import db

    assignee, recommender = make_user("reviewer"), make_user("reviewer")
    app_id = make_application(status="recommended", assignee_id=assignee.id, recommended_by_id=recommender.id,
                              recommendation="approve")
    with app.app_context():
        db.session.get(User, assignee.id).role = "approver"
        db.session.commit()
    response = act(assignee, app_id, "approve", 2, comment="ok")
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "four_eyes"


def test_stale_version_is_refused_and_says_who_changed_what(make_application, make_user, act, get_application):
    app_id = make_application()
    first, second = make_user("reviewer", full_name="Айгерим Сапарова"), make_user("reviewer")
    assert act(first, app_id, "start_review", 2).status_code == 200
    response = act(second, app_id, "start_review", 2)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "stale_version" and "Айгерим Сапарова" in error["message"]
    assert error["details"]["current_version"] == 3
    assert error["details"]["changes"][0]["action"] == "start_review"
    assert get_application(app_id).assignee_id == first.id  # nothing overwritten


@pytest.mark.parametrize(("body", "field"), [
    ({"action": "start_review"}, "version"),
    ({"action": "start_review", "version": "2"}, "version"),
    ({"action": "start_review", "version": 0}, "version"),
    ({"action": "fly", "version": 2}, "action"),
    ({"action": "start_review", "version": 2, "comment": 5}, "comment"),
    ({"action": "start_review", "version": 2, "colour": "red"}, "colour"),
])
def test_malformed_action_requests_are_422(body, field, client, make_application, make_user, api_token):
    app_id = make_application()
    response = client.post(f"/api/v1/applications/{app_id}/actions", headers=api_token(make_user("reviewer")),
                           json=body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_unknown_application_is_404_and_no_token_is_401(client, make_user, api_token):
    headers = api_token(make_user("reviewer"))
    assert client.post("/api/v1/applications/999999/actions", headers=headers,
                       json={"action": "start_review", "version": 1}).status_code == 404
    assert client.post("/api/v1/applications/1/actions", json={"action": "start_review", "version": 1}
                       ).status_code == 401
