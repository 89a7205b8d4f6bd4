"""A long upload on a slow line shows how much has gone, keeps its button disabled, and ends on the page the
server answers with; without JavaScript the same form uploads as a plain submission."""

from __future__ import annotations

import io
import os
from contextlib import contextmanager

import pytest

# The browser's upload is slowed to 200 kB/s: a 600 kB file takes about three seconds.
SLOW_UPLOAD = {"offline": False, "latency": 50, "downloadThroughput": 2_000_000, "uploadThroughput": 200_000}
WATCH_PROGRESS = """window.__seen = [];
window.__mark = "same document";
setInterval(() => {
  const bar = document.querySelector("[data-upload-progress] progress");
  const button = document.querySelector("main form[enctype] button[type=submit]");
  if (bar && bar.offsetParent !== null) window.__seen.push([bar.value, button ? button.disabled : null]);
}, 40);"""


def noise_png(size: int = 400) -> bytes:
    """A PNG of random pixels (about 480 kB: it does not compress)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (size, size), os.urandom(size * size * 3)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def draft(client, make_user, api_token):
    user = make_user("applicant")
    response = client.post("/api/v1/applications", json={"side": "KZ"}, headers=api_token(user))
    assert response.status_code == 201, response.get_json()
    return user, response.get_json()["id"]


@contextmanager
def documents_page(browser, console, sign_in, live_server, draft, *, javascript: bool = True):
    """The draft's documents page, signed in, in a context of its own; with JavaScript, watched for progress."""
    user, application_id = draft
    context = browser.new_context(locale="ru-RU", java_script_enabled=javascript)
    context.on("page", console.attach)
    page = context.new_page()
    try:
        sign_in(page, user)
        page.goto(live_server(f"/applications/{application_id}/documents"))
        if javascript:
            page.evaluate(WATCH_PROGRESS)
        yield context, page
    finally:
        context.close()


def test_a_long_upload_shows_its_progress_and_lands_on_the_answer(browser, live_server, console, sign_in, shot,
                                                                  draft):
    application_id = draft[1]
    with documents_page(browser, console, sign_in, live_server, draft) as (context, page):
        context.new_cdp_session(page).send("Network.emulateNetworkConditions", SLOW_UPLOAD)
        page.select_option("#kind", "charter")
        page.set_input_files("#file", files=[{"name": "устав.png", "mimeType": "image/png", "buffer": noise_png()}])
        page.click("main form[enctype] button[type=submit]")
        page.wait_for_selector("#documents-charter >> text=устав.png", timeout=30_000)

        seen = page.evaluate("window.__seen")
        assert page.evaluate("window.__mark") == "same document"  # sent by the page, not by a navigation
        assert any(0 < value < 100 for value, _ in seen), seen  # the bar moved while the file went
        assert all(disabled for _, disabled in seen), seen  # and the button could not be pressed meanwhile
        assert page.url == live_server(f"/applications/{application_id}/documents")
        assert "устав.png" in page.locator(".flashes").inner_text()
        assert not page.locator("[data-upload-progress]").is_visible()  # the answer's own, fresh form
        shot(page, "uploaded-with-progress")


def test_a_refused_upload_shows_the_errors_in_place(browser, live_server, console, sign_in, draft):
    with documents_page(browser, console, sign_in, live_server, draft) as (_context, page):
        page.select_option("#kind", "charter")
        # A large file that is not a PDF, PNG or JPEG.
        page.set_input_files("#file", files=[{"name": "устав.png", "mimeType": "image/png",
                                              "buffer": b"MZ" + os.urandom(200_000)}])
        page.click("main form[enctype] button[type=submit]")
        page.wait_for_selector(".error-summary")
        assert page.evaluate("window.__mark") == "same document"
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        assert page.locator("#file-error").is_visible()
        assert page.locator("main form[enctype] button[type=submit]").is_enabled()


def test_without_javascript_the_upload_is_a_plain_submission(browser, live_server, console, sign_in, draft):
    with documents_page(browser, console, sign_in, live_server, draft, javascript=False) as (_context, page):
        assert not page.locator("[data-upload-progress]").is_visible()
        page.select_option("#kind", "charter")
        page.set_input_files("#file", files=[{"name": "устав.png", "mimeType": "image/png", "buffer": noise_png()}])
        with page.expect_navigation():
            page.click("main form[enctype] button[type=submit]")
        assert "устав.png" in page.locator("#documents-charter").inner_text()
        assert "устав.png" in page.locator(".flashes").inner_text()
