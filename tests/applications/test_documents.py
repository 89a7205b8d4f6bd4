"""Documents: checked by content, size-limited, stored under server-made names, versioned, audited."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from tests.applications.conftest import JPEG, PDF, png_bytes, upload


@pytest.fixture
def app_overrides():
    return {"MAX_UPLOAD_MB": 1, "MAX_CONTENT_LENGTH": int(1.5 * 1024 * 1024)}


@pytest.fixture
def draft(client, applicant_headers):
    return client.post("/api/v1/applications", json={"side": "KZ"}, headers=applicant_headers).get_json()["id"]


@pytest.mark.parametrize(("data", "name", "content_type"), [
    (PDF, "устав.pdf", "application/pdf"),
    (png_bytes(), "scan.png", "image/png"),
    (JPEG, "photo.jpeg", "image/jpeg"),
    (PDF, "no-extension", "application/pdf"),
    (png_bytes(), "scan.PDF", "image/png"),  # the name says PDF, the content says PNG: the content wins
])
def test_accepted_types_are_recognised_by_content(client, applicant_headers, draft, app, data, name, content_type):
    response = upload(client, draft, "charter", data, name, headers=applicant_headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["content_type"] == content_type
    assert body["size"] == len(data) and body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["kind"] == "charter" and body["filename"] == name
    from zone.applications.models import Document
    from zone.extensions import db

    with app.app_context():
        document = db.session.get(Document, body["id"])
        stored = Path(app.config["UPLOAD_DIR"]) / document.storage_name
        assert stored.read_bytes() == data
        assert name not in document.storage_name and "." not in document.storage_name


@pytest.mark.parametrize(("data", "name"), [
    (b"MZ\x90\x00 this is an exe", "contract.pdf"),
    (b"<html><script>alert(1)</script></html>", "scan.pdf"),
    (b"GIF89a\x01\x00\x01\x00", "image.png"),
    (b"PK\x03\x04 a docx inside", "plan.pdf"),
    (b"just text %PDF-1.4 later", "notes.pdf"),
])
def test_other_content_renamed_to_pdf_is_refused(client, applicant_headers, draft, app, data, name):
    response = upload(client, draft, "charter", data, name, headers=applicant_headers)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "unsupported_type" and "file" in error["fields"]
    assert not any(p.is_file() for p in Path(app.config["UPLOAD_DIR"]).rglob("*"))  # nothing kept


def test_empty_file_is_refused(client, applicant_headers, draft):
    response = upload(client, draft, "charter", b"", "empty.pdf", headers=applicant_headers)
    assert response.status_code == 422
    assert "file" in response.get_json()["error"]["fields"]


def test_file_over_the_limit_is_413_with_a_clear_message(client, applicant_headers, draft, app):
    data = PDF + b"0" * (1024 * 1024)
    response = upload(client, draft, "charter", data, "big.pdf", headers=applicant_headers)
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "too_large" and "1" in error["message"] and "file" in error["fields"]
    assert not any(p.is_file() for p in Path(app.config["UPLOAD_DIR"]).rglob("*"))


def test_request_over_max_content_length_is_413_json(client, applicant_headers, draft):
    response = upload(client, draft, "charter", PDF + b"0" * (2 * 1024 * 1024), "huge.pdf", headers=applicant_headers)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


def test_exactly_the_limit_is_accepted(client, applicant_headers, draft):
    data = PDF + b"0" * (1024 * 1024 - len(PDF))
    assert upload(client, draft, "charter", data, "exact.pdf", headers=applicant_headers).status_code == 201


def test_unknown_kind_and_missing_file(client, applicant_headers, draft):
    response = upload(client, draft, "passport_of_cat", headers=applicant_headers)
    assert response.status_code == 422 and "kind" in response.get_json()["error"]["fields"]
    response = client.post(f"/api/v1/applications/{draft}/documents", data={"kind": "charter"},
                           headers=applicant_headers, content_type="multipart/form-data")
    assert response.status_code == 422 and "file" in response.get_json()["error"]["fields"]
    response = upload(client, draft, "charter", headers=applicant_headers, colour="red")
    assert response.status_code == 422 and "colour" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(("raw", "shown"), [
    ("../../etc/passwd", "passwd"),
    ("<script>.pdf", "<script>.pdf"),
    ("<img src=x onerror=alert(1)>.pdf", "<img src=x onerror=alert(1)>.pdf"),
    ("<script>alert(1)</script>.pdf", "script>.pdf"),  # a slash separates directories: only the last part
    ("evil\x00.pdf", "evil.pdf"),
    ("report\u202egnp.pdf", "reportgnp.pdf"),
    (".htaccess", "htaccess"),
    ("   ", "document"),
    ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ("Устав ТОО «Туран».pdf", "Устав ТОО «Туран».pdf"),
])
def test_hostile_names_are_cleaned_for_display_and_never_used_as_paths(client, applicant_headers, draft, app,
                                                                       raw, shown):
    response = upload(client, draft, "other", PDF, raw, headers=applicant_headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["filename"] == shown
    upload_dir = Path(app.config["UPLOAD_DIR"]).resolve()
    files = [p for p in upload_dir.rglob("*") if p.is_file()]
    assert len(files) == 1 and upload_dir in files[0].resolve().parents
    assert not (upload_dir.parent / "etc").exists()


def test_windows_paths_lose_their_directories(client, applicant_headers, draft):
    response = upload(client, draft, "other", PDF, "..\\..\\windows\\system32\\config.pdf", headers=applicant_headers)
    name = response.get_json()["filename"]
    assert name.endswith("config.pdf") and "\\" not in name and "/" not in name and not name.startswith(".")


def test_hostile_names_are_escaped_in_the_pages(client, applicant, applicant_headers, draft, login):
    upload(client, draft, "other", PDF, "<img src=x onerror=alert(1)>.pdf", headers=applicant_headers)
    login(applicant)
    for url in (f"/applications/{draft}/documents", f"/applications/{draft}"):
        page = client.get(url).get_data(as_text=True)
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.pdf" in page


def test_a_new_upload_keeps_the_older_version(client, applicant, applicant_headers, draft, login):
    first = upload(client, draft, "charter", PDF, "v1.pdf", headers=applicant_headers).get_json()
    second = upload(client, draft, "charter", png_bytes(), "v2.png", headers=applicant_headers).get_json()
    body = client.get(f"/api/v1/applications/{draft}", headers=applicant_headers).get_json()
    assert [d["id"] for d in body["documents"] if d["kind"] == "charter"] == [second["id"]]
    assert {d["id"] for d in body["document_history"]} == {first["id"], second["id"]}
    old = client.get(f"/api/v1/applications/{draft}/documents/{first['id']}", headers=applicant_headers)
    assert old.status_code == 200 and old.data == PDF
    login(applicant)
    page = client.get(f"/applications/{draft}/documents").get_data(as_text=True)
    assert "v1.pdf" in page and "v2.png" in page


def test_download_is_an_attachment_that_is_not_sniffed_and_is_audited(client, applicant_headers, draft, app):
    doc = upload(client, draft, "charter", PDF, "Устав «Туран».pdf", headers=applicant_headers).get_json()
    response = client.get(f"/api/v1/applications/{draft}/documents/{doc['id']}", headers=applicant_headers)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    from zone.audit.models import AuditEvent
    from zone.extensions import db

    with app.app_context():
        actions = [e.action for e in db.session.query(AuditEvent).filter_by(object_type="document",
                                                                            object_id=str(doc["id"]))]
        assert actions == ["document.upload", "document.download"]


def test_download_name_gets_the_extension_of_the_real_type(client, applicant_headers, draft):
    doc = upload(client, draft, "charter", png_bytes(), "scan.pdf", headers=applicant_headers).get_json()
    response = client.get(f"/api/v1/applications/{draft}/documents/{doc['id']}", headers=applicant_headers)
    assert response.headers["Content-Type"] == "image/png"
    assert "scan.pdf.png" in response.headers["Content-Disposition"]


def test_unknown_document_or_document_of_another_application_is_404(client, applicant_headers, draft):
    other = client.post("/api/v1/applications", json={"side": "UZ"}, headers=applicant_headers).get_json()["id"]
    doc = upload(client, other, "charter", headers=applicant_headers).get_json()
    assert client.get(f"/api/v1/applications/{draft}/documents/{doc['id']}", headers=applicant_headers).status_code \
        == 404
    assert client.get(f"/api/v1/applications/{draft}/documents/999", headers=applicant_headers).status_code == 404


# --- the upload page -------------------------------------------------------------------------------

def _post_page(client, application_id, data: bytes, name: str, kind: str = "charter"):
    return client.post(f"/applications/{application_id}/documents",
                       data={"kind": kind, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


@pytest.mark.parametrize(("data", "name", "status", "words"), [
    (b"MZ\x90\x00", "contract.pdf", 200, ("PDF, PNG", "JPEG")),
    (b"", "empty.pdf", 200, ("пуст", "empty")),
    (PDF + b"0" * (1024 * 1024), "big.pdf", 413, ("1 MB", "1 МБ")),
    (PDF + b"0" * (2 * 1024 * 1024), "huge.pdf", 413, ("1 MB", "1 МБ")),
])
def test_upload_page_explains_each_refusal_next_to_the_file_field(client, applicant, draft, login, data, name,
                                                                  status, words):
    login(applicant)
    response = _post_page(client, draft, data, name)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert 'id="file-error"' in page and 'aria-invalid="true"' in page
    assert any(w in page for w in words), page[page.find("file-error") - 200:page.find("file-error") + 500]


def test_upload_page_without_a_file_or_kind(client, applicant, draft, login):
    login(applicant)
    response = client.post(f"/applications/{draft}/documents", data={"kind": ""}, content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="file-error"' in page and 'id="kind-error"' in page


def test_upload_page_success_lists_the_file(client, applicant, draft, login):
    login(applicant)
    response = _post_page(client, draft, PDF, "Устав.pdf")
    assert response.status_code == 302
    page = client.get(f"/applications/{draft}/documents").get_data(as_text=True)
    assert "Устав.pdf" in page


class TestWithCsrf:
    """With CSRF on (as in production) the token is read before the view: a request over
    MAX_CONTENT_LENGTH fails there, and the upload page must still answer with its own 413 page."""

    @pytest.fixture
    def app_overrides(self):
        return {"MAX_UPLOAD_MB": 1, "MAX_CONTENT_LENGTH": int(1.5 * 1024 * 1024), "WTF_CSRF_ENABLED": True}

    def test_too_large_request_shows_the_upload_page(self, client, applicant, draft):
        from tests.conftest import csrf_token_from

        login_page = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"email": applicant.email, "password": "correct-horse-battery",
                                    "csrf_token": csrf_token_from(login_page)})
        page = client.get(f"/applications/{draft}/documents").get_data(as_text=True)
        token = csrf_token_from(page)
        response = client.post(f"/applications/{draft}/documents",
                               data={"csrf_token": token, "kind": "charter",
                                     "file": (io.BytesIO(PDF + b"0" * (2 * 1024 * 1024)), "huge.pdf")},
                               content_type="multipart/form-data")
        assert response.status_code == 413
        body = response.get_data(as_text=True)
        assert 'id="file-error"' in body and 'enctype="multipart/form-data"' in body
        small = client.post(f"/applications/{draft}/documents",
                            data={"csrf_token": token, "kind": "charter", "file": (io.BytesIO(PDF), "ok.pdf")},
                            content_type="multipart/form-data")
        assert small.status_code == 302
