"""Browser harness: a live server on loopback and Playwright driving Debian's Chromium.

* ``live_server``: the test ``app`` (fresh database, CSRF switched back on, as in production) served by
  werkzeug in a thread on 127.0.0.1 and a free port; ``BASE_URL`` points at it, so QR codes and mailed
  links open this server.
* ``browser``: one headless Chromium per session (per xdist worker), launched from
  ``/usr/bin/chromium``; Playwright gives every launch a fresh temporary profile (user-data-dir).
* ``page``: a fresh browser context per test. Every page of the context records its console messages
  and uncaught errors; any console error (CSP violations are console errors) fails the test, at the next
  ``shot()`` and at the end.
* ``shot(page, "step")``: asserts the console is clean and saves ``build/e2e/<test>/<nn>-<step>.png``.

Tests here are marked ``browser`` automatically.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ZONE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SHOTS_DIR = Path(__file__).resolve().parents[2] / "build" / "e2e"
DEFAULT_TIMEOUT_MS = 15_000
ASSET_TYPES = frozenset({"stylesheet", "script", "image", "font", "media"})


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)  # lets the page fixture see a failed test
    return report


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.browser)


# --- live server -----------------------------------------------------------------------------------

@pytest.fixture
def app_overrides():
    # The browser sends real forms: keep CSRF on, as in production.
    return {"WTF_CSRF_ENABLED": True}


@dataclass
class LiveServer:
    url: str
    app: object

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture
def live_server(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(url=url, app=app)
    server.shutdown()
    thread.join(timeout=10)


# --- browser ---------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps-test` (Debian package chromium)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class ConsoleLog:
    """Console messages and page errors of every page in one browser context."""

    entries: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", lambda msg: self._console(msg))
        page.on("pageerror", lambda exc: self._error(f"pageerror on {page.url}: {exc}"))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)

    def _response(self, response) -> None:
        # A server error anywhere, or a broken asset (stylesheet, image, script), is a defect.
        kind = response.request.resource_type
        if response.status >= 500 or (response.status >= 400 and kind in ASSET_TYPES):
            self._error(f"HTTP {response.status} for {kind} {response.url}")

    def _request_failed(self, request) -> None:
        # Assets the browser refused or could not load (e.g. an HTML 404 served for a stylesheet with nosniff).
        if request.resource_type in ASSET_TYPES:
            self._error(f"failed to load {request.resource_type} {request.url}: {request.failure}")

    def _console(self, msg) -> None:
        text = f"console.{msg.type} on {msg.location.get('url') or '?'}: {msg.text}"
        self.entries.append(text)
        if msg.type == "error":
            self._error(text)

    def _error(self, text: str) -> None:
        if not any(p.search(text) for p in self.allowed):
            self.errors.append(text)

    def allow(self, pattern: str) -> None:
        """Tolerate console errors matching ``pattern`` (e.g. a 404 the test provokes on purpose)."""
        self.allowed.append(re.compile(pattern))

    def check(self) -> None:
        if self.errors:
            errors, self.errors = self.errors, []
            pytest.fail("Browser console errors (CSP violations, failed loads, script errors):\n  "
                        + "\n  ".join(errors), pytrace=False)


@pytest.fixture
def console():
    return ConsoleLog()


@pytest.fixture
def context(browser, console, request):
    locale = getattr(request, "param", None) or "ru-RU"
    ctx = browser.new_context(locale=locale, accept_downloads=True, viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    ctx.on("page", console.attach)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, console, request):
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and not page.is_closed():
        # What the user saw when it went wrong: the screenshot and the page's text.
        directory = SHOTS_DIR / _slug(request.node.name)
        directory.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(directory / "failure.png"), full_page=True)
        (directory / "failure.txt").write_text(f"{page.url}\n\n{page.inner_text('body')}", encoding="utf-8")
    console.check()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:80] or "step"


class Shots:
    """Numbered screenshots of one test's journey; each also checks that the console stayed clean."""

    def __init__(self, directory: Path, console: ConsoleLog):
        self.directory = directory
        self.console = console
        self.count = 0

    def __call__(self, page, step: str) -> Path:
        self.count += 1
        path = self.directory / f"{self.count:02d}-{_slug(step)}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        self.console.check()
        return path


@pytest.fixture
def shot(request, console):
    directory = SHOTS_DIR / _slug(request.node.name)
    if directory.exists():
        for old in directory.iterdir():
            old.unlink()
    return Shots(directory, console)


# --- helpers for journeys ---------------------------------------------------------------------------

@pytest.fixture
def tr(app):
    """``tr(msgid, locale, **params)``: the app's own translation, to assert what a user reads."""
    from flask_babel import force_locale, gettext

    def _tr(msgid: str, locale: str, **params) -> str:
        with app.test_request_context("/"), force_locale(locale):
            return gettext(msgid, **params)

    return _tr


@pytest.fixture
def sign_in(live_server):
    """Sign a user in through the real form (``/login?lang=…``) and land on the page it redirects to."""
    from tests.conftest import PASSWORD

    def _sign_in(page, user, password: str = PASSWORD, lang: str | None = None):
        page.goto(live_server("/login" + (f"?lang={lang}" if lang else "")))
        page.fill("#email", user if isinstance(user, str) else user.email)
        page.fill("#password", password)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        return page

    return _sign_in


def open_menu(page) -> None:
    """On a phone the menu (and the account box) is folded into one line: open it, as a person would tap it."""
    menu = page.locator("details.phone-menu")
    if menu.is_visible() and menu.get_attribute("open") is None:
        menu.locator("summary").click()


@pytest.fixture
def sign_out(live_server):
    def _sign_out(page):
        open_menu(page)
        with page.expect_navigation():
            page.click(".user-box:visible form button[type=submit]")

    return _sign_out
