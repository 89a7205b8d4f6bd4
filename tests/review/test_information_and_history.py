"""Information requests, the company's answer, messages and notes, and who sees which history."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from zone.calendar import today as zone_today
from zone.calendar import working_days_after


def _answer(app, app_id: int, applicant, comment="Выписка приложена."):
    """The company answers as the applications domain does: a ``resubmit`` transition."""
    from zone.accounts.models import User
    from zone.applications.lifecycle import apply_action
    from zone.applications.models import Application
    from zone.extensions import db

    with app.app_context():
        application = db.session.get(Application, app_id)
        apply_action(application, "resubmit", db.session.get(User, applicant.id),
                     expected_version=application.version, comment=comment)
        db.session.commit()


def test_information_request_round_trip(app, make_company, make_application, make_user, act, get_application,
                                        outbox):
    company = make_company()
    applicant = make_user("applicant", company=company, locale="kk")
    colleague = make_user("applicant", company=company)
    reviewer = make_user("reviewer", locale="ru")
    with app.app_context():
        today = zone_today()
        deadline = working_days_after("KZ", today, 4)
    app_id = make_application(status="in_review", company=company, created_by=applicant,
                              assignee_id=reviewer.id, review_deadline=deadline)
    answer_by = (today + timedelta(days=10)).isoformat()

    too_late = (today + timedelta(days=200)).isoformat()
    for bad in ({"deadline": answer_by}, {"comment": "Баланс?", "deadline": today.isoformat()},
                {"comment": "Баланс?", "deadline": too_late}, {"comment": "Баланс?", "deadline": "завтра"}):
        assert act(reviewer, app_id, "request_info", 2, **bad).status_code == 422, bad

    response = act(reviewer, app_id, "request_info", 2, comment="Приложите выписку банка.", deadline=answer_by)
    assert response.status_code == 200, response.get_json()
    after = get_application(app_id)
    assert after.status == "info_requested" and after.info_deadline.isoformat() == answer_by
    mails = [m for m in outbox() if m[1] == "info_requested"]
    assert sorted(m[0] for m in mails) == sorted([applicant.email, colleague.email])
    by_recipient = {m[0]: m for m in mails}
    assert "Приложите выписку банка." in by_recipient[applicant.email][3]
    assert "қосымша ақпарат" in by_recipient[applicant.email][2]  # Kazakh for the Kazakh-speaking user
    assert "нужна дополнительная информация" in by_recipient[colleague.email][2]

    _answer(app, app_id, applicant)
    after = get_application(app_id)
    assert after.status == "in_review" and after.info_deadline is None
    # The review clock was paused: the 4 working days left run again from the day of the answer.
    with app.app_context():
        assert after.review_deadline == working_days_after("KZ", zone_today(), 4)
    answered = [m for m in outbox() if m[1] == "answered"]
    assert [m[0] for m in answered] == [reviewer.email]
    assert "Выписка приложена." in answered[0][3]


def test_history_company_sees_only_what_is_meant_for_it(client, app, make_company, make_application, make_user,
                                                        act, api_token, login):
    company = make_company()
    applicant = make_user("applicant", company=company)
    reviewer = make_user("reviewer", full_name="Айгерим Сапарова")
    app_id = make_application(company=company)
    assert act(reviewer, app_id, "start_review", 2, comment="Принято в работу").status_code == 200
    staff_client = app.test_client()
    login(reviewer, the_client=staff_client)
    assert staff_client.post(f"/review/applications/{app_id}/notes", data={"note-text": "Проверить БИН в реестре"}
                             ).status_code == 302
    assert staff_client.post(f"/review/applications/{app_id}/messages",
                             data={"message-text": "Уточните площадь участка."}).status_code == 302
    assert act(reviewer, app_id, "recommend_rejection", 3, comment="Подозрительный баланс",
               grounds=["INVALID_INFORMATION"]).status_code == 200

    own = client.get(f"/api/v1/applications/{app_id}/history", headers=api_token(applicant))
    assert own.status_code == 200
    items = own.get_json()["items"]
    kinds = [(i["kind"], i["action"]) for i in items]
    assert ("note", None) not in kinds
    assert ("message", None) in kinds and ("transition", "start_review") in kinds
    assert ("transition", "recommend_rejection") in kinds
    text = json.dumps(own.get_json(), ensure_ascii=False)
    assert "Проверить БИН" not in text and "Подозрительный баланс" not in text
    assert "Айгерим" not in text  # staff appear as the administration
    start = next(i for i in items if i["action"] == "start_review")
    assert start["from"] == "submitted" and start["to"] == "in_review" and start["comment"] == "Принято в работу"
    assert start["actor"] and start["at"]

    for role in ("reviewer", "auditor"):
        staff = client.get(f"/api/v1/applications/{app_id}/history", headers=api_token(make_user(role)))
        assert staff.status_code == 200
        body = json.dumps(staff.get_json(), ensure_ascii=False)
        assert "Проверить БИН" in body and "Подозрительный баланс" in body

    stranger = make_user("applicant")
    assert client.get(f"/api/v1/applications/{app_id}/history", headers=api_token(stranger)).status_code == 404
    assert client.get(f"/api/v1/applications/{app_id}/history").status_code == 401
    assert client.get("/api/v1/applications/987654/history", headers=api_token(reviewer)).status_code == 404


def test_the_company_page_names_staff_as_the_api_does(client, app, make_company, make_application, make_user, act,
                                                      api_token, login):
    """The company's application page and the API history present people alike: its own people by name,
    the zone's staff only as the ICIC administration. Staff see names on both."""
    company = make_company()
    applicant = make_user("applicant", company=company, full_name="Нурлан Ахметов")
    reviewer = make_user("reviewer", full_name="Айгерим Сапарова")
    app_id = make_application(company=company, created_by=applicant)
    assert act(reviewer, app_id, "start_review", 2, comment="Принято в работу").status_code == 200
    staff_client = app.test_client()
    login(reviewer, the_client=staff_client)
    assert staff_client.post(f"/review/applications/{app_id}/messages",
                             data={"message-text": "Уточните площадь участка."}).status_code == 302

    login(applicant)
    page = client.get(f"/applications/{app_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Уточните площадь участка." in html and "Принято в работу" in html
    assert "Айгерим" not in html and "Сапарова" not in html
    assert "Администрация МЦПК" in html and "Нурлан Ахметов" in html
    api = client.get(f"/api/v1/applications/{app_id}/history", headers=api_token(applicant)).get_json()
    assert {i["actor"] for i in api["items"]} <= {"Администрация МЦПК", "Нурлан Ахметов"}

    staff_page = staff_client.get(f"/applications/{app_id}").get_data(as_text=True)
    assert "Айгерим Сапарова" in staff_page


def test_history_pages_with_a_cursor(client, make_application, make_user, api_token, app):
    from zone.applications.lifecycle import add_event
    from zone.applications.models import Application
    from zone.extensions import db

    app_id = make_application()
    with app.app_context():
        application = db.session.get(Application, app_id)
        for n in range(4):
            add_event(application, None, "message", comment=f"m{n}", bump_version=False)
        db.session.commit()
    headers = api_token(make_user("auditor"))
    seen, cursor = [], None
    while True:
        url = f"/api/v1/applications/{app_id}/history?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url, headers=headers).get_json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 5 and seen == sorted(seen)


@pytest.mark.parametrize("role", ["auditor", "applicant"])
def test_notes_and_messages_only_by_staff(role, client, make_application, login_as):
    app_id = make_application()
    login_as(role)
    assert client.post(f"/review/applications/{app_id}/notes", data={"note-text": "x"}).status_code == 403
    assert client.post(f"/review/applications/{app_id}/messages", data={"message-text": "x"}).status_code == 403
    assert client.post(f"/review/applications/{app_id}/checklist", data={}).status_code == 403
