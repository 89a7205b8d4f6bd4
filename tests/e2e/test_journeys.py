"""The whole residency journey in a real browser, on a desktop and on a phone, in Russian and in English.

A company registers, fills its application section by section, uploads its documents and submits; a
reviewer asks for more information; the company answers; the reviewer recommends approval; an approver
approves; the company downloads its certificate; a visitor opens the verification URL read from the
certificate's QR code; an auditor filters the register, downloads the ZIP of original PDFs and sees
the audit chain intact. Every step asserts what the user sees and saves a screenshot.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import every_device_and_language

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
       b"endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
DOCUMENT_KINDS = ("charter", "registration_certificate", "director_id", "business_plan", "financial_statements",
                  "proof_of_funds")
COMPANY = "ТОО «Жетысай Ирригейшн»"


def submit(page, selector: str = "main form button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(selector)


def flashes(page) -> str:
    return page.locator(".flashes").inner_text() if page.locator(".flashes").count() else ""


def qr_url_from_pdf(pdf_path: Path) -> str:
    """Rasterise the certificate's first page and decode its QR code."""
    import zxingcpp
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf_path),
                    str(pdf_path.with_suffix(""))], check=True)
    image = Image.open(next(pdf_path.parent.glob(pdf_path.stem + "*.png")))
    codes = [c for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode]
    assert codes, "no QR code found on the certificate"
    return codes[0].text


def register_company(page, live_server, shot, tr, lang, tax_id):
    page.goto(live_server(f"/register?lang={lang}") if lang != "ru" else live_server("/register"))
    if lang != "ru":
        with page.expect_navigation():
            page.click(f".lang-switch a[hreflang={lang}]")
    email = f"office-{lang}@zhetysai-irrigation.kz"
    page.fill("#company_name", COMPANY)
    page.select_option("#registration_country", "KZ")
    page.fill("#tax_id", tax_id)
    page.fill("#full_name", "Ержан Болатов")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#password_confirm", PASSWORD)
    shot(page, "company-registers")
    submit(page)
    assert tr("Welcome! Your company account is ready. You can now fill in an application.", lang) in flashes(page)
    return email


def fill_application(page, live_server, shot, tr, lang) -> int:
    page.goto(live_server("/applications/new"))
    page.check("input[name=side][value=KZ]")
    submit(page)
    assert tr("The draft is created. Fill in the sections in any order; every section is saved on its own.",
              lang) in flashes(page)
    app_id = int(page.url.split("/applications/")[1].split("/")[0])

    page.fill("#project_title", "Завод систем капельного орошения")
    page.fill("#project_description", "Капельные линии и фитинги из ПВХ для хлопковых и рисовых полей.")
    page.select_option("#sector", "plastics")
    page.fill("#activity_codes", "22.21")
    shot(page, "section-project")
    submit(page, "button[name=save_next]")

    page.fill("#products-0-name", "Капельная лента")
    page.fill("#products-0-hs_code", "3917 32")
    page.fill("#products-0-annual_volume", "12 000")
    page.fill("#products-0-unit", "км")
    shot(page, "section-products")
    submit(page, "button[name=save_next]")

    page.fill("#investment_amount", "6 500 000 000")
    page.select_option("#investment_currency", "KZT")
    page.fill("#own_funds_share", "40")
    page.select_option("#capital_shares-0-country", "KZ")
    page.fill("#capital_shares-0-percent", "60")
    page.select_option("#capital_shares-1-country", "UZ")
    page.fill("#capital_shares-1-percent", "40")
    shot(page, "section-investment")
    submit(page, "button[name=save_next]")

    page.fill("#jobs_total", "180")
    page.fill("#jobs_local", "160")
    page.fill("#land_area_ha", "4,5")
    page.fill("#priority_income_share", "95")
    page.check("input[name=has_branches_outside_zone][value=no]")
    page.fill("#export_share", "35")
    shot(page, "section-operations")
    submit(page, "button[name=save_next]")

    page.fill("#construction_start", "2026-04-01")
    page.fill("#production_start", "2027-03-01")
    shot(page, "section-timeline")
    submit(page, ".form-actions button[name=save]")
    return app_id


def upload_documents(page, live_server, shot, tr, app_id: int) -> None:
    page.goto(live_server(f"/applications/{app_id}/documents"))
    for kind in DOCUMENT_KINDS:
        page.select_option("#kind", kind)
        page.set_input_files("#file", files=[{"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        submit(page)
        assert f"{kind}.pdf" in page.locator(f"#documents-{kind}").inner_text()
    shot(page, "documents-uploaded")


def complete_profile(page, live_server, shot, tr, lang, app_id: int) -> None:
    """The checklist asks for the company's address, director and phone: its link opens the profile, which
    returns to the application once saved."""
    page.goto(live_server(f"/applications/{app_id}"))
    checklist = page.locator("#missing + ul.checklist")
    assert tr("Phone", lang) in checklist.inner_text()
    with page.expect_navigation():
        checklist.locator(f"a[href^='/company?application={app_id}']").first.click()
    page.fill("#address", "Туркестанская область, г. Сарыагаш, ул. Айтеке би, 25")
    page.fill("#director_name", "Болатов Ержан Серікұлы")
    page.fill("#phone", "+7 725 372 10 10")
    shot(page, "company-profile")
    submit(page)
    assert page.url.split("#")[0] == live_server(f"/applications/{app_id}")  # (the browser keeps the #field)
    assert tr("The company profile is saved.", lang) in flashes(page)


def staff_page(page, live_server, app_id: int) -> None:
    page.goto(live_server("/review?status=all"))
    with page.expect_navigation():
        page.click(f"a[href='/review/applications/{app_id}']")


@pytest.mark.parametrize(("device", "lang"), every_device_and_language())
def test_residency_journey(page, new_context, live_server, shot, tr, sign_in, sign_out, make_user, valid_bin,
                           tmp_path, lang):
    reviewer = make_user("reviewer", full_name="Айгерим Сапарова", locale=lang)
    approver = make_user("approver", full_name="Бахтиёр Юсупов", locale=lang)
    auditor = make_user("auditor", full_name="Dilnoza Karimova", locale=lang)
    tax_id = valid_bin()

    # 1. The company registers, fills the application, uploads its documents and submits.
    company_email = register_company(page, live_server, shot, tr, lang, tax_id)
    app_id = fill_application(page, live_server, shot, tr, lang)
    upload_documents(page, live_server, shot, tr, app_id)
    complete_profile(page, live_server, shot, tr, lang, app_id)
    assert page.locator("#missing").count() == 0, page.locator("#missing + ul").inner_text()
    assert page.locator("#submit-problems-title").count() == 0, page.locator(".error-summary").inner_text()
    shot(page, "overview-ready")
    submit(page, f"form[action='/applications/{app_id}/submit'] button[type=submit]")
    assert tr("Submitted", lang) in page.locator("main").inner_text()
    shot(page, "submitted")
    sign_out(page)

    # 2. The reviewer starts the review and asks for more information.
    sign_in(page, reviewer, lang=lang)
    staff_page(page, live_server, app_id)
    assert COMPANY in page.locator("main").inner_text()
    submit(page, "#form-start_review button[type=submit]")
    assert tr("In review", lang) in page.locator("main").inner_text()
    page.fill("#form-request_info textarea", "Приложите, пожалуйста, банковское письмо на всю сумму инвестиций.")
    shot(page, "reviewer-asks")
    submit(page, "#form-request_info button[type=submit]")
    assert tr("Information requested", lang) in page.locator("main").inner_text()
    sign_out(page)

    # 3. The company reads the question, uploads a new bank letter and answers.
    sign_in(page, company_email, lang=lang)
    page.goto(live_server(f"/applications/{app_id}"))
    notice = page.locator("section.notice").inner_text()
    assert tr("The reviewer asks for more information", lang) in notice
    assert "банковское письмо" in notice
    shot(page, "company-reads-question")
    page.goto(live_server(f"/applications/{app_id}/documents"))
    page.select_option("#kind", "proof_of_funds")
    page.set_input_files("#file", files=[{"name": "bank-letter-2.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    submit(page)
    page.goto(live_server(f"/applications/{app_id}"))
    page.fill("#resubmit-comment", "Банковское письмо на всю сумму приложено.")
    submit(page, f"form[action='/applications/{app_id}/resubmit'] button[type=submit]")
    assert tr("In review", lang) in page.locator("main").inner_text()
    shot(page, "company-answered")
    sign_out(page)

    # 4. The reviewer completes the checklist and recommends approval.
    sign_in(page, reviewer, lang=lang)
    staff_page(page, live_server, app_id)
    assert "Банковское письмо на всю сумму приложено." in page.locator("main").inner_text()
    for box in page.locator("#checklist input[type=checkbox]").all():
        box.check()
    submit(page, "#checklist button[type=submit]")
    page.fill("#form-recommend_approval textarea", "Документы полные, критерии выполнены.")
    submit(page, "#form-recommend_approval button[type=submit]")
    assert tr("Recommended", lang) in page.locator("main").inner_text()
    shot(page, "reviewer-recommends")
    sign_out(page)

    # 5. The approver approves; the certificate is issued.
    sign_in(page, approver, lang=lang)
    staff_page(page, live_server, app_id)
    page.fill("#form-approve textarea", "Одобрено.")
    shot(page, "approver-decides")
    submit(page, "#form-approve button[type=submit]")
    # the confirmation states what will be signed; confirming signs it
    assert "ICIC-KZ-" not in page.locator("main").inner_text() and page.locator(".confirmation dl").is_visible()
    shot(page, "approver-confirms")
    submit(page, ".confirmation button[type=submit]")
    assert tr("Approved", lang) in page.locator("main").inner_text()
    assert "ICIC-KZ-" in page.locator("main").inner_text()
    shot(page, "approved")
    sign_out(page)

    # 6. The company downloads its certificate.
    sign_in(page, company_email, lang=lang)
    page.goto(live_server("/certificates/mine"))
    assert page.locator("h1").inner_text() == tr("Our certificates", lang)
    shot(page, "company-certificates")
    with page.expect_download() as download:
        page.click(f"text={tr('Download PDF', lang)}")
    pdf_path = tmp_path / "certificate.pdf"
    download.value.save_as(pdf_path)
    certificate = pdf_path.read_bytes()
    assert certificate.startswith(b"%PDF")

    # 7. A visitor opens the URL of the QR code printed on the certificate.
    verify_url = qr_url_from_pdf(pdf_path)
    assert verify_url.startswith(live_server("/verify/"))
    visitor = new_context()
    visitor_page = visitor.new_page()
    visitor_page.goto(verify_url + (f"?lang={lang}" if lang != "ru" else ""))
    shown = visitor_page.locator("main").inner_text()
    assert COMPANY in shown and tax_id in shown
    assert visitor_page.locator("h1").inner_text() == tr("Certificate verification", lang)
    shot(visitor_page, "visitor-verifies")
    visitor.close()
    sign_out(page)

    # 8. The auditor filters the register, downloads the ZIP and checks the audit chain.
    sign_in(page, auditor, lang=lang)
    page.goto(live_server("/registers/certificates"))
    page.select_option("#side", "KZ")
    submit(page, "form.filters button[type=submit]")
    assert "side=KZ" in page.url
    assert COMPANY in page.locator("main").inner_text()
    shot(page, "auditor-register")
    with page.expect_download() as download:
        page.click(f"text={tr('Download all original PDFs (ZIP)', lang)}")
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
    assert len(pdfs) == 1 and archive.read(pdfs[0]) == certificate  # the stored original, byte for byte
    manifest = "\n".join(archive.read(n).decode() for n in archive.namelist() if not n.endswith(".pdf"))
    assert hashlib.sha256(certificate).hexdigest() in manifest
    page.goto(live_server("/audit/verify"))
    assert tr("The audit trail is intact.", lang) in page.locator("main").inner_text()
    shot(page, "audit-chain-intact")
