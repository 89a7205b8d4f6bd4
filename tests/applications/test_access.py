"""Company A never reads, changes or downloads anything of company B; staff read; auditors change nothing."""

from __future__ import annotations

import io

import pytest

from tests.applications.conftest import PDF, upload


@pytest.fixture
def company_b_application(client, make_user, api_token, upload_all):
    owner = make_user("applicant")
    headers = api_token(owner)
    application = client.post("/api/v1/applications", json={"side": "UZ", "project_title": "Секрет Б"},
                              headers=headers).get_json()
    document = upload(client, application["id"], "charter", PDF, "b.pdf", headers=headers).get_json()
    return owner, application, document


def _api_calls(application_id: int, document_id: int):
    return [
        ("get", f"/api/v1/applications/{application_id}", None),
        ("patch", f"/api/v1/applications/{application_id}", {"project_title": "взлом"}),
        ("get", f"/api/v1/applications/{application_id}/documents/{document_id}", None),
        ("post", f"/api/v1/applications/{application_id}/submit", None),
        ("post", f"/api/v1/applications/{application_id}/withdraw", None),
        ("post", f"/api/v1/applications/{application_id}/resubmit", None),
    ]


def test_company_a_gets_404_for_everything_of_company_b_in_the_api(client, applicant_headers,
                                                                    company_b_application, db_get):
    from zone.applications.models import Application

    _owner, application, document = company_b_application
    for method, url, body in _api_calls(application["id"], document["id"]):
        response = getattr(client, method)(url, json=body, headers=applicant_headers)
        assert response.status_code == 404, (method, url, response.status_code)
        assert "Секрет" not in response.get_data(as_text=True)
    response = upload(client, application["id"], "other", headers=applicant_headers)
    assert response.status_code == 404
    listed = client.get("/api/v1/applications", headers=applicant_headers).get_json()["items"]
    assert application["id"] not in [i["id"] for i in listed]
    after = db_get(Application, application["id"])
    assert after.project_title == "Секрет Б" and after.status == "draft" and after.version == 1


def test_company_a_gets_404_for_everything_of_company_b_in_the_pages(client, applicant, login,
                                                                     company_b_application, db_get):
    from zone.applications.models import Application, Document

    _owner, application, document = company_b_application
    login(applicant)
    app_id, doc_id = application["id"], document["id"]
    for url in (f"/applications/{app_id}", f"/applications/{app_id}/documents",
                f"/applications/{app_id}/documents/{doc_id}", f"/applications/{app_id}/edit/project"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Секрет" not in response.get_data(as_text=True)
    for url, data in ((f"/applications/{app_id}/edit/project", {"version": "1", "save": "1", "project_title": "x"}),
                      (f"/applications/{app_id}/submit", {"version": "1"}),
                      (f"/applications/{app_id}/withdraw", {"version": "1"}),
                      (f"/applications/{app_id}/resubmit", {"version": "1"})):
        assert client.post(url, data=data).status_code == 404, url
    response = client.post(f"/applications/{app_id}/documents",
                           data={"kind": "other", "file": (io.BytesIO(PDF), "x.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 404
    assert db_get(Application, app_id).project_title == "Секрет Б"
    dashboard = client.get("/applications").get_data(as_text=True)
    assert "Секрет" not in dashboard
    assert db_get(Document, doc_id) is not None


@pytest.mark.parametrize("role", ["reviewer", "approver", "admin", "auditor"])
def test_staff_and_auditors_read_pages_and_documents_but_change_nothing(client, make_user, login_as,
                                                                        company_b_application, db_get, role):
    from zone.applications.models import Application

    _owner, application, document = company_b_application
    login_as(role)
    app_id = application["id"]
    assert client.get(f"/applications/{app_id}").status_code == 200
    assert client.get(f"/applications/{app_id}/documents").status_code == 200
    download = client.get(f"/applications/{app_id}/documents/{document['id']}")
    assert download.status_code == 200 and download.data == PDF
    assert client.get(f"/applications/{app_id}/edit/project").status_code == 403
    assert client.post(f"/applications/{app_id}/withdraw", data={"version": "1"}).status_code == 403
    response = client.post(f"/applications/{app_id}/documents",
                           data={"kind": "other", "file": (io.BytesIO(PDF), "x.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 403
    assert client.get("/applications").status_code == 403  # the company dashboard is the company's
    assert db_get(Application, app_id).version == 1


def test_anonymous_is_sent_to_sign_in(client, company_b_application):
    _owner, application, document = company_b_application
    for url in ("/applications", f"/applications/{application['id']}",
                f"/applications/{application['id']}/documents/{document['id']}", "/company"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_disabled_colleague_loses_access(client, app, make_user, api_token, company_b_application):
    owner, application, _document = company_b_application
    colleague = make_user("applicant", company=owner.company)
    headers = api_token(colleague)
    assert client.get(f"/api/v1/applications/{application['id']}", headers=headers).status_code == 200
    from zone.accounts.models import User
    from zone.extensions import db

    with app.app_context():
        db.session.get(User, colleague.id).active = False
        db.session.commit()
    assert client.get(f"/api/v1/applications/{application['id']}", headers=headers).status_code == 401
