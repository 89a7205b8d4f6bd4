"""A resident files a quarterly report in a real browser, on a desktop and on a phone: a refused value comes
back with its message and what was typed, the draft is saved and submitted; a reviewer finds it in the
reports queue and returns it with a question, which the company reads in its cabinet."""

from __future__ import annotations

import pytest

from tests.api.seed import seed_through_api
from tests.e2e.conftest import PAIRWISE, pairs
from tests.reports.conftest import backdate

pytestmark = pytest.mark.browser

FIGURES = {
    "investment_own": "1 500 000", "investment_borrowed": "0", "investment_foreign": "250 000,50",
    "investment_cumulative": "", "jobs_total": "40", "jobs_local": "35", "jobs_foreign": "5",
    "payroll": "12 000 000", "revenue_total": "90 000 000", "revenue_priority": "85 000 000",
    "revenue_export": "10 000 000", "sales_to_other_side": "5 000 000", "purchases_from_other_side": "1 000 000",
    "taxes_paid": "3 000 000",
}


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize(("device", "lang"), pairs(*PAIRWISE))
def test_a_resident_files_a_quarterly_report_and_answers_a_question(
        lang, page, live_server, shot, tr, sign_in, sign_out, app, client, make_company, make_user, api_token):
    seed = seed_through_api(client, make_company, make_user, api_token)
    number = seed.agreement_numbers[0]
    backdate(app, number)

    sign_in(page, seed.users["applicant"], lang=lang)
    with page.expect_navigation():
        page.goto(live_server("/reports/mine"))
    assert page.locator("h1").inner_text() == tr("Reports and obligations", lang)
    assert page.locator("svg.progress-chart").count() >= 1
    submit(page, "tbody tr:has-text('2026-Q1') button[type=submit]")
    assert "2026-Q1" in page.locator("h1").inner_text()
    shot(page, "draft")

    page.select_option("#f-currency", "KZT")
    for name, value in FIGURES.items():
        page.fill(f"#f-{name}", value)
    page.fill("#f-jobs_local", "45")  # more than the total: refused, kept, explained
    page.fill("input[name=output-0-hs_code]", "391723")
    page.fill("input[name=output-0-quantity]", "1 200")
    page.fill("input[name=output-0-unit]", "т")
    page.fill("input[name=output-0-value]", "60 000 000")
    submit(page, "button[name=save].button")
    assert page.input_value("#f-jobs_local") == "45"
    assert page.get_attribute("#f-jobs_local", "aria-invalid") == "true"
    assert page.input_value("#f-payroll") == "12 000 000"
    shot(page, "refused")

    page.fill("#f-jobs_local", "35")
    submit(page, "button[name=submit]")
    assert tr("Thank you: the report for %(period)s is submitted.", lang, period="2026-Q1") in \
        page.locator(".flashes").inner_text()
    shot(page, "submitted")
    sign_out(page)

    sign_in(page, seed.users["reviewer"], lang=lang)
    page.goto(live_server("/reports?tab=submitted"))
    with page.expect_navigation():
        page.click("tbody a:has-text('2026-Q1')")
    page.fill("#question", "Почему экспорт меньше плана?")
    submit(page, "form[action$='/return'] button[type=submit]")
    assert tr("The report is returned to the company with your question.", lang) in \
        page.locator(".flashes").inner_text()
    shot(page, "returned")
    sign_out(page)

    sign_in(page, seed.users["applicant"], lang=lang)
    page.goto(live_server("/reports/mine"))
    with page.expect_navigation():
        page.click("tbody tr:has-text('2026-Q1') a")
    assert "Почему экспорт меньше плана?" in page.locator("main").inner_text()
    page.fill("#answer", "Контракт перенесён на II квартал.")
    submit(page, "form[action$='/resubmit'] button[type=submit]")
    assert tr("Thank you: your answer is sent and the report is submitted again.", lang) in \
        page.locator(".flashes").inner_text()
    shot(page, "answered")
