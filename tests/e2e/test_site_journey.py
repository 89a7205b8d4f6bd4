"""A company asks for a building with 400 kW, the approver leases it at approval with the cooperation reduction,
the staff plan shows it leased and the public plan no more; at desktop and phone size, in a real browser."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PAIRWISE, pairs
from tests.review.conftest import make_application  # noqa: F401 - a fixture, used by name

pytestmark = pytest.mark.browser


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _site(app, code: str, **fields) -> None:
    from zone.extensions import db
    from zone.sites import services

    values = {"code": code, "side": "KZ", "kind": "building", "area_m2": "4800", "power_kw": "450",
              "water_m3_day": "120", "gas_m3_h": "40", "rent_per_m2_year": "18", "currency": "USD",
              "outline": "20 20; 100 20; 100 80; 20 80", **fields}
    with app.test_request_context(method="POST"):
        services.create_site(values, None, label="test")
        db.session.commit()


@pytest.mark.parametrize(("device", "lang"), pairs(*PAIRWISE))
def test_a_building_with_400_kw_is_leased_at_approval(page, live_server, shot, sign_in, sign_out, make_application,
                                                      make_user, make_company, tr, lang):
    from zone.applications.models import Application
    from zone.extensions import db

    app = live_server.app
    _site(app, "KZ-B01")
    _site(app, "KZ-B02", power_kw="150", outline="110 20; 190 20; 190 65; 110 65")
    _site(app, "KZ-P01", kind="plot", area_m2="25000", power_kw="800", outline="20 180; 140 180; 140 280; 20 280")
    company = make_company(name="ТОО «Жетысай Трансформатор»")
    applicant = make_user("applicant", company=company, locale=lang)
    app_id = make_application(status="draft", company=company, created_by=applicant)

    # The company states its needs in the application's "site" section.
    sign_in(page, applicant, lang=lang)
    page.goto(live_server(f"/applications/{app_id}/edit/site"))
    page.select_option("#site_kind", "building")
    page.fill("#site_area_m2", "4000")
    page.fill("#site_power_kw", "400")
    page.fill("#site_water_m3_day", "100")
    shot(page, "company-states-site-needs")
    submit(page, ".form-actions button[name=save]")
    reviewer = make_user("reviewer")
    with app.test_request_context(method="POST"):
        application = db.session.get(Application, app_id)
        assert application.site_power_kw == 400 and application.site_kind == "building"
        # Submission and review are walked by the residency journey; here the reviewer has recommended it.
        application.status, application.number, application.submitted_at = "recommended", "A-2026-09999", \
            application.created_at
        application.assignee_id = application.recommended_by_id = reviewer.id
        application.recommendation = "approve"
        db.session.commit()
    sign_out(page)

    # The approver sees the matching free sites, best fit first, and leases KZ-B01 at approval.
    sign_in(page, make_user("approver", locale=lang), lang=lang)
    page.goto(live_server(f"/review/applications/{app_id}"))
    rows = page.locator("#site-candidates tbody tr")
    assert rows.nth(0).locator("th").inner_text() == "KZ-B01"
    assert tr("power %(have)s kW, %(need)s kW needed", lang, have="150", need="400") in \
        page.locator("#site-candidates").inner_text()
    shot(page, "approver-sees-matching-sites")
    page.select_option("#approve-site", "KZ-B01")
    submit(page, "#form-approve button[type=submit]")
    assert "KZ-B01" in page.locator("#form-confirm").locator("xpath=..").inner_text()  # the confirmation names it
    shot(page, "approver-confirms")
    submit(page, "#form-confirm button[type=submit]")
    assert "ICIC-KZ-" in page.locator("main").inner_text()  # the certificate is issued

    # The staff plan shows it leased, with its holder and the lease's reduction.
    page.goto(live_server("/sites?side=KZ"))
    row = page.locator("#sites-table tbody tr", has_text="KZ-B01")
    assert tr("leased", lang) in row.inner_text() and "Жетысай" in row.inner_text()
    assert page.locator("svg a[href='/sites/KZ-B01'] polygon").get_attribute("fill") == "#1f5fa8"
    shot(page, "staff-plan-shows-it-leased")
    page.focus("#sites-table a[href='/sites/KZ-B01']")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the table's links reach every site from the keyboard
    through = tr("%(pct)s %% through %(date)s", lang, pct="50", date="\0").split("\0")[0]  # the date aside
    assert through in page.locator("main").inner_text()
    shot(page, "site-page-with-the-lease")
    sign_out(page)

    # The public plan no longer shows it.
    page.goto(live_server(f"/sites?side=KZ&lang={lang}"))
    table = page.locator("#sites-table").inner_text()
    assert "KZ-B01" not in table and "KZ-B02" in table and "KZ-P01" in table
    shot(page, "public-plan-without-it")
