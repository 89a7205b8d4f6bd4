"""The public register of residents as a CSV file.

Cells that a spreadsheet would run as a formula (starting with = + - @) are prefixed with an
apostrophe: company names are typed by the public. (Staff exports live in ``zone.registers``.)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

from flask import Response
from flask_babel import lazy_gettext as _l

from zone.api.common import iso
from zone.certificates.benefits import benefit_name
from zone.certificates.models import Certificate
from zone.certificates.periods import ends_on
from zone.web.export_columns import Column, header

REGISTER_COLUMNS = (
    Column("company_name", _l("Company")),
    Column("tax_id", _l("Tax id")),
    Column("side", _l("Side")),
    Column("sector", _l("Sector")),
    Column("serial", _l("Serial")),
    Column("status", _l("Status")),
    Column("valid_from", _l("Valid from")),
    Column("valid_until", _l("Valid until")),
    Column("benefits", _l("Benefits")),
    Column("sha256", _l("SHA-256 of the PDF")),
)


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def register_row(certificate: Certificate, today: date, locale: str) -> dict:
    """One resident as the public register shows it."""
    return {
        "company_name": certificate.company_name,
        "tax_id": certificate.company_tax_id,
        "side": certificate.side,
        "sector": certificate.sector,
        "serial": certificate.serial,
        "status": certificate.status_on(today),
        "valid_from": iso(certificate.valid_from),
        "valid_until": iso(ends_on(certificate.valid_until)),  # half-open, as in the API
        "benefits": "; ".join(f"{b['code']} ({benefit_name(b, locale)})" for b in certificate.benefits),
        "sha256": certificate.sha256,
    }


def register_csv(certificates: Iterable[Certificate], today: date, locale: str, *,
                 machine_header: bool = False) -> Response:
    """The public register as CSV (UTF-8 with a BOM, so spreadsheets read Cyrillic correctly), headed by
    the column titles in ``locale`` or, for integrators, by the machine names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header(REGISTER_COLUMNS, machine=machine_header))
    names = [column.name for column in REGISTER_COLUMNS]
    for certificate in certificates:
        row = register_row(certificate, today, locale)
        writer.writerow([_safe(row[key]) for key in names])
    response = Response(("\ufeff" + buffer.getvalue()).encode("utf-8"), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="icic-residents-{today.isoformat()}.csv"'
    return response
