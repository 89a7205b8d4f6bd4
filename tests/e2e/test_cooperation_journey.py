"""The cooperation chain in a real browser, on a desktop and on a phone: a Kazakh resident that needs PVC
granules (HS 3904) picks the code with the HS picker, finds the Uzbek resident that makes them and writes;
the Uzbek company accepts and records the contract; the public figures page and the open data show it."""

from __future__ import annotations

import pytest

from tests.cooperation.conftest import PIPES, PVC, make_resident  # noqa: F401 - a fixture, used by name
from tests.e2e.conftest import PAIRWISE, pairs

pytestmark = pytest.mark.browser



def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize(("device", "lang"), pairs(*PAIRWISE, ("desktop", "kk"), ("phone", "uz")))
def test_a_kazakh_resident_finds_the_uzbek_pvc_maker_and_a_contract_is_recorded(
        device, lang, page, live_server, shot, tr, sign_in, sign_out, make_resident):
    buyer = make_resident("KZ", products=PIPES, name="ТОО «Профиль Туркестан»")
    maker = make_resident("UZ", products=PVC, name="MChJ «Navoiyazot PVX»")

    sign_in(page, buyer.user, lang=lang)
    page.goto(live_server("/cooperation"))
    assert page.locator("h1").inner_text() == tr("Cooperation across the border", lang)
    page.fill("#need-hs", "3904 1")  # the picker asks the zone's own search as one types
    page.locator("#need-hs ~ datalist option").first.wait_for(state="attached")
    assert "390410" in page.locator("#need-hs ~ datalist option").first.get_attribute("value")
    page.fill("#need-hs", "390410")
    page.fill("#need-description", "Гранулы ПВХ для профиля")
    page.fill("#need-volume", "много")  # refused, kept, explained
    page.fill("#need-unit", "т")
    submit(page, "form[action$='/cooperation/needs'] button[type=submit]")
    assert page.input_value("#need-volume") == "много"
    assert page.get_attribute("#need-volume", "aria-invalid") == "true"
    shot(page, "refused")
    page.fill("#need-volume", "1 500")
    submit(page, "form[action$='/cooperation/needs'] button[type=submit]")
    match = page.locator("li.match", has_text="MChJ «Navoiyazot PVX»")
    assert "390410" in match.inner_text()
    shot(page, "match")
    match.locator("textarea").fill("Нужно 1 500 т ПВХ в год, поставка в Туркестан.")
    submit(page, "li.match:has-text('Navoiyazot') button[type=submit]")
    assert tr("Your request is sent; the company is told by e-mail.", lang) in page.locator(".flashes").inner_text()
    request_path = page.url.removeprefix(live_server(""))
    sign_out(page)

    sign_in(page, maker.user, lang=lang)
    page.goto(live_server("/cooperation"))
    submit(page, f"a[href='{request_path}']")
    assert "1 500 т ПВХ" in page.locator("main").inner_text()
    submit(page, "form[action$='/accept'] button[type=submit]")
    assert page.locator("#request-state").inner_text() == tr("Accepted", lang)
    contract = page.locator("form[action$='/record_contract']")
    contract.locator("#annual_volume").fill("1 200")
    contract.locator("#unit").fill("т")
    contract.locator("#annual_value_usd").fill("1 140 000")
    submit(page, "form[action$='/record_contract'] button[type=submit]")
    assert page.locator("#request-state").inner_text() == tr("Contract signed", lang)
    shot(page, "contract")
    sign_out(page)

    page.goto(live_server("/figures"))
    assert page.locator("#contracts-kz").inner_text() == "1"
    assert page.locator("svg").count() >= 3
    shot(page, "figures")
    page.goto(live_server("/open-data"))
    assert page.locator("code.sha").count() == 5
    csv = page.request.get(live_server("/open-data/indicators.csv")).text()
    assert "1140000.00" in csv
    shot(page, "open-data")
