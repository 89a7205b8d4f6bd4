"""An object store that does not answer: uploads and downloads get a 503 with a message, never a 500, and
nothing is half-recorded."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from tests.applications.conftest import PDF, upload
from tests.storage.conftest import REGION, _free_port


@pytest.fixture
def app_overrides(aws_credentials):
    # A port nobody listens on: every request to the "store" is refused at once.
    return {"STORAGE_BACKEND": "s3", "S3_BUCKET": "zone-nowhere", "S3_ENDPOINT_URL": f"http://127.0.0.1:{_free_port()}",
            "S3_REGION": REGION}


def test_an_upload_while_the_store_is_down_is_refused_with_a_message(app, client, make_user, api_token):
    from zone.applications.models import Document
    from zone.extensions import db

    headers = api_token(make_user("applicant"))
    draft = client.post("/api/v1/applications", json={"side": "KZ"}, headers=headers).get_json()["id"]
    response = upload(client, draft, "charter", PDF, "charter.pdf", headers=headers)
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"
    assert "нельзя сохранить" in response.get_json()["error"]["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_a_download_while_the_store_is_down_is_refused_with_a_message(app, client, make_user, api_token):
    from zone.applications.models import Application, Document
    from zone.extensions import db

    applicant = make_user("applicant")
    headers = api_token(applicant)
    draft = client.post("/api/v1/applications", json={"side": "KZ"}, headers=headers).get_json()["id"]
    with app.app_context():
        assert db.session.get(Application, draft) is not None
        document = Document(application_id=draft, kind="charter", filename="charter.pdf",
                            storage_name="ab/0123456789abcdef0123456789abcdef", content_type="application/pdf",
                            size=len(PDF), sha256=hashlib.sha256(PDF).hexdigest(), uploaded_by_id=applicant.id)
        db.session.add(document)
        db.session.commit()
        document_id = document.id
    response = client.get(f"/api/v1/applications/{draft}/documents/{document_id}", headers=headers)
    assert response.status_code == 503
    assert "нельзя прочитать" in response.get_json()["error"]["message"]
