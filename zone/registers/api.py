"""Register exports in the JSON API (auditor, staff): CSV, XLSX and the ZIP of original PDFs.

Same filters as the register page: ``status``, ``side``, ``sector``, ``issued_from``, ``issued_to``,
``company`` (name or tax id), ``as_of`` (the register as it stood at the end of that date) and
``serial`` (repeatable: only these certificates). Invalid filters → 422 naming each.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _

from zone.database import writes
from zone.errors import ValidationFailed
from zone.registers import exports
from zone.registers.filters import filter_from_args
from zone.registers.policies import REGISTER_READERS
from zone.web.access import allow

api_bp = Blueprint("registers_api", __name__, url_prefix="/api/v1")


def _filter():
    register_filter, errors = filter_from_args(request.args)
    if errors:
        raise ValidationFailed(_("Some values are not valid."), fields=errors)
    return register_filter


@api_bp.get("/certificates/export.csv")
@allow(*REGISTER_READERS)
@writes
def export_csv():
    return exports.csv_export(_filter())


@api_bp.get("/certificates/export.xlsx")
@allow(*REGISTER_READERS)
@writes
def export_xlsx():
    return exports.xlsx_export(_filter())


@api_bp.get("/certificates/archive.zip")
@allow(*REGISTER_READERS)
@writes
def archive_zip():
    return exports.zip_export(_filter())
