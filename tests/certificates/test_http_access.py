"""Who sees which certificate, in the pages and the API; the original PDF download."""

from __future__ import annotations

import sqlalchemy as sa

from tests.certificates.factories import certificate


def test_company_sees_and_downloads_its_certificates(app, client, login, resident):
    login(resident.owner)
    page = client.get("/certificates/mine")
    assert page.status_code == 200 and resident.serial in page.get_data(as_text=True)
    detail = client.get(f"/certificates/{resident.serial}")
    body = detail.get_data(as_text=True)
    assert detail.status_code == 200 and "ТОО «Туран Агромаш»" in body and "/verify/" in body

    stored = certificate(app, resident.serial)
    download = client.get(f"/certificates/{resident.serial}/pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data == stored.pdf
    assert download.headers["ETag"] == f'"{stored.sha256}"'
    assert download.headers["Content-Disposition"] == f'attachment; filename="{resident.serial}.pdf"'
    again = client.get(f"/certificates/{resident.serial}/pdf", headers={"If-None-Match": f'"{stored.sha256}"'})
    assert again.status_code == 304 and again.data == b""


def test_downloads_are_audited(app, client, login, resident):
    from zone.audit.models import AuditEvent
    from zone.extensions import db

    login(resident.owner)
    client.get(f"/certificates/{resident.serial}/pdf")
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "certificate.download")).one()
        assert event.details == {"serial": resident.serial} and event.actor_id == resident.owner.id


def test_another_company_gets_404_everywhere(client, login_as, api_token, make_user, resident):
    stranger = login_as("applicant")
    for path in (f"/certificates/{resident.serial}", f"/certificates/{resident.serial}/pdf"):
        assert client.get(path).status_code == 404
    assert resident.serial not in client.get("/certificates/mine").get_data(as_text=True)
    headers = api_token(stranger)
    for path in (f"/api/v1/certificates/{resident.serial}", f"/api/v1/certificates/{resident.serial}/pdf"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/certificates", headers=headers).status_code == 403


def test_anonymous_users_must_sign_in(client, resident):
    assert client.get(f"/certificates/{resident.serial}").status_code in (302, 401)
    assert client.get("/api/v1/certificates").status_code == 401


def test_staff_and_auditors_list_and_filter(app, client, login_as, make_company, make_user, api_token, resident):
    from tests.certificates.factories import approved_application, issue

    uz_owner = make_user("applicant", company=make_company(registration_country="UZ"))
    uz_serial = issue(app, approved_application(app, uz_owner.company, uz_owner, side="UZ", sector="chemicals"))
    auditor = make_user("auditor")
    headers = api_token(auditor)
    listing = client.get("/api/v1/certificates", headers=headers).get_json()
    assert [item["serial"] for item in listing["items"]] == [uz_serial, resident.serial]
    only_uz = client.get("/api/v1/certificates?side=UZ", headers=headers).get_json()
    assert [item["serial"] for item in only_uz["items"]] == [uz_serial]
    paged = client.get("/api/v1/certificates?limit=1", headers=headers).get_json()
    rest = client.get(f"/api/v1/certificates?limit=1&cursor={paged['next_cursor']}", headers=headers).get_json()
    assert [i["serial"] for i in paged["items"] + rest["items"]] == [uz_serial, resident.serial]
    assert rest["next_cursor"] is None
    assert client.get("/api/v1/certificates?status=nonsense", headers=headers).status_code == 422
    assert client.get("/api/v1/certificates?issued_from=2026-03-01&issued_to=2099-01-01", headers=headers).get_json()[
        "items"
    ]
    assert client.get("/api/v1/certificates?cursor=WyJ4Il0", headers=headers).status_code == 400

    login_as("reviewer")
    page = client.get("/certificates?side=KZ").get_data(as_text=True)
    assert resident.serial in page and uz_serial not in page
    assert uz_serial in client.get("/certificates?q=000001&side=UZ").get_data(as_text=True)


def test_certificate_json_has_the_api_fields(client, make_user, api_token, resident):
    headers = api_token(make_user("approver"))
    body = client.get(f"/api/v1/certificates/{resident.serial}", headers=headers).get_json()
    assert {
        "serial",
        "status",
        "side",
        "company",
        "issued_at",
        "valid_until",
        "benefits",
        "sha256",
        "verify_url",
    } <= set(body)
    assert body["status"] == "active" and body["company"]["tax_id"] == resident.company.tax_id
    assert body["verify_url"].startswith("http://zone.test/verify/")
    assert body["benefits"][0]["code"] == "KZ_CIT" and body["benefits"][0]["periods"][0]["reduction_pct"] == 100
    pdf = client.get(f"/api/v1/certificates/{resident.serial}/pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.headers["ETag"] == f'"{body["sha256"]}"'


def test_the_company_sees_zone_staff_as_the_administration(app, client, login, make_user, api_token, resident):
    """The certificate's history (page and API) names the zone's staff to the company only as the ICIC
    administration; staff and auditors see who it was."""
    admin = make_user("admin", full_name="Ерлан Администратов")
    response = client.post(f"/api/v1/certificates/{resident.serial}/suspend", json={"reason": "Нет отчёта"},
                           headers=api_token(admin))
    assert response.status_code == 200
    login(resident.owner)
    page = client.get(f"/certificates/{resident.serial}").get_data(as_text=True)
    assert "Нет отчёта" in page and "Администратов" not in page and "Администрация МЦПК" in page
    history = client.get(f"/api/v1/certificates/{resident.serial}/history", headers=api_token(resident.owner))
    assert [i["by"] for i in history.get_json()["items"] if i["action"] == "suspend"] == ["Администрация МЦПК"]
    staff = client.get(f"/api/v1/certificates/{resident.serial}/history", headers=api_token(make_user("auditor")))
    assert [i["by"] for i in staff.get_json()["items"] if i["action"] == "suspend"] == ["Ерлан Администратов"]
