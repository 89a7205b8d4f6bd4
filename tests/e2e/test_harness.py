"""The harness itself: a CSP violation or a failed load in the browser is caught, not ignored."""

from __future__ import annotations

import time


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
