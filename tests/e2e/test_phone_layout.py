"""No page is wider than the screen, at desktop and phone size; on a phone the header takes at most 15 % of it;
every kind of page passes axe-core.

A crawler signs in as each kind of user of the demo data (`make run`'s), follows every link of the site it
meets (one page of each kind: ids and query strings aside), saves a screenshot of each and fails on any page
that scrolls sideways (naming the elements that stick out), shows its error summary below the first screen or
has an axe-core violation. Tables may scroll inside their own box; the page itself may not.
"""

from __future__ import annotations

import re
from collections import deque

import pytest

from tests.e2e.conftest import DEVICES, screen_problems, shots_for

# Not pages: files, feeds, the API, actions behind a link, language switches.
SKIP = re.compile(r"^/(api|static|metrics|logout|lang|language|healthz|open-data/.+\.csv)"
                  r"|\.(pdf|csv|xlsx|json|yaml|svg|png|zip)(\?|$)"
                  r"|/(pdf|download|export|source\.yaml)(/|\?|$)|/documents/\d+$")
PAGES_PER_USER = 45
HEADER_SHARE = 0.15  # of the phone's screen height, at most
# The screenshot and axe-core are taken once per kind of page and device in a session (the users' crawls share
# many kinds): every kind is photographed and checked, and the crawl stays quick. Sideways scrolling, the error
# summary and the header are checked on every page.
PHOTOGRAPHED: set[tuple[str, str]] = set()


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _crawl(page, live_server, start: str, shot, device: str) -> dict[str, list[str]]:
    seen: set[str] = set()
    problems: dict[str, list[str]] = {}
    queue = deque([start])
    while queue and len(seen) < PAGES_PER_USER:
        path = queue.popleft()
        if _shape(path) in seen:
            continue
        seen.add(_shape(path))
        response = page.goto(live_server(path))
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        first = (device, _shape(path)) not in PHOTOGRAPHED
        PHOTOGRAPHED.add((device, _shape(path)))
        if first:
            shot.save(page, path)
        found = screen_problems(page, axe=first)
        if device == "phone":
            header = page.evaluate("() => document.querySelector('header.site-header').getBoundingClientRect().height")
            if header > HEADER_SHARE * DEVICES[device].height:
                found.append(f"the header is {header:.0f}px high ({header / DEVICES[device].height:.0%} of the screen)")
        if found:
            problems[path] = found
        for href in page.evaluate("() => Array.from(document.querySelectorAll("
                                  "'main a[href]:not([download]), header a[href]:not([download])'), "
                                  "a => a.getAttribute('href'))"):
            href = href.split("#", 1)[0].split("?", 1)[0]
            if href.startswith("/") and not SKIP.search(href) and _shape(href) not in seen:
                queue.append(href)
    assert len(seen) >= 5, f"the crawler reached only {sorted(seen)}"
    return problems


USERS = [None, "company@turan-agromash.kz", "company@syrdarya-textile.uz", "reviewer@icic-demo.kz",
         "approver@icic-demo.kz", "auditor@icic-demo.kz", "admin@icic-demo.kz"]


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output


def _user_id(email: str | None) -> str:
    return (email or "visitor").split("@")[0] + ("-uz" if email and email.endswith(".uz") else "")


@pytest.mark.parametrize("email", USERS, ids=_user_id)
def test_every_page_fits_the_screen_and_passes_axe(request, new_context, live_server, demo, email, sign_in, console):
    """Each user's crawl runs at both sizes in one test: the demo data is seeded once for both."""
    from zone.demo.seed import DEMO_PASSWORD

    problems = {}
    for device in DEVICES:
        page = new_context(**DEVICES[device].context_options()).new_page()
        start = "/"
        if email:
            sign_in(page, email, password=DEMO_PASSWORD)
            start = page.url.removeprefix(live_server(""))
        found = _crawl(page, live_server, start, shots_for(request.node, device, console), device)
        problems.update({f"{device} {path}": p for path, p in found.items()})
        page.context.close()
        console.check()
    assert not problems, "\n".join(f"{path}: " + "\n  ".join(found) for path, found in problems.items())


@pytest.mark.parametrize("device", ["phone"])
def test_a_table_wider_than_the_phone_scrolls_in_a_box_the_keyboard_reaches(page, live_server, demo, device):
    page.goto(live_server("/residents"))
    box = page.locator(".table-wrap").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the register is wider than the phone
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "group"
    assert box.get_attribute("aria-label")  # named after the table's caption
    box.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)  # smooth scrolling
    assert box.evaluate("b => b.scrollLeft") > 0
