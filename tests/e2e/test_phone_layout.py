"""On a phone (390 × 844) no page is wider than the screen, and the header takes at most 15 % of it.

A crawler signs in as each kind of user of the demo data (`make run`'s), follows every link of the site it
meets (one page of each kind: ids and query strings aside) and fails on any page that scrolls sideways,
naming the elements that stick out. Tables may scroll inside their own box; the page itself may not.
"""

from __future__ import annotations

import re
from collections import deque

import pytest

PHONE = {"width": 390, "height": 844}
# Not pages: files, feeds, the API, actions behind a link, language switches.
SKIP = re.compile(r"^/(api|static|metrics|logout|lang|language|healthz|open-data/.+\.csv)"
                  r"|\.(pdf|csv|xlsx|json|yaml|svg|png|zip)(\?|$)"
                  r"|/(pdf|download|export|source\.yaml)(/|\?|$)|/documents/\d+$")
PAGES_PER_USER = 45
HEADER_SHARE = 0.15  # of the phone's screen height, at most
# The phone's width is given, not read: a mobile browser widens its viewport to fit content that overflows.
OVERFLOW = """(width) => {
  const wide = document.documentElement.scrollWidth;
  if (wide <= width) return null;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const scrolls = (el) => ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX);
  const out = [];
  for (const el of document.querySelectorAll("main *, header *, footer *")) {
    let inside = false;  // within a box that scrolls (a table in its .table-wrap) or already reported
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (scrolls(p) || out.some((o) => o.el === p)) { inside = true; break; }
    }
    if (inside) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) out.push({el, why: Math.round(box.right) + "px"});
    else if (!scrolls(el) && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && el.children.length === 0)
      out.push({el, why: "its text is " + el.scrollWidth + "px wide in " + el.clientWidth + "px"});
    if (out.length >= 6) break;
  }
  return {wide, width, out: out.map((o) => name(o.el) + " (" + o.why + ")")};
}"""



def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _crawl(page, live_server, start: str) -> dict[str, dict]:
    seen: set[str] = set()
    problems: dict[str, dict] = {}
    queue = deque([start])
    while queue and len(seen) < PAGES_PER_USER:
        path = queue.popleft()
        if _shape(path) in seen:
            continue
        seen.add(_shape(path))
        response = page.goto(live_server(path))
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        overflow = page.evaluate(OVERFLOW, PHONE["width"])
        header = page.evaluate("() => document.querySelector('header.site-header').getBoundingClientRect().height")
        if header > HEADER_SHARE * PHONE["height"]:
            overflow = overflow or {"wide": PHONE["width"], "width": PHONE["width"], "out": []}
            overflow["out"].append(f"the header is {header:.0f}px high ({header / PHONE['height']:.0%} of the screen)")
        if overflow:
            problems[path] = overflow
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
def test_no_page_is_wider_than_a_phone(browser, live_server, demo, email, sign_in, console):
    from zone.demo.seed import DEMO_PASSWORD

    context = browser.new_context(locale="ru-RU", viewport=PHONE, is_mobile=True, has_touch=True)
    context.on("page", console.attach)
    page = context.new_page()
    try:
        start = "/"
        if email:
            sign_in(page, email, password=DEMO_PASSWORD)
            start = page.url.removeprefix(live_server(""))
        problems = _crawl(page, live_server, start)
    finally:
        context.close()
    assert not problems, "\n".join(f"{path}: page {p['wide']}px on a {p['width']}px screen; {', '.join(p['out'])}"
                                   for path, p in problems.items())


def test_a_table_wider_than_the_phone_scrolls_in_a_box_the_keyboard_reaches(browser, live_server, demo, console):
    context = browser.new_context(locale="ru-RU", viewport=PHONE, is_mobile=True, has_touch=True)
    context.on("page", console.attach)
    page = context.new_page()
    try:
        page.goto(live_server("/residents"))
        box = page.locator(".table-wrap").first
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the register is wider than the phone
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
        assert box.get_attribute("aria-label")  # named after the table's caption
        box.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)  # smooth scrolling
        assert box.evaluate("b => b.scrollLeft") > 0
    finally:
        context.close()
