"""The certificate register for staff and auditors: filters, "as of" a date, and the downloads."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from zone.calendar import today
from zone.database import writes
from zone.registers import exports, queries
from zone.registers.filters import filter_args, filter_from_args, sectors
from zone.registers.policies import REGISTER_READERS, can_read_history
from zone.vocabulary import SIDES
from zone.web.access import allow
from zone.web.export_columns import wants_machine_names

bp = Blueprint("registers", __name__)

PAGE_SIZE = 50


def _labels() -> dict:
    from zone.certificates.workflow import STATUS_LABELS
    from zone.vocabulary import SECTOR_LABELS

    return {"status": {str(k): v for k, v in STATUS_LABELS.items()}, "sector": SECTOR_LABELS}


@bp.get("/registers/certificates")
@allow(*REGISTER_READERS)
def certificates():
    register_filter, errors = filter_from_args(request.args)
    raw_after = request.args.get("after", "")
    after = int(raw_after) if raw_after.isdigit() else None
    rows, next_id = queries.register_page(register_filter, after_id=after, limit=PAGE_SIZE)
    return render_template(
        "registers/certificates.html", rows=rows, next_id=next_id, paged=after is not None,
        f=register_filter, errors=errors, args=filter_args(register_filter),
        total=queries.register_count(register_filter), can_read_history=can_read_history(current_user),
        statuses=queries.STATUSES, sides=SIDES, sectors=sectors(), labels=_labels(),
        today=today(),
    )


def _export(kind: str):
    register_filter, errors = filter_from_args(request.args)
    if errors:
        flash(_("Correct the filters before downloading."), "error")
        return redirect(url_for("registers.certificates", **{k: v for k, v in request.args.items() if k != "serial"}))
    if kind == "csv":  # the page's CSV speaks the reader's language unless the link asks for machine names
        return exports.csv_export(register_filter, machine_header=wants_machine_names(request.args))
    return {"xlsx": exports.xlsx_export, "zip": exports.zip_export}[kind](register_filter)


@bp.get("/registers/certificates/export.csv")
@allow(*REGISTER_READERS)
@writes
def export_csv():
    return _export("csv")


@bp.get("/registers/certificates/export.xlsx")
@allow(*REGISTER_READERS)
@writes
def export_xlsx():
    return _export("xlsx")


@bp.get("/registers/certificates/archive.zip")
@allow(*REGISTER_READERS)
@writes
def archive_zip():
    return _export("zip")
