"""Browser harness: a live server on loopback and Playwright driving Debian's Chromium.

* ``live_server``: the test ``app`` (fresh database, CSRF switched back on, as in production) served by
  werkzeug in a thread on 127.0.0.1 and a free port; ``BASE_URL`` points at it, so QR codes and mailed
  links open this server.
* ``browser``: one headless Chromium per session (per xdist worker), launched from
  ``/usr/bin/chromium``; Playwright gives every launch a fresh temporary profile (user-data-dir).
* ``device`` × ``lang``: one place for both. ``DEVICES``: desktop 1366 × 768 and phone 390 × 844 (mobile,
  touch); ``LANGS``: ru and en, with kk and uz as spot checks. A test parametrizes ``("device", "lang")`` with
  ``every_device_and_language()`` or ``pairs(...)``; unparametrized, it runs on the desktop in Russian.
  The residency journey (test_journeys.py) walks every device in both languages. The other journeys walk the
  pairs ``PAIRWISE`` (desktop-ru, phone-en), which cover each device and each language once: the full product
  for all of them took the browser suite from 3.2 to 7.2 minutes (measured on 2 cores), pairs to about 5.
  The cooperation journey adds desktop-kk and phone-uz as spot checks. The crawler (test_phone_layout.py)
  walks every page at both sizes.
* ``context`` / ``page``: a fresh browser context of the test's device and language. Every page of the context
  records its console messages and uncaught errors; any console error (CSP violations are console errors)
  fails the test, at the next ``shot()`` and at the end. ``new_context()`` opens another (a visitor).
* ``shot(page, "step")`` saves ``build/e2e/<test id, with its language>/<device>/<nn>-<step>.png`` and fails the
  test unless the screen passes every check: a clean console, no sideways scrolling (naming the widest
  elements that stick out), the error summary (if any) in the first screen once the page has loaded, and no
  axe-core violation (WCAG 2.1 A and AA, and best practices). axe-core comes from npm (package-lock.json,
  ``make deps-dev``) and is evaluated into the page through the DevTools protocol, which the CSP does not
  govern; the CSP itself stays strict.

Tests here are marked ``browser`` automatically.
"""

from __future__ import annotations

import functools
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


# --- devices and languages ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Device:
    name: str
    width: int
    height: int
    is_mobile: bool = False

    def context_options(self) -> dict:
        return {"viewport": {"width": self.width, "height": self.height}, "is_mobile": self.is_mobile,
                "has_touch": self.is_mobile, "device_scale_factor": 1}


DEVICES = {"desktop": Device("desktop", 1366, 768), "phone": Device("phone", 390, 844, is_mobile=True)}
LANGS = ("ru", "en")
LOCALES = {"ru": "ru-RU", "en": "en-US", "kk": "kk-KZ", "uz": "uz-UZ"}  # what the browser asks for


def every_device_and_language(*, spot: tuple[tuple[str, str], ...] = ()) -> list:
    """Parameters ``(device, lang)``: every device in ru and en, plus spot checks such as ``("phone", "kk")``."""
    return [pytest.param(d, lang, id=f"{d}-{lang}") for d in DEVICES for lang in LANGS] + pairs(*spot)


def pairs(*cases: tuple[str, str]) -> list:
    """Parameters ``(device, lang)`` for the given pairs only."""
    return [pytest.param(d, lang, id=f"{d}-{lang}") for d, lang in cases]


# Each device and each language once, for the journeys besides the residency one (see the module's docstring).
PAIRWISE = (("desktop", "ru"), ("phone", "en"))



@pytest.fixture
def device() -> str:
    """The device a test runs on; parametrize ``device`` (and ``lang``) to run it on others."""
    return "desktop"


@pytest.fixture
def lang() -> str:
    """The language the browser asks for (Accept-Language); a journey may switch explicitly too."""
    return "ru"


@pytest.fixture
def new_context(browser, console, device, lang):
    """``new_context(**options)``: another browser context of the test's device and language (a visitor beside
    the signed-in user), watched by the console log and closed at the end."""
    made = []

    def _new_context(**options):
        ctx = browser.new_context(**{"locale": LOCALES[lang], "accept_downloads": True,
                                     **DEVICES[device].context_options(), **options})
        ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
        ctx.add_init_script(RECORD_SUMMARY_AT_LOAD)
        ctx.on("page", console.attach)
        made.append(ctx)
        return ctx

    yield _new_context
    for ctx in made:
        ctx.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context, console, shot, request):
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and not page.is_closed():
        # What the user saw when it went wrong: the screenshot and the page's text.
        shot.directory.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot.directory / "failure.png"), full_page=True)
        (shot.directory / "failure.txt").write_text(f"{page.url}\n\n{page.inner_text('body')}", encoding="utf-8")
    console.check()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:80] or "step"


def shots_id(node) -> str:
    """The test's id without its device (the device is a folder of its own): ``test_x[en]``."""
    name = node.name
    if name.endswith("]"):
        base, params = name[:-1].split("[", 1)
        kept = [p for p in params.split("-") if p not in DEVICES]
        name = base + (f"[{'-'.join(kept)}]" if kept else "")
    return _slug(name)


# --- what every photographed screen must pass ----------------------------------------------------------

# The error summary a refused form opens at: the same element zone.js scrolls to and focuses.
SUMMARY = ".error-summary, .flash-error, [data-error-summary]"
# Where the summary was when the page had loaded (and zone.js had run): a test may scroll on afterwards.
RECORD_SUMMARY_AT_LOAD = """addEventListener("load", () => setTimeout(() => {
  const s = document.querySelector(SUMMARY);
  window.__zoneSummaryAtLoad = s ? {top: s.getBoundingClientRect().top, height: innerHeight} : null;
}, 0));""".replace("SUMMARY", repr(SUMMARY))
SUMMARY_POSITION = """(selector) => {
  const s = document.querySelector(selector);
  if (!s) return null;
  if (window.__zoneSummaryAtLoad) return window.__zoneSummaryAtLoad;
  return {top: s.getBoundingClientRect().top, height: innerHeight};  // added without a page load
}"""
# The width is given, not read: a mobile browser widens its viewport to fit content that overflows. Tables may
# scroll inside their own box (.table-wrap); the page itself may not. Names the widest offenders.
OVERFLOW = """(width) => {
  const wide = document.documentElement.scrollWidth;
  if (wide <= width) return null;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const scrolls = (el) => ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX);
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    let inside = false;  // within a box that scrolls (a table in its .table-wrap) or already reported
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (scrolls(p) || out.some((o) => o.el === p)) { inside = true; break; }
    }
    if (inside) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) out.push({el, right: box.right, why: Math.round(box.right) + "px"});
    else if (!scrolls(el) && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && el.children.length === 0)
      out.push({el, right: el.scrollWidth,
                why: "its text is " + el.scrollWidth + "px wide in " + el.clientWidth + "px"});
  }
  out.sort((a, b) => b.right - a.right);
  return {wide, width, out: out.slice(0, 6).map((o) => name(o.el) + " (" + o.why + ")")};
}"""
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")), count: v.nodes.length}));
}"""


@functools.cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make deps-dev` (npm ci installs axe-core from package-lock.json)",
                    pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page. The script is evaluated through the DevTools protocol, which the page's
    CSP does not govern (the CSP itself stays on: an inline script of the page's own still fails the test)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(AXE_RUN, AXE_TAGS)


def screen_problems(page, *, axe: bool = True) -> list[str]:
    """What is wrong with the screen as shown: sideways scrolling, an error summary out of the first screen,
    accessibility violations (axe-core)."""
    problems = []
    width = page.viewport_size["width"]
    overflow = page.evaluate(OVERFLOW, width)
    if overflow:
        problems.append(f"the page is {overflow['wide']}px wide on a {width}px screen: "
                        + (", ".join(overflow["out"]) or "(no single element named)"))
    summary = page.evaluate(SUMMARY_POSITION, SUMMARY)
    if summary and not -1 <= summary["top"] < summary["height"]:
        problems.append(f"the error summary ({SUMMARY}) starts at {summary['top']:.0f}px, below the first screen "
                        f"({summary['height']}px)")
    if axe:
        for v in axe_violations(page):
            problems.append(f"axe {v['id']} ({v['impact']}): {v['help']}; {v['count']} element(s), e.g. "
                            + " | ".join(v["targets"]))
    return problems


class Shots:
    """Numbered screenshots of one test's journey on one device. Each screen photographed must also pass: a clean
    console, no sideways scrolling, the error summary (if any) in the first screen, no axe-core violation."""

    def __init__(self, directory: Path, console: ConsoleLog):
        self.directory = directory
        self.console = console
        self.count = 0

    def save(self, page, step: str) -> Path:
        self.count += 1
        path = self.directory / f"{self.count:02d}-{_slug(step)}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        return path

    def __call__(self, page, step: str) -> Path:
        self.console.check()
        path = self.save(page, step)
        problems = screen_problems(page)
        if problems:
            pytest.fail(f"{step} ({page.url}), see {path}:\n  " + "\n  ".join(problems), pytrace=False)
        self.console.check()
        return path


def shots_for(node, device: str, console: ConsoleLog) -> Shots:
    """The screenshots of test ``node`` on ``device``: ``build/e2e/<test id>/<device>/``, emptied first."""
    directory = SHOTS_DIR / shots_id(node) / device
    if directory.exists():
        for old in directory.iterdir():
            old.unlink()
    return Shots(directory, console)


@pytest.fixture
def shot(request, console, device):
    return shots_for(request.node, device, console)


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
    """Sign a user in through the real form and land on the page it redirects to; with ``lang``, the language is
    chosen first (as with the header's switch), so it holds over the user's own for the whole session."""
    from tests.conftest import PASSWORD

    def _sign_in(page, user, password: str = PASSWORD, lang: str | None = None):
        page.goto(live_server(f"/lang/{lang}?next=/login" if lang else "/login"))
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
