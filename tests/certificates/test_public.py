"""Public verification (QR token, serial + tax id, uploaded file) and the register of residents."""

from __future__ import annotations

import csv
import io

import pytest

from tests.certificates.factories import approved_application, certificate, issue

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
    assert "не является оригиналом" in altered and resident.serial not in altered
    unsigned = check(kz_pdf)  # a rendered but never issued certificate
    assert "не является оригиналом" in unsigned and "Подписи нет" in unsigned
    assert "не является оригиналом" in check(b"not a pdf at all")
    assert client.get("/verify/upload").status_code == 200


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
    response = client.get("/residents?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["serial"] == serial and rows[0]["company_name"].startswith("'=HYPERLINK")


@pytest.fixture
def app_overrides():
    return {}


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True, "PUBLIC_LIMIT": "3 per minute"}])
def test_public_pages_are_rate_limited(client, app_overrides):
    codes = [client.get("/api/v1/verify/nothing").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    assert client.get("/verify/nothing").status_code == 429  # one budget for every public lookup
