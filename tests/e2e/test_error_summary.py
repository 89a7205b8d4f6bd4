"""After a refused save the page opens at its error summary, which has the focus, on a phone and on a desktop;
while a form is being sent its button says so and cannot be pressed twice."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PAIRWISE, pairs

SUMMARY_IN_VIEW = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  return {cls: el.className, role: el.getAttribute("role"), top: box.top, bottom: box.bottom, height: innerHeight};
}"""


@pytest.mark.parametrize(("device", "lang"), pairs(*PAIRWISE))
def test_a_refused_registration_opens_at_the_focused_error_summary(page, live_server, shot, device):
    page.goto(live_server("/register"))
    page.fill("#company_name", "ТОО «Ошибка»")
    page.fill("#email", "not-an-email")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    focused = page.evaluate(SUMMARY_IN_VIEW)
    assert "flash-error" in focused["cls"] and focused["role"] == "alert", focused
    assert focused["top"] >= -1 and focused["bottom"] <= focused["height"], focused  # in the first screen
    assert page.input_value("#company_name") == "ТОО «Ошибка»"  # what was typed is kept
    shot(page, "register-refused")


RECORD_BUTTON = """document.addEventListener("submit", () => setTimeout(() => {
  const b = document.querySelector("main form button[type=submit]");
  sessionStorage.setItem("button-while-sending", JSON.stringify([b.disabled, b.getAttribute("aria-busy")]));
}, 100));"""


def test_a_form_being_sent_cannot_be_sent_twice(new_context, live_server):
    """The button is disabled while the request travels (a slow line: the server takes a second to answer)."""
    import time

    from flask import request

    def slow_line():
        if request.method == "POST" and request.path == "/register":
            time.sleep(1)

    live_server.app.before_request_funcs.setdefault(None, []).insert(0, slow_line)
    context = new_context()
    context.add_init_script(RECORD_BUTTON)  # notes the button's state 0.1 s after sending, before the answer
    page = context.new_page()
    page.goto(live_server("/register"))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.evaluate("sessionStorage.getItem('button-while-sending')") == '[true,"true"]'
    assert page.locator("main form button[type=submit]").is_enabled()  # the answer's page: ready again
