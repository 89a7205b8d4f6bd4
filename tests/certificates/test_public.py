"""Public verification (QR token, serial + tax id, uploaded file) and the register of residents."""

from __future__ import annotations

import csv
import io
from html import unescape

import pytest

from tests.certificates.factories import approved_application, certificate, issue
from tests.certificates.helpers import with_added_note

PUBLIC_KEYS = {"serial", "status", "company", "side", "issued_at", "valid_until", "benefits", "sha256"}


def _admin_post(client, make_user, api_token, serial, action, **body):
    headers = api_token(make_user("admin"))
    return client.post(f"/api/v1/certificates/{serial}/{action}", json=body, headers=headers)


def test_verify_page_and_its_json_twin(client, app, resident):
    stored = certificate(app, resident.serial)
    page = client.get(f"/verify/{stored.verify_token}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    for shown in (resident.serial, "ТОО «Туран Агромаш»", resident.company.tax_id, stored.sha256, "Действительно"):
        assert shown in body
    assert "участок 12" not in body  # the address is printed on the PDF, not published
    data = client.get(f"/api/v1/verify/{stored.verify_token}").get_json()
    assert set(data) >= PUBLIC_KEYS
    assert data["status"] == "active" and data["company"] == {
        "name": "ТОО «Туран Агромаш»",
        "tax_id": resident.company.tax_id,
    }
    assert data["benefits"][0]["code"] == "KZ_CIT" and data["sha256"] == stored.sha256


def test_unknown_token_is_a_plain_404(client, resident):
    assert client.get("/verify/not-a-token").status_code == 404
    assert client.get("/api/v1/verify/not-a-token").status_code == 404
    assert client.get("/verify/" + "x" * 500).status_code == 404


def test_lookup_needs_serial_and_tax_id_and_says_the_same_for_every_miss(client, resident):
    found = client.get("/verify", query_string={"serial": resident.serial.lower(), "tax_id": resident.company.tax_id})
    assert found.status_code == 200 and "ТОО «Туран Агромаш»" in found.get_data(as_text=True)
    wrong_tax = client.get("/verify", query_string={"serial": resident.serial, "tax_id": "123456789012"})
    unknown = client.get("/verify", query_string={"serial": "ICIC-KZ-2026-000099", "tax_id": resident.company.tax_id})
    assert wrong_tax.status_code == unknown.status_code == 404
    assert "ТОО «Туран Агромаш»" not in wrong_tax.get_data(as_text=True)

    # Nothing tells the two apart once the values the visitor typed (echoed in the form) are set aside.
    def masked(response, serial, tax_id):
        return response.get_data(as_text=True).replace(serial, "S").replace(tax_id, "T")

    assert masked(wrong_tax, resident.serial, "123456789012") == masked(
        unknown, "ICIC-KZ-2026-000099", resident.company.tax_id
    )

    api = client.get("/api/v1/verify", query_string={"serial": resident.serial, "tax_id": resident.company.tax_id})
    assert api.status_code == 200 and api.get_json()["serial"] == resident.serial
    api_wrong = client.get("/api/v1/verify", query_string={"serial": resident.serial, "tax_id": "000000000000"})
    api_unknown = client.get("/api/v1/verify", query_string={"serial": "ICIC-KZ-2026-000099", "tax_id": "1"})
    assert api_wrong.status_code == api_unknown.status_code == 404
    assert api_wrong.get_json() == api_unknown.get_json()
    assert client.get("/api/v1/verify").status_code == 404
    assert client.get("/verify").status_code == 200  # the empty form


def test_uploading_the_original_and_altered_copies(client, app, resident, kz_pdf):
    stored = certificate(app, resident.serial)

    def check(data: bytes) -> str:
        response = client.post(
            "/verify/upload", data={"file": (io.BytesIO(data), "cert.pdf")}, content_type="multipart/form-data"
        )
        assert response.status_code == 200
        return response.get_data(as_text=True)

    original = check(stored.pdf)
    assert "неизменённый оригинал" in original and resident.serial in original and stored.sha256 in original
    tampered = bytearray(stored.pdf)
    tampered[len(tampered) // 2] ^= 0x01
    altered = check(bytes(tampered))
    assert CHANGED["ru"] in altered and resident.serial not in altered
    unsigned = check(kz_pdf)  # a rendered but never issued certificate
    assert "не является оригиналом" in unsigned and "Подписи нет" in unsigned
    assert "не является оригиналом" in check(b"not a pdf at all")
    assert client.get("/verify/upload").status_code == 200


CHANGED = {
    "ru": "Изменён после подписания, не полагайтесь на него",
    "en": "Changed after signing, do not rely on it",
    "kk": "Қол қойылғаннан кейін өзгертілген, оған сенбеңіз",
    "uz": "Imzolangandan keyin o'zgartirilgan, unga ishonmang",
}


def _altered_copies(pdf: bytes) -> dict[str, bytes]:
    flipped = bytearray(pdf)
    flipped[len(flipped) // 2] ^= 0x01
    return {"note_added_by_an_editor": with_added_note(pdf), "bytes_changed": bytes(flipped),
            "bytes_appended": pdf + b"\n%% appended\n"}


@pytest.mark.parametrize("locale", sorted(CHANGED))
def test_a_file_changed_after_signing_reads_so_on_the_page_and_in_the_api(client, app, resident, locale):
    """A signed certificate altered afterwards, by a PDF editor's incremental update or in its bytes, is
    never called an original nor "our valid signature": it reads "changed after signing, do not rely on
    it", in the reader's language, on the page and in the API."""
    stored = certificate(app, resident.serial)
    for how, altered in _altered_copies(stored.pdf).items():
        page = client.post(f"/verify/upload?lang={locale}", data={"file": (io.BytesIO(altered), "cert.pdf")},
                           content_type="multipart/form-data")
        assert page.status_code == 200
        html = unescape(page.get_data(as_text=True))
        assert CHANGED[locale] in html, how
        assert "flash-success" not in html and "verdict-changed_after_signing" in html, how
        api = client.post(f"/api/v1/verify/upload?lang={locale}", data={"file": (io.BytesIO(altered), "c.pdf")},
                          content_type="multipart/form-data")
        assert api.status_code == 200, api.get_json()
        body = api.get_json()
        assert body["verdict"] == "changed_after_signing" and CHANGED[locale] in body["message"], (how, body)
        assert body["certificate"] is None and body["sha256"] != stored.sha256


def test_the_api_twin_of_the_upload_check(client, app, resident, kz_pdf):
    stored = certificate(app, resident.serial)

    def check(data: bytes):
        return client.post("/api/v1/verify/upload", data={"file": (io.BytesIO(data), "cert.pdf")},
                           content_type="multipart/form-data")

    original = check(stored.pdf).get_json()
    assert original["verdict"] == "original" and original["certificate"]["serial"] == resident.serial
    assert original["sha256"] == stored.sha256 and original["signature"]["covers_whole_file"] is True
    assert set(original["certificate"]) == set(client.get(f"/api/v1/verify/{stored.verify_token}").get_json())
    assert check(kz_pdf).get_json()["verdict"] == "not_original"  # rendered, never signed
    assert check(b"not a pdf at all").get_json()["verdict"] == "not_original"
    missing = client.post("/api/v1/verify/upload", data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.get_json()["error"]["fields"]
    too_big = check(b"%PDF-" + b"0" * (5 * 1024 * 1024))
    assert too_big.status_code == 413 and too_big.get_json()["error"]["code"] == "too_large"


def test_register_lists_residents_in_force_only(client, app, make_company, make_user, api_token, resident):
    uz_owner = make_user("applicant", company=make_company(registration_country="UZ"))
    uz_serial = issue(app, approved_application(app, uz_owner.company, uz_owner, side="UZ", sector="chemicals"))
    suspended_serial = issue(app, approved_application(app, resident.company, resident.owner))
    assert _admin_post(client, make_user, api_token, suspended_serial, "suspend", reason="x").status_code == 200

    page = client.get("/residents").get_data(as_text=True)
    assert resident.serial in page and uz_serial in page and suspended_serial not in page
    only_uz = client.get("/residents?side=UZ&sector=chemicals").get_data(as_text=True)
    assert uz_serial in only_uz and resident.serial not in only_uz
    assert resident.serial in client.get("/residents", query_string={"q": "Агромаш"}).get_data(as_text=True)
    by_tax = client.get("/residents", query_string={"q": resident.company.tax_id}).get_data(as_text=True)
    assert resident.serial in by_tax and uz_serial not in by_tax
    assert client.get("/residents?side=XX&sector=nonsense").status_code == 200  # ignored, not an error

    items = client.get("/api/v1/register").get_json()["items"]
    assert sorted(i["serial"] for i in items) == sorted([resident.serial, uz_serial])
    first = client.get("/api/v1/register?limit=1").get_json()
    second = client.get(f"/api/v1/register?limit=1&cursor={first['next_cursor']}").get_json()
    assert {first["items"][0]["serial"], second["items"][0]["serial"]} == {resident.serial, uz_serial}
    assert second["next_cursor"] is None


def test_verification_shows_nothing_the_register_does_not(client, app, resident):
    token = certificate(app, resident.serial).verify_token
    verified = client.get(f"/api/v1/verify/{token}").get_json()
    (listed,) = client.get("/api/v1/register").get_json()["items"]
    assert set(verified) <= set(listed)
    assert listed == verified
    assert "verify_url" not in listed and token not in str(listed)


def test_register_csv_escapes_formulas(client, app, make_company, make_user):
    company = make_company(name='=HYPERLINK("http://evil")')
    owner = make_user("applicant", company=company)
    serial = issue(app, approved_application(app, company, owner))
    response = client.get("/residents?format=csv&header=machine")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["serial"] == serial and rows[0]["company_name"].startswith("'=HYPERLINK")
    spoken = list(csv.reader(io.StringIO(client.get("/residents?format=csv&lang=ru").get_data(as_text=True)
                                         .lstrip("\ufeff"))))
    assert spoken[0][:3] == ["Компания", "ИНН/БИН", "Сторона"] and spoken[1][0].startswith("'=HYPERLINK")
    assert "header=machine" in client.get("/residents?lang=ru").get_data(as_text=True)


@pytest.fixture
def app_overrides():
    return {}


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True, "PUBLIC_LIMIT": "3 per minute"}])
def test_public_pages_are_rate_limited(client, app_overrides):
    codes = [client.get("/api/v1/verify/nothing").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    assert client.get("/verify/nothing").status_code == 429  # one budget for every public lookup
