"""Through HTTP on both backends: an applicant uploads, a reviewer gets the same bytes (API and review page);
a stored file whose bytes changed is refused with a message, never sent; and two app servers sharing a bucket
read each other's uploads."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from tests.applications.conftest import PDF, REQUIRED_KINDS, complete_fields, upload

# A PDF of a few hundred KB, so the download is streamed in many chunks.
BIG_PDF = PDF + b"%" + b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(12_000)) + b"\n%%EOF\n"


@pytest.fixture
def submitted(client, make_user, api_token):
    """An application submitted through the API with its big charter; returns (application id, charter JSON)."""
    headers = api_token(make_user("applicant"))
    application = client.post("/api/v1/applications", json=complete_fields("KZ"), headers=headers).get_json()
    charter = None
    for kind in REQUIRED_KINDS:
        response = upload(client, application["id"], kind, BIG_PDF if kind == "charter" else PDF, f"{kind}.pdf",
                          headers=headers)
        assert response.status_code == 201, response.get_json()
        charter = charter or response.get_json()
    assert client.post(f"/api/v1/applications/{application['id']}/submit", headers=headers).status_code == 200
    return application["id"], charter


def _stored(app, document_id: int):
    from zone.applications.models import Document
    from zone.extensions import db
    from zone.storage import services

    with app.app_context():
        return services.current(), db.session.get(Document, document_id).storage_name


def test_an_upload_reaches_the_reviewer_byte_for_byte(app, client, submitted, make_user, api_token, login,
                                                      backend, request):
    application_id, charter = submitted
    assert charter["sha256"] == hashlib.sha256(BIG_PDF).hexdigest() and charter["size"] == len(BIG_PDF)
    storage, key = _stored(app, charter["id"])
    assert storage.name == backend
    local_files = [p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()]
    if backend == "s3":
        assert local_files == []  # nothing on this server's disk
        s3, bucket = request.getfixturevalue("s3"), request.getfixturevalue("bucket")
        stored = s3.get_object(Bucket=bucket, Key=f"zone/documents/{key}")["Body"].read()
        assert stored == BIG_PDF
    else:
        assert (Path(app.config["UPLOAD_DIR"]) / key).read_bytes() == BIG_PDF

    reviewer = make_user("reviewer")
    url = f"/api/v1/applications/{application_id}/documents/{charter['id']}"
    response = client.get(url, headers=api_token(reviewer))
    assert response.status_code == 200
    assert response.data == BIG_PDF and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]

    login(reviewer)
    page = client.get(f"/review/applications/{application_id}/documents/{charter['id']}")
    assert page.status_code == 200 and page.data == BIG_PDF


def test_a_changed_stored_file_is_refused_not_sent(app, client, submitted, make_user, api_token, login, caplog):
    import io

    application_id, charter = submitted
    storage, key = _stored(app, charter["id"])
    tampered = BIG_PDF.replace(b"%%EOF", b"%%EOX", 1)
    storage.put(key, io.BytesIO(tampered))
    reviewer = make_user("reviewer")

    response = client.get(f"/api/v1/applications/{application_id}/documents/{charter['id']}",
                          headers=api_token(reviewer))
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "file_damaged" and "не совпадает" in error["message"]  # Russian, the default
    assert any("damaged" in r.getMessage() and key in r.getMessage() for r in caplog.records)

    login(reviewer)
    page = client.get(f"/review/applications/{application_id}/documents/{charter['id']}",
                      headers={"Accept-Language": "ru"})
    assert page.status_code == 409 and page.mimetype == "text/html"
    assert tampered not in page.data
    assert "не совпадает" in page.get_data(as_text=True)

    from sqlalchemy import func, select

    from zone.audit.models import AuditEvent
    from zone.extensions import db

    with app.app_context():  # a refused download is not recorded as one
        downloads = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                      .where(AuditEvent.action.in_(["document.download", "document.view"])))
    assert downloads == 0


def test_a_missing_stored_file_is_not_found(app, client, submitted, make_user, api_token):
    application_id, charter = submitted
    storage, key = _stored(app, charter["id"])
    storage.delete(key)
    response = client.get(f"/api/v1/applications/{application_id}/documents/{charter['id']}",
                          headers=api_token(make_user("reviewer")))
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "file_missing"


def test_a_refused_upload_leaves_nothing_stored(app, client, make_user, api_token):
    from zone.storage import services

    headers = api_token(make_user("applicant"))
    draft = client.post("/api/v1/applications", json={"side": "KZ"}, headers=headers).get_json()["id"]
    assert upload(client, draft, "charter", b"MZ\x90 not a pdf", "x.pdf", headers=headers).status_code == 422
    assert upload(client, draft, "no-such-kind", PDF, "x.pdf", headers=headers).status_code == 422
    with app.app_context():
        assert list(services.current().keys()) == []


@pytest.fixture
def second_app(app):
    """Another app server: its own process state and its own empty UPLOAD_DIR, the same database and bucket."""
    from zone import create_app
    from zone.extensions import db

    shared = ("SQLALCHEMY_DATABASE_URI", "MAIL_OUTBOX_DIR", "SIGNING_P12_PATH", "SIGNING_CA_PATH",
              "DEV_NATIONAL_CA_DIR", "BASE_URL", "AUDIT_CHAIN_KEY", "AUDIT_CHAIN_KEY_FILE", "AUDIT_ANCHOR_DIR",
              "STORAGE_BACKEND", "S3_BUCKET", "S3_PREFIX", "S3_ENDPOINT_URL", "S3_REGION")
    other = create_app("test", {**{k: app.config[k] for k in shared},
                                "UPLOAD_DIR": Path(app.config["UPLOAD_DIR"]).parent / "other-server-uploads"})
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("backend", ["s3"])
def test_a_file_uploaded_through_one_server_is_read_through_another(app, client, second_app, make_user,
                                                                     api_token):
    headers = api_token(make_user("applicant"))
    draft = client.post("/api/v1/applications", json={"side": "KZ"}, headers=headers).get_json()["id"]
    document = upload(client, draft, "charter", BIG_PDF, "устав.pdf", headers=headers).get_json()

    with second_app.test_client() as other:
        response = other.get(f"/api/v1/applications/{draft}/documents/{document['id']}", headers=headers)
        assert response.status_code == 200 and response.data == BIG_PDF
        response.close()
        page = other.get(f"/api/v1/applications/{draft}", headers=headers).get_json()
        assert [d["id"] for d in page["documents"]] == [document["id"]]
    assert not any(p.is_file() for p in Path(second_app.config["UPLOAD_DIR"]).rglob("*"))
    assert re.fullmatch(r"[0-9a-f]{64}", document["sha256"])
