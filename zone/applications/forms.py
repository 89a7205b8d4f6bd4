"""The section forms of the application. They only carry what the user typed: every rule about a valid
value is in :mod:`zone.applications.fields`, shared with the API. Labels and hints come from there too."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.widgets import DateInput

from zone.applications.fields import (
    CURRENCIES,
    CURRENCY_LABELS,
    DOCUMENT_KINDS,
    DOCUMENT_LABELS,
    FIELDS,
    PRODUCT_PART_LABELS,
    SECTOR_LABELS,
    SECTORS,
    SIDE_LABELS,
    SIDES,
)
from zone.web.forms import options

MIN_ROWS = 5
MORE_ROWS = 5
CHOOSE = ("", _l("— choose —"))
YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]


def _label(name: str):
    return FIELDS[name].label


@dataclass
class RowTable:
    """A list of rows typed in a table (products, capital shares): ``products-3-hs_code`` style names.

    Read straight from the form data, so a row keeps its position on the page whatever rows around it
    are blank, and errors stay on the row the user typed in.
    """

    name: str
    parts: tuple[str, ...]
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: dict[tuple[int, str], list[str]] = field(default_factory=dict)

    @classmethod
    def from_formdata(cls, name: str, parts: tuple[str, ...], formdata) -> RowTable:
        pattern = re.compile(rf"^{name}-(\d{{1,3}})-({'|'.join(parts)})$")
        found: dict[int, dict[str, str]] = {}
        for key in formdata:
            match = pattern.match(key)
            if match and int(match.group(1)) < MAX_ROWS:
                found.setdefault(int(match.group(1)), {})[match.group(2)] = formdata.get(key, "")
        count = max(MIN_ROWS, max(found, default=-1) + 1)
        rows = [{part: found.get(i, {}).get(part, "") for part in parts} for i in range(count)]
        return cls(name, parts, rows)

    @classmethod
    def from_values(cls, name: str, parts: tuple[str, ...], values: list[dict]) -> RowTable:
        rows = [{part: _text(item.get(part)) for part in parts} for item in values]
        table = cls(name, parts, rows)
        table.pad(max(MIN_ROWS, len(rows) + 2) - len(rows))
        return table

    def pad(self, count: int) -> None:
        self.rows.extend(dict.fromkeys(self.parts, "") for _ in range(max(count, 0)))

    def id(self, index: int, part: str) -> str:
        return f"{self.name}-{index}-{part}"

    def filled(self) -> tuple[list[dict[str, str]], list[int]]:
        """The rows with anything typed in them, and the position of each on the page."""
        kept = [(i, row) for i, row in enumerate(self.rows) if any(v.strip() for v in row.values())]
        return [row for _i, row in kept], [i for i, _row in kept]


class SectionForm(FlaskForm):
    """Every section form carries the version it was opened at, so a stale save is refused."""

    class Meta:
        text_rules_in_service = True  # every value goes through fields.clean, which applies them

    version = HiddenField()


class ProjectForm(SectionForm):
    side = RadioField(_label("side"), choices=options((s, SIDE_LABELS[s]) for s in SIDES), validate_choice=False)
    project_title = StringField(_label("project_title"))
    project_description = TextAreaField(_label("project_description"))
    sector = SelectField(_label("sector"), choices=options([CHOOSE, *[(s, SECTOR_LABELS[s]) for s in SECTORS]]),
                         validate_choice=False)
    activity_codes = StringField(_label("activity_codes"))
    activity_query = StringField(_l("Find an OKED code by number or by words"))


class ProductsForm(SectionForm):
    """Only the version: the product rows are a :class:`RowTable`."""


class InvestmentForm(SectionForm):
    investment_amount = StringField(_label("investment_amount"))
    investment_currency = SelectField(_label("investment_currency"),
                                      choices=options([CHOOSE, *[(c, CURRENCY_LABELS[c]) for c in CURRENCIES]]),
                                      validate_choice=False)
    own_funds_share = StringField(_label("own_funds_share"))


class OperationsForm(SectionForm):
    jobs_total = StringField(_label("jobs_total"))
    jobs_local = StringField(_label("jobs_local"))
    land_area_ha = StringField(_label("land_area_ha"))
    building_area_m2 = StringField(_label("building_area_m2"))
    priority_income_share = StringField(_label("priority_income_share"))
    has_branches_outside_zone = RadioField(_label("has_branches_outside_zone"), choices=options(YES_NO),
                                           validate_choice=False)
    export_share = StringField(_label("export_share"))


class TimelineForm(SectionForm):
    construction_start = StringField(_label("construction_start"), widget=DateInput())
    production_start = StringField(_label("production_start"), widget=DateInput())
    foreign_documents_apostilled = BooleanField(_label("foreign_documents_apostilled"))


SECTION_FORMS: dict[str, type[SectionForm]] = {
    "project": ProjectForm,
    "products": ProductsForm,
    "investment": InvestmentForm,
    "operations": OperationsForm,
    "timeline": TimelineForm,
}
ROW_LISTS = {"products": tuple(PRODUCT_PART_LABELS), "capital_shares": ("country", "percent")}
SECTION_ROWS = {"products": "products", "investment": "capital_shares"}
MAX_ROWS = 200


class NewApplicationForm(FlaskForm):
    side = RadioField(_label("side"), choices=options((s, SIDE_LABELS[s]) for s in SIDES), validate_choice=False)


class UploadForm(FlaskForm):
    kind = SelectField(_l("Document"), choices=options([CHOOSE, *[(k, DOCUMENT_LABELS[k]) for k in DOCUMENT_KINDS]]),
                       validate_choice=False)
    apostilled = BooleanField(_l("This document carries an apostille"))
    # the file input is read from request.files by the route: its size and content are checked there


class TransitionForm(FlaskForm):
    class Meta:
        text_rules_in_service = True  # the comment is checked by the service, for the API too

    version = HiddenField()
    comment = TextAreaField(_l("Message (optional)"))


# --- between form fields and API-shaped data --------------------------------------------------------

def _bool_of(value: Any) -> Any:
    """yes/no radio buttons: True, False, None when unanswered; anything else goes on to be refused."""
    if value in (None, ""):
        return None
    return {"yes": True, "no": False}.get(value, value)


def form_data(form: SectionForm, table: RowTable | None = None) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """What the user typed, shaped as the API takes it, plus for the row table the page position of each
    item sent (blank rows are left out, so error indexes must be mapped back to the rows on the page)."""
    data: dict[str, Any] = {}
    row_maps: dict[str, list[int]] = {}
    for name, form_field in form._fields.items():
        if name not in FIELDS or (name == "side" and not form_field.data):  # the side is never cleared
            continue
        if isinstance(form_field, RadioField) and name != "side":
            data[name] = _bool_of(form_field.data)
        elif isinstance(form_field, BooleanField):
            data[name] = bool(form_field.data)
        else:
            data[name] = form_field.data
    if table is not None:
        data[table.name], row_maps[table.name] = table.filled()
    return data, row_maps


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "normalize"):  # Decimal: no trailing zeros, no exponent
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def fill_form(form: SectionForm, application) -> None:
    """Show the application's saved values in a fresh (GET) form."""
    for name, form_field in form._fields.items():
        if name not in FIELDS:
            continue
        value = getattr(application, name)
        if isinstance(form_field, RadioField) and name != "side":
            form_field.data = {True: "yes", False: "no"}.get(value)
        elif isinstance(form_field, BooleanField):
            form_field.data = bool(value)
        elif isinstance(form_field, (SelectField, RadioField)):
            form_field.data = value
        else:
            form_field.data = _text(value)


def saved_table(section: str, application) -> RowTable | None:
    """The section's row table filled with the saved rows (plus blank ones), or None."""
    name = SECTION_ROWS.get(section)
    if name is None:
        return None
    value = getattr(application, name)
    if name == "capital_shares":
        items = [{"country": k, "percent": v} for k, v in (value or {}).items()]
    else:
        items = value or []
    return RowTable.from_values(name, ROW_LISTS[name], items)


def typed_table(section: str, formdata) -> RowTable | None:
    name = SECTION_ROWS.get(section)
    return RowTable.from_formdata(name, ROW_LISTS[name], formdata) if name else None
