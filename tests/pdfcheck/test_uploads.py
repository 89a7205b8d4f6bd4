"""Hostile PDFs sent where people upload files: refused with a message, never a 500, never a held worker.

The public "check a certificate file" page answers an issued original by its SHA-256 without parsing it,
refuses anything larger than a certificate can be, and reads the rest under the limits of zone.pdfcheck;
application documents go through the same limits.
"""

from __future__ import annotations

import io

import pytest

from tests.certificates.factories import approved_application, certificate, issue
from tests.pdfcheck import bombs

REFUSED = "его не удалось прочитать в пределах"
ORIGINAL = "неизменённый оригинал"
SANDBOX = "zone.pdfcheck.sandbox"


@pytest.fixture
def serial(app, make_company, make_user):
    company = make_company(name="ТОО «Туран Агромаш»")
    return issue(app, approved_application(app, company, make_user("applicant", company=company)))


def _check(client, data: bytes):
    return client.post("/verify/upload", data={"file": (io.BytesIO(data), "cert.pdf")},
                       content_type="multipart/form-data")


def _limits_hit(caplog) -> list[str]:
    return [record.limit for record in caplog.records if record.name == SANDBOX]


@pytest.mark.parametrize("bomb", [bombs.cross_reference_stream, bombs.signature_fields, bombs.object_streams],
                         ids=["xref-stream", "field-tree", "object-streams"])
def test_a_bomb_sent_to_the_verification_is_refused_by_a_limit(client, caplog, bomb):
    response = _check(client, bomb())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert REFUSED in page and "Не проверена" in page and ORIGINAL not in page
    assert _limits_hit(caplog) and set(_limits_hit(caplog)) <= {"memory", "cpu", "timeout"}


@pytest.mark.parametrize(("overrides", "limit"), [
    ({"PDF_CHECK_MEMORY_MB": 48, "PDF_CHECK_CPU_SECONDS": 60, "PDF_CHECK_TIMEOUT_SECONDS": 120}, "memory"),
    ({"PDF_CHECK_CPU_SECONDS": 1, "PDF_CHECK_TIMEOUT_SECONDS": 120}, "cpu"),
    ({"PDF_CHECK_CPU_SECONDS": 60, "PDF_CHECK_TIMEOUT_SECONDS": 0.3}, "timeout"),
], ids=["memory", "cpu", "timeout"])
def test_each_configured_limit_stops_the_verification(client, app, caplog, overrides, limit):
    app.config.update(overrides)
    bomb = bombs.cross_reference_stream() if limit == "memory" else bombs.signature_fields()
    assert REFUSED in _check(client, bomb).get_data(as_text=True)
    assert _limits_hit(caplog) == [limit]


def test_a_stored_original_is_recognised_without_parsing_it(client, app, serial, monkeypatch):
    from zone import pdfcheck
    from zone.certificates import signing

    def must_not_parse(*_args, **_kwargs):
        raise AssertionError("an issued original was parsed")

    monkeypatch.setattr(pdfcheck, "check_signature", must_not_parse)
    monkeypatch.setattr(pdfcheck, "run_limited", must_not_parse)
    monkeypatch.setattr(signing, "validate_signature", must_not_parse)
    stored = certificate(app, serial)
    app.config["VERIFY_UPLOAD_MAX_KB"] = 1  # even when the size cap is set too low
    page = _check(client, stored.pdf).get_data(as_text=True)
    assert ORIGINAL in page and serial in page and stored.sha256 in page


def test_a_pdf_signed_by_the_zone_but_not_issued_is_still_read_and_verified(client, app):
    from tests.certificates.helpers import kz_context
    from zone.certificates.pdf import render_certificate_pdf
    from zone.certificates.signing import sign_pdf

    signed = sign_pdf(render_certificate_pdf(kz_context(serial="ICIC-KZ-2026-000999")),
                      app.config["SIGNING_P12_PATH"], app.config["SIGNING_P12_PASSPHRASE"])
    page = _check(client, signed).get_data(as_text=True)
    assert "Файл содержит нашу действительную подпись" in page
    assert ORIGINAL not in page and REFUSED not in page


def test_a_file_larger_than_a_certificate_is_refused_without_reading(client, app, monkeypatch):
    from zone import pdfcheck

    monkeypatch.setattr(pdfcheck, "check_signature", lambda *a, **k: pytest.fail("a too large file was parsed"))
    page = _check(client, b"%PDF-1.7\n" + b"0" * (300 * 1024)).get_data(as_text=True)
    assert "Файл больше 256 КБ" in page and ORIGINAL not in page


# --- application documents -------------------------------------------------------------------------------

@pytest.fixture
def draft(client, make_user, api_token):
    headers = api_token(make_user("applicant"))
    created = client.post("/api/v1/applications", headers=headers, json={"side": "KZ"})
    assert created.status_code == 201
    return created.get_json()["id"], headers


def _upload(client, draft, data: bytes, name: str = "charter.pdf"):
    application_id, headers = draft
    return client.post(f"/api/v1/applications/{application_id}/documents", headers=headers,
                       data={"kind": "charter", "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _stored_files(app) -> list:
    from pathlib import Path

    return [p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()]


@pytest.mark.parametrize("bomb", [lambda: bombs.inflating_pages(pages=6, mb=60),
                                  lambda: bombs.cross_reference_stream(1_999_000), lambda: bombs.page_tree(8, 10)],
                         ids=["inflating-pages", "xref-stream", "page-tree"])
def test_a_bomb_uploaded_as_a_document_is_refused_and_not_kept(client, app, caplog, draft, bomb):
    response = _upload(client, draft, bomb())
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "pdf_too_complex" and "file" in error["fields"]
    assert _limits_hit(caplog) and set(_limits_hit(caplog)) <= {"memory", "cpu", "timeout", "parser"}
    assert _stored_files(app) == []


def test_the_memory_limit_is_what_stops_an_inflating_document(client, app, caplog, draft):
    app.config.update(PDF_CHECK_MEMORY_MB=48, PDF_CHECK_CPU_SECONDS=60, PDF_CHECK_TIMEOUT_SECONDS=120)
    assert _upload(client, draft, bombs.inflating_pages(pages=1, mb=60)).status_code == 422
    assert _limits_hit(caplog) == ["memory"]


def test_the_documents_page_says_why_and_a_normal_pdf_still_uploads(client, app, make_user, api_token, login,
                                                                     kz_pdf):
    owner = make_user("applicant")
    application_id = client.post("/api/v1/applications", headers=api_token(owner), json={"side": "KZ"}).get_json()["id"]
    login(owner)
    page = client.post(f"/applications/{application_id}/documents", content_type="multipart/form-data",
                       data={"kind": "charter", "file": (io.BytesIO(bombs.page_tree(8, 10)), "устав.pdf")})
    assert page.status_code == 200 and "Этот PDF нельзя безопасно открыть" in page.get_data(as_text=True)
    assert _stored_files(app) == []
    ok = client.post(f"/applications/{application_id}/documents", content_type="multipart/form-data",
                     data={"kind": "charter", "file": (io.BytesIO(kz_pdf), "устав.pdf")})
    assert ok.status_code == 302 and len(_stored_files(app)) == 1


def test_the_verification_holds_no_database_transaction_while_it_reads_a_file(client, app, monkeypatch):
    from zone import pdfcheck
    from zone.certificates.signing import SignatureCheck
    from zone.extensions import db

    seen = []

    def reading(data, ca_pem_path):
        seen.append(db.session().in_transaction())  # a POST on SQLite would hold the write lock
        return SignatureCheck(signed=False, error="the PDF carries no signature")

    monkeypatch.setattr(pdfcheck, "check_signature", reading)
    assert "Подписи нет" in _check(client, b"%PDF-1.7\n% not issued here\n").get_data(as_text=True)
    assert seen == [False]


def test_when_no_checker_can_start_the_upload_is_refused_not_a_500(client, draft, monkeypatch, kz_pdf):
    import errno

    from zone.pdfcheck import sandbox

    def no_fork():
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(sandbox.os, "fork", no_fork)
    response = _check(client, kz_pdf)
    assert response.status_code == 200 and REFUSED in response.get_data(as_text=True)
    assert _upload(client, draft, kz_pdf).get_json()["error"]["code"] == "pdf_too_complex"
