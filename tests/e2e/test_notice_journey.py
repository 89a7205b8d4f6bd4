"""An approval in the browser reaches the authorities: a receiver subscribed by an admin gets a signed
``certificate.issued`` notice (verified with the standardwebhooks library) whose id is the feed entry's."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import PAIRWISE, pairs
from tests.notices.conftest import Receiver
from tests.review.conftest import make_application  # noqa: F401 - a fixture, used by name

pytestmark = pytest.mark.browser


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.close()


@pytest.mark.parametrize(("device", "lang"), pairs(*PAIRWISE))
def test_an_approval_in_the_browser_sends_a_signed_notice_and_a_feed_entry(
        page, live_server, shot, sign_in, make_application, make_user, make_company, client, api_token, runner,
        receiver, lang):
    admin = api_token(make_user("admin"))
    created = client.post("/api/v1/subscriptions", headers=admin, json={
        "name": "Tax committee KZ", "url": receiver.url, "events": ["certificate.issued"], "side": "KZ"})
    assert created.status_code == 201, created.get_json()
    receiver.secret = created.get_json()["secret"]
    reviewer = make_user("reviewer", full_name="Айгерим Сапарова")
    approver = make_user("approver", full_name="Бахтиёр Юсупов")
    target = make_application(status="recommended", assignee_id=reviewer.id, recommended_by_id=reviewer.id,
                              recommendation="approve", company=make_company(name="ТОО «Жетысай Полимер»"))

    sign_in(page, approver, lang=lang)
    page.goto(live_server(f"/review/applications/{target}"))
    page.fill("#form-approve textarea", "Одобрено.")
    with page.expect_navigation():
        page.click("#form-approve button[type=submit]")
    with page.expect_navigation():
        page.click(".confirmation button[type=submit]")
    main = page.locator("main").inner_text()
    serial = re.search(r"ICIC-KZ-\d{4}-\d{6}", main).group(0)
    shot(page, "approved")

    result = runner.invoke(args=["notices", "deliver"])
    assert result.exit_code == 0, result.output
    assert receiver.bad_signatures == 0
    issued = [r for r in receiver.received if r["payload"]["type"] == "certificate.issued"]
    assert len(issued) == 1, receiver.received
    notice = issued[0]
    assert notice["payload"]["data"]["serial"] == serial
    assert notice["payload"]["data"]["company"]["name"] == "ТОО «Жетысай Полимер»"
    assert notice["id"] == notice["payload"]["id"]

    auditor = api_token(make_user("auditor"))
    feed = client.get("/api/v1/events?type=certificate.issued", headers=auditor).get_json()["items"]
    assert [item["id"] for item in feed if item["data"]["serial"] == serial] == [notice["id"]]
