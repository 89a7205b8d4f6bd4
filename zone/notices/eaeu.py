"""The extract for the EAEU common register of free (special) economic zone residents: the KZ side's residents
as of a date, in the register's fields, streamed as CSV or XLSX like the other exports and audited.

One row per resident certificate included on or before the date (a reissued certificate is represented by
its replacement, which keeps the company's inclusion): the company's name and BIN, the zone, the activity
agreement's number and date, the activity (OKED codes and sector), the inclusion date and, when it falls on
or before the date, the exclusion date and its ground (revocation with its reason, or the end of the term).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.agreements.models import Agreement
from zone.audit.services import record
from zone.calendar import today
from zone.certificates.models import Certificate
from zone.errors import ValidationFailed
from zone.extensions import db
from zone.registers.streaming import csv_response, rows_of, xlsx_response
from zone.web.export_columns import Column, header, titles

ZONE_NAME = "МЦПС «Центральная Азия»"
COLUMNS = (
    Column("name", _l("Name")),
    Column("bin", _l("BIN")),
    Column("zone", _l("Zone")),
    Column("agreement_number", _l("Agreement number")),
    Column("agreement_date", _l("Agreement date")),
    Column("activity", _l("Activity")),
    Column("included_on", _l("Included on")),
    Column("excluded_on", _l("Excluded on")),
    Column("exclusion_ground", _l("Ground of exclusion")),
)


def extract_date(args) -> date:
    """``date`` of the query (ISO, 2000–2100), default today; 422 naming the field otherwise."""
    raw = args.get("date")
    if not raw:
        return today()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        raise ValidationFailed(_("Some values are not valid."), fields={"date": [_("Enter a date as YYYY-MM-DD.")]})
    return day


def column_titles() -> list[str]:
    return titles(COLUMNS)


def statement(day: date):
    """The KZ residents' certificates included by ``day``, oldest first, with their agreement."""
    return (select(Certificate.company_name, Certificate.company_tax_id, Certificate.valid_from,
                   Certificate.valid_until, Certificate.status, Certificate.revoked_at, Certificate.revoked_reason,
                   Certificate.activity_codes, Certificate.sector, Agreement.number, Agreement.decided_on)
            .outerjoin(Agreement, Agreement.application_id == Certificate.application_id)
            .where(Certificate.side == "KZ", Certificate.valid_from <= day, Certificate.status != "superseded")
            .order_by(Certificate.valid_from, Certificate.id))


def row_values(row, day: date, grounds: dict[str, str]) -> list:
    """The register's cells of one certificate as of ``day`` (``grounds``: the words, in the reader's language)."""
    excluded, ground = None, None
    if row.revoked_at is not None and row.revoked_at <= day:
        excluded, ground = row.revoked_at, f"{grounds['revoked']}: {row.revoked_reason or ''}".strip()
    elif row.valid_until is not None and row.valid_until + timedelta(days=1) <= day:
        excluded, ground = row.valid_until + timedelta(days=1), grounds["expired"]
    activity = " ".join(str(code) for code in (row.activity_codes or ()))
    return [row.company_name, row.company_tax_id, ZONE_NAME, row.number, row.decided_on,
            f"{activity} ({row.sector})" if row.sector else activity, row.valid_from, excluded, ground]


def _rows(day: date, *, for_csv: bool):
    """The cells, read while the body streams (engine, statement and words taken now, in the request)."""
    rows = rows_of(db.engine, statement(day))
    grounds = {"revoked": _("Revocation"), "expired": _("End of the term")}
    return ([v.isoformat() if for_csv and isinstance(v, date) else v for v in row_values(row, day, grounds)]
            for row in rows)


def _audit(kind: str, day: date) -> None:
    record("notices.eaeu_extract", object_type="eaeu_register", details={"format": kind, "date": day})
    db.session.commit()


def csv_extract(day: date, *, machine_header: bool = True) -> Response:
    """The extract as CSV headed by the machine names (the API) or by the titles (the page's download)."""
    _audit("csv", day)
    return csv_response(f"eaeu-register-KZ-{day.isoformat()}.csv", header(COLUMNS, machine=machine_header),
                        _rows(day, for_csv=True))


def xlsx_extract(day: date) -> Response:
    _audit("xlsx", day)
    return xlsx_response(f"eaeu-register-KZ-{day.isoformat()}.xlsx", _("EAEU register"), column_titles(),
                         _rows(day, for_csv=False))
