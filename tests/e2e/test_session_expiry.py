"""A session that ends while a company fills a section on its phone loses nothing: the save sends the person
to sign in, then back to what they typed, which one press saves."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TITLE = "Завод капельного орошения «Сайрам»"
DESCRIPTION = "Ленты и трубки из ПЭ для хлопковых и рисовых полей.\nВторая строка описания."


@pytest.mark.parametrize("how", ["cookie-lost", "form-token-stale"])
def test_a_section_saved_after_the_session_ended_is_kept_and_saved_after_signing_in(
        browser, live_server, console, shot, sign_in, make_user, client, api_token, how):
    from zone.applications.models import Application
    from zone.extensions import db

    user = make_user("applicant")
    created = client.post("/api/v1/applications", json={"side": "KZ"}, headers=api_token(user))
    application_id = created.get_json()["id"]
    context = browser.new_context(locale="ru-RU", **PHONE)
    context.on("page", console.attach)
    page = context.new_page()
    try:
        sign_in(page, user)
        page.goto(live_server(f"/applications/{application_id}/edit/project"))
        page.fill("#project_title", TITLE)
        page.fill("#project_description", DESCRIPTION)
        if how == "cookie-lost":  # the session ended: the browser no longer has its cookie
            context.clear_cookies()
        else:  # the form's token no longer matches the session (signed in again in another tab)
            page.evaluate("document.querySelectorAll('main form input[name=csrf_token]')"
                          ".forEach(i => { i.value = 'stale'; })")
        with page.expect_navigation():
            page.click("main form button.button[name=save]")

        if how == "cookie-lost":
            assert "/login" in page.url
            assert page.locator(".flashes").is_visible()
            shot(page, "asked-to-sign-in")
            page.fill("#email", user.email)
            page.fill("#password", PASSWORD)
            with page.expect_navigation():
                page.click("main form button[type=submit]")
        assert "/resume/" in page.url
        assert page.locator("#form-resume").is_visible()
        shot(page, "what-was-typed-is-kept")
        with page.expect_navigation():
            page.click("#form-resume button[type=submit]")

        with live_server.app.app_context():
            saved = db.session.scalar(select(Application).where(Application.id == application_id))
            assert saved.project_title == TITLE
            assert saved.project_description == DESCRIPTION
        assert f"/applications/{application_id}" in page.url
        shot(page, "saved")
    finally:
        context.close()
