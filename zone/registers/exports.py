"""The register's downloads: CSV, XLSX and a ZIP of the original PDFs with a manifest, each streamed
and each audited (who exported what, with which filters, how many rows) before the first byte.
The rows are read while the body streams, on a database session of the body's own."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime

from flask import Response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zone.audit.services import format_time, record
from zone.certificates.periods import ends_on
from zone.extensions import db
from zone.registers import queries
from zone.registers.queries import RegisterFilter
from zone.registers.streaming import (
    BOM,
    csv_line,
    csv_response,
    rows_of,
    stream_response,
    xlsx_response,
    zip_stream,
)
from zone.web.export_columns import Column, header, titles

# Stable column names: integrators and the tests read the CSV by these names; titles head the XLSX and
# the CSV downloaded from the page.
COLUMNS = (
    Column("serial", _l("Serial")),
    Column("status", _l("Status")),
    Column("status_since", _l("Status since")),
    Column("side", _l("Side")),
    Column("sector", _l("Sector")),
    Column("company_name", _l("Company")),
    Column("company_tax_id", _l("Tax id")),
    Column("issued_at", _l("Issued at (UTC)")),
    Column("valid_from", _l("Valid from")),
    Column("valid_until", _l("Valid until")),
    Column("benefits", _l("Benefits")),
    Column("sha256", _l("SHA-256 of the PDF")),
    Column("size", _l("Size, bytes")),
)
MANIFEST_COLUMNS = ("file", "serial", "company_name", "company_tax_id", "status", "sha256", "size", "sha256_matches")


def column_titles() -> list[str]:
    """Column headings in the reader's language (XLSX, and the CSV downloaded from the page)."""
    return titles(COLUMNS)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def benefit_codes(benefits) -> str:
    return " ".join(str(b.get("code")) for b in (benefits or []) if isinstance(b, dict) and b.get("code"))


def row_values(row, *, for_csv: bool) -> list:
    """One register row as export cells (CSV: ISO text for times; XLSX: naive UTC datetimes)."""
    issued, since = _utc(row.issued_at), _utc(row.status_since)
    return [row.serial, row.status, format_time(since) if for_csv and since else since, row.side, row.sector,
            row.company_name, row.company_tax_id, format_time(issued) if for_csv and issued else issued,
            row.valid_from, ends_on(row.valid_until), benefit_codes(row.benefits), row.sha256, row.size]


def _audit(kind: str, f: RegisterFilter, count: int) -> None:
    record("register.export", object_type="certificate_register",
           details={"format": kind, "filter": f.describe(), "rows": count})
    db.session.commit()


def _rows(f: RegisterFilter, *, with_pdf: bool = False, batch_size: int = 1000):
    """The export's rows, read while the body streams (statement and engine taken now, in the request)."""
    return rows_of(db.engine, queries.export_statement(f, with_pdf=with_pdf), batch_size=batch_size)


def _stamp(f: RegisterFilter) -> str:
    moment = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return f"as-of-{f.as_of.isoformat()}-{moment}" if f.as_of else moment


def csv_export(f: RegisterFilter, *, machine_header: bool = True) -> Response:
    """The filtered register as a streamed CSV (UTF-8 with BOM): one header line of the COLUMNS' machine
    names, or of their titles in the reader's language; the cells are the same either way."""
    _audit("csv", f, queries.register_count(f))
    rows = (row_values(row, for_csv=True) for row in _rows(f))
    return csv_response(f"certificate-register-{_stamp(f)}.csv", header(COLUMNS, machine=machine_header), rows)


def xlsx_export(f: RegisterFilter) -> Response:
    """The filtered register as an XLSX workbook, built in a temporary file and streamed."""
    _audit("xlsx", f, queries.register_count(f))
    rows = (row_values(row, for_csv=False) for row in _rows(f))
    return xlsx_response(f"certificate-register-{_stamp(f)}.xlsx", _("Certificates"), column_titles(), rows)


def archive_name(row) -> str:
    return f"{row.serial}.pdf"


def zip_export(f: RegisterFilter) -> Response:
    """The original signed PDFs of the filtered (or selected) certificates and ``manifest.csv`` listing
    serial, company, tax id, status and SHA-256 of each; ``sha256_matches`` says whether the stored
    file still has the fingerprint recorded at issuance. One PDF in memory at a time."""
    _audit("zip", f, queries.register_count(f))
    pdf_rows = _rows(f, with_pdf=True, batch_size=20)  # a few PDFs in memory at a time

    def body() -> Iterator[bytes]:
        # The manifest grows with the archive: spill it to disk past 1 MB rather than hold it in memory.
        with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+b") as manifest:
            manifest.write((BOM + csv_line(MANIFEST_COLUMNS)).encode("utf-8"))

            def members() -> Iterator[tuple[str, bytes]]:
                for row in pdf_rows:
                    content = bytes(row.pdf or b"")
                    matches = hashlib.sha256(content).hexdigest() == row.sha256
                    manifest.write(csv_line([archive_name(row), row.serial, row.company_name, row.company_tax_id,
                                             row.status, row.sha256, len(content),
                                             "yes" if matches else "NO"]).encode("utf-8"))
                    yield archive_name(row), content

            yield from zip_stream(members(), lambda: [("manifest.csv", manifest)])

    return stream_response(body(), "application/zip", f"certificates-{_stamp(f)}.zip")
