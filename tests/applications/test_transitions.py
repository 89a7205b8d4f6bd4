"""The transition table, walked completely: every (status, action) pair, the forbidden ones too."""

from __future__ import annotations

import itertools

import pytest

from zone.applications.workflow import TRANSITIONS, Action, Status

APPLICANT_ACTIONS = {Action.SUBMIT: "submit", Action.WITHDRAW: "withdraw", Action.RESUBMIT: "resubmit"}
PAIRS = list(itertools.product(Status, Action))


def _prepare(client, headers, complete_application, set_status, status: Status) -> int:
    application = complete_application(headers)
    if status != Status.DRAFT:
        from datetime import UTC, date, datetime

        set_status(application["id"], status, number=f"A-2026-9{application['id']:04d}",
                   submitted_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC), review_deadline=date(2026, 3, 16))
    return application["id"]


def test_every_pair_is_walked_by_exactly_one_test():
    """The two walks below split every (status, action) pair between them, and the table names no pair
    outside them: a new status or action is walked the day it is added."""
    by_company = {p for p in PAIRS if p[1] in APPLICANT_ACTIONS}
    by_staff = {p for p in PAIRS if p[1] not in APPLICANT_ACTIONS}
    assert not by_company & by_staff
    assert by_company | by_staff == {(s, a) for s in Status for a in Action}
    assert set(TRANSITIONS) <= by_company | by_staff
    assert {a for _s, a in TRANSITIONS} == set(Action)  # no action that nothing allows
    assert set(APPLICANT_ACTIONS) <= {a for _s, a in TRANSITIONS}


@pytest.mark.parametrize(("status", "action"), [p for p in PAIRS if p[1] in APPLICANT_ACTIONS],
                         ids=lambda v: str(v))
def test_company_actions_through_the_api(client, applicant_headers, complete_application, set_status, db_get,
                                         status, action):
    from zone.applications.models import Application

    application_id = _prepare(client, applicant_headers, complete_application, set_status, status)
    before = db_get(Application, application_id)
    response = client.post(f"/api/v1/applications/{application_id}/{APPLICANT_ACTIONS[action]}",
                           headers=applicant_headers)
    after = db_get(Application, application_id)
    if (status, action) in TRANSITIONS:
        target, _roles = TRANSITIONS[(status, action)]
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["status"] == target
        assert after.status == target and after.version == before.version + 1
    else:
        assert response.status_code == 409, response.get_json()
        error = response.get_json()["error"]
        assert error["code"] == "illegal_transition"
        assert error["details"] == {"status": status.value, "action": action.value}
        assert after.status == status and after.version == before.version


@pytest.mark.parametrize(("status", "action"), [p for p in PAIRS if p[1] not in APPLICANT_ACTIONS],
                         ids=lambda v: str(v))
def test_staff_actions_through_apply_action(app, client, applicant_headers, complete_application, set_status,
                                            make_user, status, action):
    from zone.applications.lifecycle import apply_action
    from zone.applications.models import Application, ApplicationEvent
    from zone.errors import Conflict
    from zone.extensions import db

    application_id = _prepare(client, applicant_headers, complete_application, set_status, status)
    roles = TRANSITIONS.get((status, action), (None, {"reviewer"}))[1]
    actor = make_user(sorted(roles)[0])
    with app.app_context():
        application = db.session.get(Application, application_id)
        version = application.version
        if (status, action) in TRANSITIONS:
            event = apply_action(application, action, db.session.merge(actor), expected_version=version,
                                 comment="проверка")
            db.session.commit()
            assert application.status == TRANSITIONS[(status, action)][0]
            assert event.from_status == status and event.comment == "проверка"
        else:
            with pytest.raises(Conflict) as raised:
                apply_action(application, action, db.session.merge(actor), expected_version=version)
            assert raised.value.code == "illegal_transition"
            db.session.rollback()
            assert db.session.get(Application, application_id).status == status
            assert db.session.query(ApplicationEvent).filter_by(application_id=application_id,
                                                                kind="transition").count() == 0


@pytest.mark.parametrize(("status", "action"), list(TRANSITIONS), ids=lambda v: str(v))
def test_a_role_outside_the_table_is_refused(app, client, applicant_headers, complete_application, set_status,
                                             make_user, status, action):
    from zone.applications.lifecycle import apply_action
    from zone.applications.models import Application
    from zone.errors import Forbidden
    from zone.extensions import db

    application_id = _prepare(client, applicant_headers, complete_application, set_status, status)
    allowed = TRANSITIONS[(status, action)][1]
    wrong = next(r for r in ("auditor", "admin", "reviewer", "approver") if r not in allowed)
    actor = make_user(wrong)
    with app.app_context():
        application = db.session.get(Application, application_id)
        with pytest.raises(Forbidden):
            apply_action(application, action, db.session.merge(actor))
        db.session.rollback()


def test_every_transition_is_recorded_and_audited(client, applicant_headers, complete_application, app):
    application = complete_application(applicant_headers)
    client.post(f"/api/v1/applications/{application['id']}/submit", headers=applicant_headers)
    client.post(f"/api/v1/applications/{application['id']}/withdraw", json={"comment": "Нашли другой участок"},
                headers=applicant_headers)
    from zone.applications.models import ApplicationEvent
    from zone.audit.models import AuditEvent
    from zone.extensions import db

    with app.app_context():
        events = db.session.query(ApplicationEvent).filter_by(application_id=application["id"], kind="transition") \
            .order_by(ApplicationEvent.id).all()
        assert [(e.action, e.from_status, e.to_status) for e in events] == [
            ("submit", "draft", "submitted"), ("withdraw", "submitted", "withdrawn")]
        assert events[1].comment == "Нашли другой участок" and events[1].visible_to_company
        audit = [a.action for a in db.session.query(AuditEvent).filter_by(object_type="application",
                                                                            object_id=str(application["id"]))]
        assert "application.submit" in audit and "application.withdraw" in audit


def test_illegal_transition_in_html_stays_on_the_page_with_409(client, applicant, applicant_headers, login,
                                                              complete_application):
    application = complete_application(applicant_headers)
    client.post(f"/api/v1/applications/{application['id']}/withdraw", headers=applicant_headers)
    login(applicant)
    response = client.post(f"/applications/{application['id']}/submit", data={"version": "2"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "не возможно" in page or "невозможно" in page or "not possible" in page
    assert "Отозвана" in page or "Withdrawn" in page  # the page of the application, not an error page
