"""Browser: a company registers (a mistake first, nothing typed is lost), signs out and signs in again."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import PAIRWISE, open_menu, pairs


def _switch_language(page, code: str) -> None:
    with page.expect_navigation():
        page.click(f".lang-switch a[hreflang={code}]")
    assert page.get_attribute("html", "lang") == code


@pytest.mark.parametrize(("device", "lang"), pairs(*PAIRWISE))
def test_register_sign_out_sign_in(page, live_server, shot, tr, valid_bin, sign_out, lang):
    page.goto(live_server("/"))
    if lang != "ru":
        _switch_language(page, lang)
    assert page.get_attribute("html", "lang") == lang
    shot(page, "home")

    page.click(f"text={tr('Register a company', lang)} >> visible=true >> nth=0")
    page.wait_for_url("**/register")
    assert page.locator("h1").inner_text() == tr("Register a company", lang)

    tax_id = valid_bin()
    email = f"director-{lang}@sarygash-metall.kz"
    page.fill("#company_name", "ТОО «Сарыагаш Металл»")
    page.select_option("#registration_country", "KZ")
    page.fill("#tax_id", tax_id)
    page.fill("#full_name", "Асель Нурлановна")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#password_confirm", PASSWORD + "-typo")
    shot(page, "register-filled-with-a-typo")
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    # The mistake is named next to its field and everything typed is still there.
    assert tr("The passwords do not match.", lang) in page.locator("#password_confirm-error").inner_text()
    assert page.input_value("#company_name") == "ТОО «Сарыагаш Металл»"
    assert page.input_value("#tax_id") == tax_id
    assert page.input_value("#email") == email
    assert page.input_value("#registration_country") == "KZ"
    shot(page, "register-error-kept-values")

    page.fill("#password", PASSWORD)
    page.fill("#password_confirm", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert tr("Welcome! Your company account is ready. You can now fill in an application.", lang) in \
        page.locator(".flashes").inner_text()
    open_menu(page)  # on a phone the account box is folded into the menu
    assert "Асель Нурлановна" in page.locator(".user-box:visible").inner_text()
    shot(page, "registered-and-signed-in")

    sign_out(page)
    assert tr("You have signed out.", lang) in page.locator(".flashes").inner_text()
    assert page.get_attribute("html", "lang") == lang  # the chosen language survives signing out

    open_menu(page)
    page.click(f".user-box:visible >> text={tr('Sign in', lang)}")
    page.fill("#email", email)
    page.fill("#password", "not-the-password")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert tr("The email or password is not right, or the account is disabled.", lang) in page.content()
    assert page.input_value("#email") == email
    shot(page, "wrong-password")

    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    open_menu(page)  # on a phone the account box is folded into the menu
    assert "Асель Нурлановна" in page.locator(".user-box:visible").inner_text()
    shot(page, "signed-in-again")


@pytest.mark.parametrize(("device", "lang"), pairs(*PAIRWISE))
def test_security_headers_and_no_inline_code(page, live_server, shot):
    """Every page the anonymous visitor can reach loads under the CSP with a clean console."""
    response = page.goto(live_server("/"))
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for path in ("/", "/login", "/register", "/password/forgot"):
        page.goto(live_server(path))
        assert page.locator("main h1").count() == 1
        shot(page, path.strip("/") or "home")
