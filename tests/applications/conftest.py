"""Helpers for the application tests: complete payloads, real file bytes, applications in any state."""

from __future__ import annotations

import io
import struct
import zlib

import pytest

REQUIRED_KINDS = ("charter", "registration_certificate", "director_id", "business_plan", "financial_statements",
                  "proof_of_funds")

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def png_bytes() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def complete_fields(side: str = "KZ") -> dict:
    """Every field of a complete application for ``side`` (API shapes)."""
    data = {
        "side": side,
        "project_title": "Завод капельного орошения",
        "project_description": "Производство лент и трубок капельного орошения из ПЭ для хозяйств обеих стран.",
        "sector": "plastics",
        "activity_codes": ["22.21", "22.29"],
        "products": [{"name": "Лента капельного орошения", "hs_code": "391732", "annual_volume": "12000000",
                      "unit": "м"}],
        "investment_amount": "2500000",
        "investment_currency": "USD",
        "own_funds_share": "40",
        "jobs_total": 120,
        "jobs_local": 100,
        "land_area_ha": "2.5",
        "building_area_m2": "8000",
        "export_share": "30",
        "capital_shares": {"KZ": "60", "UZ": "40"},
        "construction_start": "2026-09-01",
        "production_start": "2027-06-01",
    }
    if side == "KZ":
        data.update({"priority_income_share": "95", "has_branches_outside_zone": False})
    return data


@pytest.fixture
def payload():
    return complete_fields


@pytest.fixture
def applicant(make_user):
    return make_user("applicant")


@pytest.fixture
def applicant_headers(applicant, api_token):
    return api_token(applicant)


def upload(client, application_id: int, kind: str, data: bytes = PDF, name: str = "doc.pdf", headers=None,
           **extra):
    return client.post(f"/api/v1/applications/{application_id}/documents",
                       data={"kind": kind, "file": (io.BytesIO(data), name), **extra}, headers=headers or {},
                       content_type="multipart/form-data")


@pytest.fixture
def upload_all(client):
    def _upload_all(application_id: int, headers) -> None:
        for kind in REQUIRED_KINDS:
            response = upload(client, application_id, kind, headers=headers)
            assert response.status_code == 201, response.get_json()

    return _upload_all


@pytest.fixture
def complete_application(client, upload_all):
    """Create, fill and document an application through the API; returns its JSON."""

    def _make(headers, side: str = "KZ", **overrides) -> dict:
        response = client.post("/api/v1/applications", json={**complete_fields(side), **overrides}, headers=headers)
        assert response.status_code == 201, response.get_json()
        upload_all(response.get_json()["id"], headers)
        return client.get(f"/api/v1/applications/{response.get_json()['id']}", headers=headers).get_json()

    return _make


@pytest.fixture
def submitted_application(client, complete_application):
    def _make(headers, side: str = "KZ") -> dict:
        application = complete_application(headers, side)
        response = client.post(f"/api/v1/applications/{application['id']}/submit", headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return _make


@pytest.fixture
def set_status(app):
    """Put an application straight into a status (as the review would), for transition tests."""
    from zone.applications.models import Application
    from zone.extensions import db

    def _set(application_id: int, status: str, **fields) -> None:
        with app.app_context():
            application = db.session.get(Application, application_id)
            application.status = status
            for name, value in fields.items():
                setattr(application, name, value)
            db.session.commit()

    return _set


@pytest.fixture
def db_get(app):
    """Read a row (detached) by model and id."""
    from zone.extensions import db

    def _get(model, ident):
        with app.app_context():
            row = db.session.get(model, ident)
            if row is not None:
                db.session.expunge(row)
            return row

    return _get


def file_of(data: bytes, name: str):
    return (io.BytesIO(data), name)
