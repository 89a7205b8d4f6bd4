"""Never lose what was typed: a section saved after the session ended (idle sign-out, expired cookie, stale
form token) is kept; after signing in again its author sends it once more and it is saved."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from tests.applications.test_form_html import version_of
from tests.conftest import PASSWORD
from zone.applications.models import Application
from zone.extensions import db

TYPED = {"project_title": "Завод капельного орошения «Сайрам»",
         "project_description": "Ленты и трубки из ПЭ для хлопковых полей.\nВторая строка."}


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}  # the form token is part of what expires


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _sign_in(client, user) -> None:
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                            "csrf_token": _csrf(page)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def _draft(client, user) -> tuple[int, int]:
    _sign_in(client, user)
    page = client.get("/applications/new").get_data(as_text=True)
    created = client.post("/applications/new", data={"side": "KZ", "csrf_token": _csrf(page)})
    app_id = int(re.search(r"/applications/(\d+)/edit/project", created.headers["Location"]).group(1))
    return app_id, int(version_of(client.get(f"/applications/{app_id}/edit/project").get_data(as_text=True)))


def _token(location: str) -> str:
    return re.search(r"next=(?:%2F|/)resume(?:%2F|/)([^&]+)", location).group(1)


def _resume_and_send(client, user, location: str):
    assert location.startswith("/login?next=")
    _sign_in(client, user)
    token = _token(location)
    page = client.get(f"/resume/{token}?lang=en").get_data(as_text=True)
    assert "Send what you typed again" in page
    kept = {html.unescape(n): html.unescape(v)
            for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)}
    assert kept["project_title"] == TYPED["project_title"]
    assert kept["project_description"] == TYPED["project_description"]
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)" id="form-resume">', page).group(1))
    return token, client.post(action, data=kept)


@pytest.fixture
def company_user(make_user):
    return make_user("applicant")


def test_a_save_after_the_idle_sign_out_is_kept_until_the_author_signs_in(client, company_user, app):
    app_id, version = _draft(client, company_user)
    page = client.get(f"/applications/{app_id}/edit/project").get_data(as_text=True)
    with client.session_transaction() as session:
        session["last_seen"] -= app.config["SESSION_IDLE_MINUTES"] * 60 + 5
    refused = client.post(f"/applications/{app_id}/edit/project",
                          data={"version": version, "save": "1", "csrf_token": _csrf(page), **TYPED})
    assert refused.status_code == 302
    token, sent = _resume_and_send(client, company_user, refused.headers["Location"])
    assert sent.status_code == 302, sent.get_data(as_text=True)[:500]
    with app.app_context():
        saved = db.session.get(Application, app_id)
        assert saved.project_title == TYPED["project_title"]
    assert client.get(f"/resume/{token}").status_code == 302  # once only


def test_a_save_with_an_expired_cookie_is_kept_and_no_password_ever_is(client, company_user, app):
    app_id, version = _draft(client, company_user)
    page = client.get(f"/applications/{app_id}/edit/project").get_data(as_text=True)
    client.delete_cookie("zone_session")  # the browser dropped the session: the form token no longer matches
    refused = client.post(f"/applications/{app_id}/edit/project",
                          data={"version": version, "save": "1", "csrf_token": _csrf(page), **TYPED,
                                "password": "not-kept-1"})
    assert refused.status_code == 302
    from zone.accounts.models import FormResume

    with app.app_context():
        rows = db.session.scalars(select(FormResume)).all()
        assert len(rows) == 1 and all("password" not in name for name, _ in rows[0].fields)
    _token, sent = _resume_and_send(client, company_user, refused.headers["Location"])
    assert sent.status_code == 302
    with app.app_context():
        assert db.session.get(Application, app_id).project_title == TYPED["project_title"]


def test_a_stale_form_token_of_a_signed_in_author_goes_straight_to_the_resume_page(client, company_user, app):
    app_id, version = _draft(client, company_user)
    refused = client.post(f"/applications/{app_id}/edit/project",
                          data={"version": version, "save": "1", "csrf_token": "stale", **TYPED})
    assert refused.status_code == 302 and "/resume/" in refused.headers["Location"]
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert TYPED["project_title"] in html.unescape(page)


def test_another_browser_or_account_cannot_take_what_was_kept(client, company_user, make_user, app):
    app_id, version = _draft(client, company_user)
    client.delete_cookie("zone_session")
    refused = client.post(f"/applications/{app_id}/edit/project",
                          data={"version": version, "save": "1", **TYPED})
    token = _token(refused.headers["Location"])
    other = app.test_client()  # no resume cookie: another browser
    _sign_in(other, company_user)
    assert other.get(f"/resume/{token}").status_code == 302  # "no longer kept"
    stranger = make_user("applicant")
    _sign_in(client, stranger)  # this browser, but after the author's session: the stash has no user...
    page = client.get(f"/resume/{token}")
    assert page.status_code == 200  # ...so the browser secret is what binds it; a stranger's form would
    # still be sent to the author's application and refused there by the access rules:
    kept = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.get_data(as_text=True)))
    kept["csrf_token"] = _csrf(page.get_data(as_text=True))
    assert client.post(f"/applications/{app_id}/edit/project", data=kept).status_code in (403, 404)


def test_sign_in_forms_are_never_kept(client, company_user, app):
    from zone.accounts.models import FormResume

    response = client.post("/login", data={"email": company_user.email, "password": "x", "csrf_token": "stale"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(FormResume)).all() == []
