"""The review pages in a real browser (Chromium): no CSP violation or broken asset, readable at a glance.

Uses the browser harness of tests/e2e and the application factory of the review tests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from tests.e2e.conftest import PAIRWISE, pairs
from tests.review.conftest import make_application  # noqa: F401 - a fixture, used by name
from zone.calendar import today as zone_today

pytestmark = pytest.mark.browser


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize(("device", "lang"), pairs(*PAIRWISE))
def test_queue_dashboard_and_a_shortened_approval(page, live_server, shot, tr, sign_in, make_application, make_user,
                                                  make_company, lang):
    reviewer = make_user("reviewer", full_name="Айгерим Сапарова")
    approver = make_user("approver", full_name="Бахтиёр Юсупов")
    now = datetime.now(UTC)
    for n in range(6):
        make_application(status=["submitted", "in_review", "info_requested"][n % 3],
                         assignee_id=reviewer.id if n % 3 else None, submitted_at=now - timedelta(days=20 - n),
                         review_deadline=zone_today() + timedelta(days=n * 3 - 8),
                         sector=["machinery", "plastics"][n % 2])
    make_application(status="approved", decided_at=now - timedelta(days=3), submitted_at=now - timedelta(days=40))
    make_application(status="rejected", side="UZ", company=make_company(registration_country="UZ"),
                     decided_at=now - timedelta(days=30), submitted_at=now - timedelta(days=45),
                     investment_usd=Decimal("2500000"), sector="textiles_leather")
    target = make_application(status="recommended", assignee_id=reviewer.id, recommended_by_id=reviewer.id,
                              recommendation="approve", company=make_company(name="ТОО «Жетысай Полимер»"))

    sign_in(page, approver, lang=lang)
    page.goto(live_server("/review"))
    assert page.locator("tr.overdue").count() >= 1
    shot(page, "queue")
    page.goto(live_server("/review/dashboard"))
    charts = page.locator("main svg")  # every chart is an image with its own title (the data: status, pipeline,
    assert charts.count() >= 3         # decisions; occupancy and trends when there are sites and figures)
    assert charts.count() == page.locator("main svg[role=img][aria-labelledby]").count()
    shot(page, "dashboard")

    page.goto(live_server(f"/review/applications/{target}"))
    cit = page.locator("#form-approve tr", has_text="KZ_CIT").locator("input[type=date]")
    shorter = date.fromisoformat(cit.input_value()).replace(year=zone_today().year + 3)
    cit.fill(shorter.isoformat())
    page.locator("#form-approve tr", has_text="ICIC_COOPERATION").locator("input[type=checkbox]").uncheck()
    submit(page, "#form-approve button[type=submit]")
    assert tr("Give the reason for changing the benefits the rules propose.", lang) in page.locator("main").inner_text()
    assert page.locator("#form-approve tr", has_text="KZ_CIT").locator("input[type=date]").input_value() == \
        shorter.isoformat()
    shot(page, "approval-needs-a-reason")
    page.fill("#form-approve textarea", "Срок аренды участка — три года.")
    submit(page, "#form-approve button[type=submit]")
    facts = page.locator(".confirmation dl").inner_text()  # what will be signed: the shortened period, no lease
    assert str(shorter.year) in facts and tr("Site leased to the company", lang) not in facts
    shot(page, "approval-confirmation")
    submit(page, "#form-confirm button[type=submit]")
    main = page.locator("main").inner_text()
    assert "ICIC-KZ-" in main and tr("Approved", lang) in main
    shot(page, "approved")
