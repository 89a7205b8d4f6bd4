"""The harness itself: a CSP violation or a failed load in the browser is caught, not ignored; so are a page
wider than the screen, an error summary below the first screen and an accessibility violation."""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import pairs


def test_csp_violation_and_failed_load_are_recorded(page, live_server, console):
    page.goto(live_server("/"))
    page.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = 'window.injected = 1';
        document.body.appendChild(s);
        const l = document.createElement('link');
        l.rel = 'stylesheet'; l.href = '/static/does-not-exist.css';
        document.head.appendChild(l);
    }""")
    # Until the harness has seen both (never a fixed wait: a slow machine takes longer, a fast one less).
    seen = lambda: ("Content Security Policy" in "\n".join(console.errors)  # noqa: E731
                    and "stylesheet" in "\n".join(console.errors))
    deadline = time.monotonic() + 15
    while not seen() and time.monotonic() < deadline:
        page.wait_for_timeout(25)  # lets Playwright deliver the events
    assert page.evaluate("window.injected") is None  # the CSP refused the inline script
    text = "\n".join(console.errors)
    assert "Content Security Policy" in text
    assert "failed to load stylesheet" in text or "HTTP 404 for stylesheet" in text
    console.errors.clear()  # seen on purpose; the page fixture would fail the test otherwise


def _fails(shot, page) -> str:
    with pytest.raises(pytest.fail.Exception) as failed:
        shot(page, "must-fail")
    return str(failed.value)


@pytest.mark.parametrize(("device", "lang"), pairs(("phone", "ru")))
def test_every_check_of_a_screen_can_fail(page, live_server, shot):
    """A real page, then one defect at a time added by script (a script of the test, not of the page: the CSP
    would refuse an inline one); ``shot()`` fails on each and names it."""
    page.goto(live_server("/"))
    shot(page, "clean")  # the page as served passes

    page.evaluate("""() => {
        const wide = document.createElement("div");
        wide.id = "too-wide"; wide.style.width = "900px"; wide.textContent = "wide";
        document.querySelector("main").append(wide);
    }""")
    message = _fails(shot, page)
    assert "wide on a 390px screen" in message and "div#too-wide" in message, message
    page.evaluate("() => document.getElementById('too-wide').remove()")

    page.evaluate("""() => {
        const b = document.createElement("button");
        b.id = "nameless"; b.type = "button";  // a button with no name: nothing for a screen reader to say
        document.querySelector("main").append(b);
    }""")
    message = _fails(shot, page)
    assert "axe button-name (critical)" in message and "#nameless" in message, message
    page.evaluate("() => document.getElementById('nameless').remove()")

    page.evaluate("""() => {
        const spacer = document.createElement("div");
        spacer.id = "spacer"; spacer.style.height = "3000px";
        const summary = document.createElement("div");
        summary.className = "flash flash-error"; summary.setAttribute("role", "alert");
        summary.textContent = "Please correct the marked fields.";
        document.querySelector("main").append(spacer, summary);
        scrollTo(0, 0);
    }""")
    message = _fails(shot, page)
    assert "below the first screen" in message, message
