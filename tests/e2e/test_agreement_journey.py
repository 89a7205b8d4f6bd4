"""A company admitted through the approval countersigns its activity agreement in a real browser.

The approver approves (in the browser); the company opens its cabinet, downloads the zone-signed PDF,
first uploads it signed with another company's certificate (refused, with the reason in their language), then
signs it with the demo signer (`flask agreements demo-signer`, as a company would with its own tool)
and uploads it: the agreement is concluded and both signed PDFs are offered.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.agreements.helpers import sign_as_company
from tests.api.seed import action, seed_through_api
from tests.e2e.conftest import PAIRWISE, open_menu, pairs

pytestmark = pytest.mark.browser


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize(("device", "lang"), pairs(*PAIRWISE))
def test_company_countersigns_its_agreement(page, live_server, shot, tr, sign_in, sign_out, client, runner,
                                            make_company, make_user, api_token, valid_bin, tmp_path, lang):
    seed = seed_through_api(client, make_company, make_user, api_token)
    app_id = seed.application_ids[1]  # submitted, now in review: recommend it and approve it in the browser
    assert action(client, seed.tokens["reviewer"], app_id, "recommend_approval").status_code == 200
    approver = seed.users["approver"]
    company = seed.users["applicant"]
    tax_id = seed.tax_ids[0]

    sign_in(page, approver, lang=lang)
    page.goto(live_server(f"/review/applications/{app_id}"))
    page.fill("#form-approve textarea", "Одобрено.")
    submit(page, "#form-approve button[type=submit]")
    submit(page, ".confirmation button[type=submit]")
    assert tr("Approved", lang) in page.locator("main").inner_text()
    shot(page, "approved")
    sign_out(page)

    sign_in(page, company, lang=lang)
    open_menu(page)
    with page.expect_navigation():
        page.click(f"nav:visible >> text={tr('Agreements', lang)}")
    assert page.locator("h1").inner_text() == tr("Our activity agreements", lang)
    awaiting = page.locator("tbody tr", has_text=tr("Awaiting the company's signature", lang))
    number = awaiting.first.locator("a").inner_text()
    with page.expect_navigation():
        awaiting.first.locator("a").click()
    main = page.locator("main").inner_text()
    assert number in main and tr("Sign the agreement", lang) in main
    shot(page, "cabinet-agreement")

    with page.expect_download() as download:
        page.click(f"text={tr('Download the current PDF', lang)}")
    zone_pdf = Path(download.value.path()).read_bytes()
    assert zone_pdf.startswith(b"%PDF")

    stranger = tmp_path / "stranger.p12"
    assert runner.invoke(args=["agreements", "demo-signer", "--tax-id", valid_bin(), "--out", str(stranger)]
                         ).exit_code == 0
    wrong = tmp_path / "wrong.pdf"
    wrong.write_bytes(sign_as_company(zone_pdf, stranger.read_bytes()))
    page.set_input_files("#file", str(wrong))
    submit(page, "#countersign button[type=submit]")
    assert tr("The signing certificate does not carry your company's tax id (%(tax_id)s): sign with your "
              "company's certificate.", lang, tax_id=tax_id) in page.locator("#countersign").inner_text()
    shot(page, "refused-other-company")

    own = tmp_path / "company.p12"
    result = runner.invoke(args=["agreements", "demo-signer", "--tax-id", tax_id, "--out", str(own),
                                 "--passphrase", "demo-pass"])
    assert result.exit_code == 0, result.output
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(sign_as_company(zone_pdf, own.read_bytes(), "demo-pass"))
    page.set_input_files("#file", str(signed))
    submit(page, "#countersign button[type=submit]")
    assert tr("Thank you: your signature is accepted and the agreement %(number)s is concluded.", lang,
              number=number) in page.locator(".flashes").inner_text()
    assert tr("Concluded", lang) in page.locator("h1").inner_text()
    assert page.locator("#countersign").count() == 0
    shot(page, "concluded")
    with page.expect_download() as download:
        page.click(f"text={tr('Concluded (both signatures)', lang)}")
    assert Path(download.value.path()).read_bytes() == signed.read_bytes()
