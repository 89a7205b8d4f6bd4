"""The whole path through HTTP: an approver approves, the certificate is issued in that request and
is then downloadable by the company and verifiable by anyone."""

from __future__ import annotations

from tests.api.seed import seed_through_api
from tests.certificates.helpers import pdf_text


def test_approval_issues_a_verifiable_certificate(client, make_company, make_user, api_token):
    seed = seed_through_api(client, make_company, make_user, api_token)
    assert "certificate" in seed.stages, seed.problems
    (serial,) = seed.serials
    assert serial.startswith("ICIC-KZ-") and serial.endswith("-000001")

    company = seed.tokens["applicant"]
    detail = client.get(f"/api/v1/certificates/{serial}", headers=company).get_json()
    assert detail["status"] == "active" and detail["company"]["name"] == "ТОО «Жетысай Полимер»"
    assert detail["benefits"] and all(b["periods"] for b in detail["benefits"])

    pdf = client.get(f"/api/v1/certificates/{serial}/pdf", headers=company)
    assert pdf.status_code == 200 and pdf.headers["ETag"] == f'"{detail["sha256"]}"'
    assert serial in pdf_text(pdf.data) and "ТОО «Жетысай Полимер»" in pdf_text(pdf.data)

    (token,) = seed.verify_tokens
    public = client.get(f"/api/v1/verify/{token}").get_json()
    assert public["serial"] == serial and public["sha256"] == detail["sha256"]
    assert [i["serial"] for i in client.get("/api/v1/register").get_json()["items"]] == [serial]
