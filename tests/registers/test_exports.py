"""Register exports: CSV, XLSX and the ZIP of original PDFs with its manifest. Each is streamed, audited,
and reads back to exactly what the database holds."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from zone.audit.models import AuditEvent
from zone.audit.services import verify_chain
from zone.certificates.models import Certificate
from zone.extensions import db
from zone.registers.exports import COLUMNS, MANIFEST_COLUMNS
from zone.web.export_columns import names

EXPORTS = {"csv": "/registers/certificates/export.csv", "xlsx": "/registers/certificates/export.xlsx",
           "zip": "/registers/certificates/archive.zip"}


@pytest.fixture
def register(make_company, make_certificate):
    """Three certificates of two companies; one name starts like a spreadsheet formula."""
    kz = make_company(name="ТОО «Туран Агромаш»")
    odd = make_company(name="=HYPERLINK(\"http://evil.example\",\"click\")")
    serials = [
        make_certificate(kz, issued_at=datetime(2026, 3, 2, 6, tzinfo=UTC)),
        make_certificate(kz, side="KZ", sector="metalworking", issued_at=datetime(2026, 4, 2, 6, tzinfo=UTC),
                         history=[("suspend", "suspended", datetime(2026, 5, 1, 6, tzinfo=UTC))]),
        make_certificate(odd, issued_at=datetime(2026, 5, 2, 6, tzinfo=UTC)),
    ]
    return serials


def _stored() -> list[Certificate]:
    db.session.expire_all()
    rows = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    db.session.rollback()
    return rows


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def _read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_csv_export_is_streamed_and_reads_back(client, login_as, register, ctx):
    auditor = login_as("auditor")
    response = client.get("/registers/certificates/export.csv?header=machine")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = _read_csv(response)
    stored = _stored()
    assert list(rows[0]) == names(COLUMNS)
    assert [r["serial"] for r in rows] == [c.serial for c in stored]
    for row, cert in zip(rows, stored, strict=True):
        expected_name = cert.company_name if not cert.company_name.startswith("=") else "'" + cert.company_name
        assert row["company_name"] == expected_name
        assert row["company_tax_id"] == cert.company_tax_id and row["sha256"] == cert.sha256
        assert row["status"] == cert.status and row["side"] == cert.side and row["sector"] == cert.sector
        # half-open, as in the API: the day after the last valid day the row keeps
        assert row["valid_until"] == (cert.valid_until + timedelta(days=1)).isoformat()
        assert int(row["size"]) == cert.size
        assert datetime.fromisoformat(row["issued_at"].replace("Z", "+00:00")) == _utc(cert.issued_at)
        assert row["benefits"] == cert.benefits[0]["code"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register.export"))
    assert event.actor_id == auditor.id
    assert event.details == {"format": "csv", "filter": {}, "rows": 3}


def test_csv_export_honours_the_filters_and_records_them(client, login_as, register, ctx):
    login_as("reviewer")
    response = client.get("/registers/certificates/export.csv?status=suspended&sector=metalworking&header=machine")
    rows = _read_csv(response)
    assert [r["serial"] for r in rows] == [register[1]] and rows[0]["status"] == "suspended"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register.export"))
    assert event.details["filter"] == {"status": "suspended", "sector": "metalworking"}
    assert event.details["rows"] == 1


def test_xlsx_export_is_streamed_and_reads_back(client, login_as, register, ctx):
    login_as("auditor")
    response = client.get("/registers/certificates/export.xlsx?lang=ru")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Серийный номер"  # headings in the reader's language
    stored = _stored()
    assert [v[0] for v in values[1:]] == [c.serial for c in stored]
    for row, cert in zip(values[1:], stored, strict=True):
        record = dict(zip(names(COLUMNS), row, strict=True))
        assert record["company_name"] == cert.company_name  # kept as text, never a formula
        assert record["company_tax_id"] == cert.company_tax_id and record["sha256"] == cert.sha256
        assert record["issued_at"] == _utc(cert.issued_at).replace(tzinfo=None)
        assert record["valid_until"].date() == cert.valid_until + timedelta(days=1) and record["size"] == cert.size
    formula_cells = [c for r in sheet.iter_rows() for c in r if c.data_type == "f"]
    assert formula_cells == []
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register.export"))
    assert event.details["format"] == "xlsx" and event.details["rows"] == 3


def _read_zip(response) -> tuple[dict[str, bytes], list[dict]]:
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.testzip() is None
    files = {name: archive.read(name) for name in archive.namelist()}
    manifest = list(csv.DictReader(io.StringIO(files.pop("manifest.csv").decode("utf-8-sig"))))
    return files, manifest


def test_zip_of_the_originals_with_their_manifest(client, login_as, register, ctx):
    login_as("auditor")
    response = client.get("/registers/certificates/archive.zip")
    assert response.status_code == 200 and response.is_streamed and response.mimetype == "application/zip"
    files, manifest = _read_zip(response)
    db.session.expire_all()
    stored = {c.serial: c for c in db.session.scalars(select(Certificate)).all()}
    assert set(files) == {f"{s}.pdf" for s in register}
    for name, content in files.items():
        certificate = stored[name.removesuffix(".pdf")]
        assert content == certificate.pdf  # byte for byte
    assert list(manifest[0]) == list(MANIFEST_COLUMNS)
    for line in manifest:
        certificate = stored[line["serial"]]
        assert line["file"] == f"{certificate.serial}.pdf"
        assert line["company_tax_id"] == certificate.company_tax_id and line["status"] == certificate.status
        assert line["sha256"] == certificate.sha256 == hashlib.sha256(files[line["file"]]).hexdigest()
        assert line["sha256_matches"] == "yes"
    db.session.rollback()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register.export"))
    assert event.details == {"format": "zip", "filter": {}, "rows": 3}


def test_zip_of_selected_certificates_only(client, login_as, register, ctx):
    login_as("reviewer")
    response = client.get(f"/registers/certificates/archive.zip?serial={register[0]}&serial={register[2]}")
    files, manifest = _read_zip(response)
    assert set(files) == {f"{register[0]}.pdf", f"{register[2]}.pdf"}
    assert [m["serial"] for m in manifest] == [register[0], register[2]]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register.export"))
    assert event.details["filter"] == {"serials": [register[0], register[2]]} and event.details["rows"] == 2


def test_a_stored_pdf_that_no_longer_matches_its_fingerprint_is_flagged(client, login_as, register, ctx):
    certificate = db.session.scalar(select(Certificate).where(Certificate.serial == register[1]))
    certificate.pdf = certificate.pdf + b"% appended later\n"
    db.session.commit()
    login_as("auditor")
    _files, manifest = _read_zip(client.get("/registers/certificates/archive.zip"))
    flags = {m["serial"]: m["sha256_matches"] for m in manifest}
    assert flags == {register[0]: "yes", register[1]: "NO", register[2]: "yes"}


def test_the_pages_csv_is_headed_in_the_readers_language_with_the_same_cells(client, login_as, register, ctx):
    login_as("auditor")
    page = client.get("/registers/certificates?lang=ru").get_data(as_text=True)
    assert 'href="/registers/certificates/export.csv?header=machine"' in page  # the integrators' link
    spoken = list(csv.reader(io.StringIO(client.get("/registers/certificates/export.csv?lang=ru")
                                         .get_data().decode("utf-8-sig"))))
    machine = list(csv.reader(io.StringIO(client.get("/registers/certificates/export.csv?lang=ru&header=machine")
                                          .get_data().decode("utf-8-sig"))))
    xlsx = load_workbook(io.BytesIO(client.get("/registers/certificates/export.xlsx?lang=ru").get_data())).active
    assert spoken[0] == list(next(xlsx.iter_rows(max_row=1, values_only=True)))  # one list of titles for both
    assert spoken[0][:3] == ["Серийный номер", "Статус", "Статус с"]
    assert machine[0] == names(COLUMNS) and not set(spoken[0]) & set(machine[0])
    # the cells are machine-stable in both: codes and ISO times, whatever the language of the header
    assert spoken[1:] == machine[1:] and {row[1] for row in spoken[1:]} == {"active", "suspended"}


def test_the_api_csv_keeps_the_machine_names(client, make_user, api_token, register, ctx):
    headers = {**api_token(make_user("auditor")), "Accept-Language": "ru"}
    for query in ("", "?lang=ru", "?header=titles"):
        body = client.get(f"/api/v1/certificates/export.csv{query}", headers=headers).get_data().decode("utf-8-sig")
        assert next(csv.reader(io.StringIO(body))) == names(COLUMNS), query


@pytest.mark.parametrize("kind", ["csv", "xlsx", "zip"])
def test_api_twins_match_the_pages(client, make_user, api_token, register, kind, ctx):
    headers = api_token(make_user("auditor"))
    path = {"csv": "/api/v1/certificates/export.csv", "xlsx": "/api/v1/certificates/export.xlsx",
            "zip": "/api/v1/certificates/archive.zip"}[kind]
    response = client.get(f"{path}?side=KZ&company=туран", headers=headers)
    assert response.status_code == 200 and response.is_streamed
    if kind == "csv":
        assert [r["serial"] for r in _read_csv(response)] == register[:2]
    elif kind == "xlsx":
        sheet = load_workbook(io.BytesIO(response.get_data())).active
        assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == register[:2]
    else:
        assert sorted(_read_zip(response)[0]) == sorted(f"{s}.pdf" for s in register[:2])
    response = client.get(f"{path}?status=lost&issued_from=03/02/2026", headers=headers)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"status", "issued_from"}
    assert verify_chain().ok


def test_exports_of_an_empty_selection_are_valid_files(client, login_as, ctx):
    login_as("auditor")
    assert _read_csv(client.get(EXPORTS["csv"])) == []
    sheet = load_workbook(io.BytesIO(client.get(EXPORTS["xlsx"]).get_data())).active
    assert sheet.max_row == 1
    assert _read_zip(client.get(EXPORTS["zip"])) == ({}, [])


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning", "error::ResourceWarning")
def test_abandoned_downloads_hold_no_request_context(app, client, login_as, register):
    """A body nobody reads (or reads halfway) holds no request context: collecting it later, in the
    middle of another request, must not run a request's teardown again (which would close that other
    request's database session). Closing it closes its cursor (on PostgreSQL a server-side one) at once,
    never left to the garbage collector."""
    import gc

    teardowns = []
    app.teardown_request(lambda _exc: teardowns.append(1))
    login_as("auditor")
    teardowns.clear()
    requests = 0
    for path in EXPORTS.values():
        client.get(path)  # never read
        halfway = client.get(path, buffered=False)
        next(iter(halfway.response))
        del halfway
        requests += 2
    gc.collect()
    assert len(teardowns) == requests
    assert client.get("/registers/certificates?side=KZ").status_code == 200
