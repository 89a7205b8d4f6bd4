"""The annual report's audited statements, checked by content like application documents (the same
``zone.pdfcheck`` limits), and every change of a report in the audit trail's hash chain."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from tests.api.seed import PDF_BYTES
from tests.pdfcheck import bombs
from tests.reports.conftest import QUARTER

ANNUAL = {**QUARTER, "auditor_name": "ТОО «Аудит Центр»", "audit_opinion": "qualified"}


@pytest.fixture
def in_2027():
    with time_machine.travel(datetime(2027, 2, 1, 10, tzinfo=ZoneInfo("Asia/Almaty")), tick=True):
        yield


def _upload(client, headers, report_id, data: bytes, kind="audited_statements"):
    return client.post(f"/api/v1/reports/{report_id}/documents", headers=headers, content_type="multipart/form-data",
                       data={"kind": kind, "file": (io.BytesIO(data), "statements.pdf")})


def test_the_annual_report_needs_its_audited_statements(in_2027, client, resident, new_report):
    report = new_report("2026", **ANNUAL)
    assert report["kind"] == "annual" and report["due"] == "2027-04-30" and report["auditor_name"]
    response = client.post(f"/api/v1/reports/{report['id']}/submit", headers=resident.company)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["documents.audited_statements"]

    assert _upload(client, resident.company, report["id"], b"MZ\x90\x00 not a pdf").status_code == 422
    assert _upload(client, resident.company, report["id"], PDF_BYTES, kind="passport").status_code == 422
    uploaded = _upload(client, resident.company, report["id"], PDF_BYTES)
    assert uploaded.status_code == 201 and uploaded.get_json()["content_type"] == "application/pdf"

    response = client.post(f"/api/v1/reports/{report['id']}/submit", headers=resident.company)
    assert response.status_code == 200, response.get_json()
    document = response.get_json()["documents"][0]
    download = client.get(f"/api/v1/reports/{report['id']}/documents/{document['id']}", headers=resident.auditor)
    assert download.status_code == 200 and download.data == PDF_BYTES
    download.close()  # the stored file is sent as a stream
    correction = client.post(f"/api/v1/reports/{report['id']}/corrections", headers=resident.company,
                             json={"reason": "The auditor's name was misspelt.", "auditor_name": "ТОО «Аудит-Центр»"})
    assert correction.status_code == 201, correction.get_json()  # the statements carry over to the new version
    assert [d["id"] for d in correction.get_json()["documents"]] == [document["id"]]


def test_a_quarterly_report_has_no_audit_fields(client, resident, new_report):
    report = new_report("2026-Q1")
    response = client.patch(f"/api/v1/reports/{report['id']}", headers=resident.company,
                            json={"audit_opinion": "unmodified"})
    assert response.status_code == 422 and "audit_opinion" in response.get_json()["error"]["fields"]


def test_a_pdf_bomb_is_refused_as_for_application_documents(client, resident, new_report):
    report = new_report("2026-Q1")
    response = _upload(client, resident.company, report["id"], bombs.page_tree(8, 10))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "pdf_too_complex"


def test_every_change_is_in_the_hash_chain(app, client, resident, new_report):
    from zone.audit.models import AuditEvent
    from zone.audit.services import verify_chain
    from zone.extensions import db

    report = new_report("2026-Q1", **QUARTER)
    url = f"/api/v1/reports/{report['id']}"
    client.patch(url, headers=resident.company, json={"payroll": "1"})
    client.post(f"{url}/submit", headers=resident.company)
    client.post(f"{url}/return", headers=resident.reviewer, json={"question": "?"})
    client.post(f"{url}/resubmit", headers=resident.company, json={"answer": "!"})
    client.post(f"{url}/accept", headers=resident.approver, json={})
    client.post(f"{url}/corrections", headers=resident.company, json={"reason": "typo", "payroll": "2"})
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("report.%"))
                                     .order_by(AuditEvent.seq)).all()
        assert actions == ["report.create", "report.update", "report.submit", "report.return", "report.resubmit",
                           "report.accept", "report.correct"]
        assert verify_chain().ok
