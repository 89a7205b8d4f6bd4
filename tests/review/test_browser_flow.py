"""Done when: a reviewer and an approver take an application from submission to a decision in the browser,
with an information request in between, and the company sees every step and gets every email."""

from __future__ import annotations

from datetime import timedelta

from tests.review.forms import read_form
from zone.calendar import today as zone_today


def _submit(client, page: str, form_id: str, **changes):
    action, fields = read_form(page, form_id)
    for name, value in changes.items():
        fields[name] = value if isinstance(value, list) else [value]
    return client.post(action, data=fields)


def _company_answers(app, app_id: int, applicant):
    from zone.accounts.models import User
    from zone.applications.lifecycle import apply_action
    from zone.applications.models import Application
    from zone.extensions import db

    with app.app_context():
        application = db.session.get(Application, app_id)
        apply_action(application, "resubmit", db.session.get(User, applicant.id),
                     expected_version=application.version, comment="Выписка банка загружена.")
        db.session.commit()


def test_submitted_to_approved_in_the_browser(app, make_company, make_application, make_user, login, outbox,
                                              api_token):
    company = make_company(name="ТОО «Жетысай Полимер»")
    applicant = make_user("applicant", company=company)
    app_id = make_application(company=company, created_by=applicant)
    reviewer = make_user("reviewer", full_name="Айгерим Сапарова")
    approver = make_user("approver", full_name="Бахтиёр Каримов")
    rc, ac = app.test_client(), app.test_client()
    login(reviewer, the_client=rc)
    login(approver, the_client=ac)
    url = f"/review/applications/{app_id}"

    # The reviewer finds it in the queue and starts the review.
    assert f'href="{url}"' in rc.get("/review?assignee=unassigned").get_data(as_text=True)
    page = rc.get(url).get_data(as_text=True)
    assert _submit(rc, page, "form-start_review").status_code == 302

    # ... asks for more information ...
    page = rc.get(url).get_data(as_text=True)
    answer_by = (zone_today() + timedelta(days=10)).isoformat()
    response = _submit(rc, page, "form-request_info", **{"request_info-comment": "Приложите выписку банка.",
                                                          "request_info-deadline": answer_by})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert "приостановлен: ждём ответа компании" in rc.get("/review").get_data(as_text=True)

    # ... the company answers ...
    _company_answers(app, app_id, applicant)

    # ... the reviewer ticks the checklist, notes something internal and recommends approval.
    page = rc.get(url).get_data(as_text=True)
    assert "Выписка банка загружена." in page
    assert _submit(rc, page, "form-recommend_approval", **{
        "recommend_approval-comment": "Документы полные, участок есть."}).status_code == 302
    page = rc.get(url).get_data(as_text=True)
    assert "form-recommend_approval" not in page

    # The approver sees the benefits of the decision date, shortens none, and approves.
    page = ac.get(url).get_data(as_text=True)
    assert "Документы полные, участок есть." in page  # the reasoning reaches the approver
    action, fields = read_form(page, "form-approve")
    offered = [v[0] for k, v in fields.items() if k.endswith("-code")]
    assert "KZ_CIT" in offered and all(fields[k.replace("-code", "-granted")] == ["y"]
                                       for k in fields if k.endswith("-code"))
    asked = ac.post(action, data={**fields, "approve-comment": ["Одобрено комиссией."]}).get_data(as_text=True)
    assert "ICIC-KZ-" not in asked and "корпоративного подоходного налога" in asked  # what is signed, stated
    action, fields = read_form(asked, "form-confirm")  # confirming carries everything back
    response = ac.post(action, data=fields, follow_redirects=True)
    assert response.status_code == 200
    assert "Выдано свидетельство ICIC-KZ-" in response.get_data(as_text=True)

    from zone.applications.models import Application
    from zone.extensions import db
    with app.app_context():
        done = db.session.get(Application, app_id)
        assert done.status == "approved" and done.decided_by_id == approver.id
        assert done.recommended_by_id == reviewer.id and done.granted_benefits

    # The company sees every step, in order, with the request's text and deadline.
    history = app.test_client().get(f"/api/v1/applications/{app_id}/history", headers=api_token(applicant))
    steps = [(i["action"], i["to"]) for i in history.get_json()["items"] if i["kind"] == "transition"]
    assert steps == [("submit", "submitted"), ("start_review", "in_review"), ("request_info", "info_requested"),
                     ("resubmit", "in_review"), ("recommend_approval", "recommended"), ("approve", "approved")]
    request = next(i for i in history.get_json()["items"] if i["action"] == "request_info")
    assert request["comment"] == "Приложите выписку банка." and request["details"]["deadline"] == answer_by

    # ... and every email: the request and the decision to the company, the answer to the reviewer.
    mails = outbox()
    to_company = [kind for to, kind, _s, _b in mails if to == applicant.email]
    assert "info_requested" in to_company and "approved" in to_company
    assert [kind for to, kind, _s, _b in mails if to == reviewer.email] == ["answered"]


def test_rejection_in_the_browser(app, make_application, make_user, login, outbox):
    reviewer, approver = make_user("reviewer"), make_user("approver")
    app_id = make_application(status="in_review", assignee_id=reviewer.id)
    rc, ac = app.test_client(), app.test_client()
    login(reviewer, the_client=rc)
    login(approver, the_client=ac)
    url = f"/review/applications/{app_id}"
    page = rc.get(url).get_data(as_text=True)
    response = _submit(rc, page, "form-recommend_rejection", **{"recommend_rejection-comment": "Нет участка"})
    assert response.status_code == 200  # no ground chosen: the form comes back with the text kept
    html = response.get_data(as_text=True)
    assert "Нет участка" in html and "Выберите хотя бы одно основание" in html
    response = _submit(rc, html, "form-recommend_rejection", **{"recommend_rejection-comment": "Нет участка",
                                                                "recommend_rejection-grounds": "NO_SITE_AVAILABLE"})
    assert response.status_code == 302
    page = ac.get(url).get_data(as_text=True)
    action, fields = read_form(page, "form-reject")
    assert fields["reject-grounds"] == ["NO_SITE_AVAILABLE"]  # the reviewer's grounds are preset
    asked = ac.post(action, data={**fields, "reject-comment": ["Свободных участков нет до 2027 года."]})
    action, fields = read_form(asked.get_data(as_text=True), "form-confirm")
    response = ac.post(action, data=fields)
    assert response.status_code == 302
    assert [kind for _to, kind, _s, _b in outbox()].count("rejected") >= 1
