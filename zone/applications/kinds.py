"""The kinds of application field. A kind knows everything that depends on the type of a value:

* ``clean``: read raw input (the API's JSON or the form's text) into a value for the model, or add an error;
* ``to_json``: the value as the API returns it;
* ``display``: the value as a person reads it, in their language;
* ``schema_in`` / ``schema_out``: the value's JSON schema in the OpenAPI document;
* ``form_field`` and ``form_text`` / ``from_form``: the WTForms field of the section page, the saved value
  shown in it, and what the user typed shaped as the API takes it;
* ``widget`` and ``inputmode``: how the section page shows it (an input, radio buttons, a select, a
  checkbox, or a table of rows with a template of its own under ``templates/applications/rows/``).

A field of :mod:`zone.applications.fields` is a name, labels and a kind; nothing else in zone spells out a
field's type, so a new field is one entry there (and its column, migration and translations).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, Integer, Numeric, String
from sqlalchemy import Text as TextColumn
from sqlalchemy.types import TypeEngine
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, FieldList, Form, FormField, RadioField, SelectField, StringField, TextAreaField
from wtforms.utils import unset_value
from wtforms.widgets import DateInput

from zone.applications import values as v
from zone.vocabulary import country_name, is_country, is_hs_code
from zone.web.formatting import fmt_date, fmt_money, fmt_number, fmt_percent
from zone.web.forms import options

CHOOSE = ("", _l("— choose —"))
YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]
DECIMAL_IN = {"type": ["string", "number"], "description": "A decimal number; a string keeps the precision."}
DECIMAL_OUT = {"type": "string", "description": "A decimal number as a string (no precision lost).",
               "pattern": r"^-?\d+(\.\d+)?$"}
MIN_ROWS = 5  # a table of rows shows at least this many
MAX_ROWS = 200  # rows read from one form post
HS_CODE_TEXT = ("6 to 10 digits (HS-6, or a national tariff line that keeps its HS-6 prefix); spaces and dots "
                "are ignored.")


@dataclass(frozen=True)
class Kind:
    widget = "input"  # input | radio | select | checkbox | rows
    inputmode: str | None = None

    def clean(self, raw: Any, path: str, errors: v.Errors) -> Any:
        raise NotImplementedError

    def to_json(self, value: Any) -> Any:
        return value

    def display(self, value: Any, values: Mapping[str, Any], locale: str) -> str:
        return str(value)

    def schema_in(self) -> dict:
        raise NotImplementedError

    def column_type(self) -> TypeEngine:
        """How the value is stored (the column of ``applications``; a migration follows a change)."""
        raise NotImplementedError

    def schema_out(self) -> dict:
        return self.schema_in()

    def form_field(self, label: Any):
        return StringField(label)

    def form_text(self, value: Any) -> Any:
        """The saved value as the form field shows it."""
        if value is None:
            return ""
        return v.plain_decimal(value) if isinstance(value, Decimal) else str(value)

    def from_form(self, data: Any) -> Any:
        """What the user typed in the form field, as the API takes it."""
        return data


@dataclass(frozen=True)
class Choice(Kind):
    choices: tuple[str, ...] = ()
    labels: Mapping[str, Any] = field(default_factory=dict)
    message: Any = None
    upper: bool = True
    as_radio: bool = False
    length: int | None = None  # the column's length when longer than the longest choice

    @property
    def widget(self) -> str:  # type: ignore[override]
        return "radio" if self.as_radio else "select"

    def clean(self, raw, path, errors):
        return v.choice(raw, path, errors, self.choices, self.message, upper=self.upper)

    def display(self, value, values, locale):
        return str(self.labels.get(value, value))

    def schema_in(self):
        return {"type": "string", "enum": list(self.choices)}

    def column_type(self):
        return String(self.length or max(len(c) for c in self.choices))

    def form_field(self, label):
        pairs = [(c, self.labels.get(c, c)) for c in self.choices]
        if self.as_radio:
            return RadioField(label, choices=options(pairs), validate_choice=False)
        return SelectField(label, choices=options([CHOOSE, *pairs]), validate_choice=False)


@dataclass(frozen=True)
class Text(Kind):
    max_length: int = 300
    multiline: bool = False

    def clean(self, raw, path, errors):
        return v.text(raw, path, errors, self.max_length, multiline=self.multiline)

    def schema_in(self):
        return {"type": "string", "maxLength": self.max_length}

    def column_type(self):
        return TextColumn() if self.multiline else String(self.max_length)

    def form_field(self, label):
        return TextAreaField(label) if self.multiline else StringField(label)


@dataclass(frozen=True)
class Codes(Kind):
    """OKED activity codes: a list in JSON, "22.21, 25.11" in the form."""

    inputmode: str | None = "decimal"

    def clean(self, raw, path, errors):
        return v.codes(raw, path, errors)

    def display(self, value, values, locale):
        return ", ".join(value)

    def schema_in(self):
        return {"type": "array", "items": {"type": "string", "pattern": r"^[0-9]{2}(\.[0-9]{1,2}){0,2}$"},
                "minItems": 1, "maxItems": v.MAX_CODES}

    def schema_out(self):
        return {"type": "array", "items": {"type": "string"}}

    def column_type(self):
        return JSON()

    def form_text(self, value):
        return ", ".join(value or [])


@dataclass(frozen=True)
class Amount(Kind):
    """A decimal with bounds and a number of places; shown with ``unit`` or in the currency of the field
    named by ``currency_field``."""

    inputmode: str | None = "decimal"
    low: Decimal = Decimal(0)
    high: Decimal = v.MAX_AMOUNT
    places: int = 2
    digits: int = 20  # the column's precision
    low_inclusive: bool = False
    range_message: Any = None
    unit: Any = None  # shown after the number (a lazy translation: "ha", "m²")
    percent: bool = False
    currency_field: str | None = None

    def clean(self, raw, path, errors):
        return v.number(raw, path, errors, low=self.low, high=self.high, places=self.places,
                        low_inclusive=self.low_inclusive, range_message=self.range_message)

    def to_json(self, value):
        return v.plain_decimal(value)

    def display(self, value, values, locale):
        if self.percent:
            return fmt_percent(value)
        currency = values.get(self.currency_field) if self.currency_field else None
        if currency:
            return fmt_money(value, currency)
        return f"{fmt_number(value)} {self.unit}" if self.unit else fmt_number(value)

    def schema_in(self):
        return DECIMAL_IN

    def schema_out(self):
        return DECIMAL_OUT

    def column_type(self):
        return Numeric(self.digits, self.places)


def Percent() -> Amount:  # a kind, named like the others
    return Amount(low=Decimal(0), high=Decimal(100), places=2, digits=5, low_inclusive=True,
                  range_message=v.MSG_PERCENT, percent=True)


@dataclass(frozen=True)
class Count(Kind):
    inputmode: str | None = "numeric"

    def clean(self, raw, path, errors):
        return v.integer(raw, path, errors)

    def display(self, value, values, locale):
        return fmt_number(value)

    def schema_in(self):
        return {"type": "integer", "minimum": 0, "maximum": v.MAX_JOBS}

    def column_type(self):
        return Integer()


@dataclass(frozen=True)
class YesNo(Kind):
    """Yes or no: radio buttons (an unanswered question stays unanswered) or one checkbox (a declaration)."""

    as_checkbox: bool = False

    @property
    def widget(self) -> str:  # type: ignore[override]
        return "checkbox" if self.as_checkbox else "radio"

    def clean(self, raw, path, errors):
        return v.boolean(raw, path, errors)

    def display(self, value, values, locale):
        return _("Yes") if value else _("No")

    def schema_in(self):
        return {"type": "boolean"}

    def column_type(self):
        return Boolean()

    def form_field(self, label):
        if self.as_checkbox:
            return BooleanField(label)
        return RadioField(label, choices=options(YES_NO), validate_choice=False)

    def form_text(self, value):
        if self.as_checkbox:
            return bool(value)
        return {True: "yes", False: "no"}.get(value)

    def from_form(self, data):
        if self.as_checkbox:
            return bool(data)
        if data in (None, ""):
            return None
        return {"yes": True, "no": False}.get(data, data)  # anything else goes on to be refused


@dataclass(frozen=True)
class Day(Kind):
    placeholder: str = "2026-09-01"

    def clean(self, raw, path, errors):
        return v.day(raw, path, errors)

    def to_json(self, value):
        return value.isoformat() if isinstance(value, date) else value

    def display(self, value, values, locale):
        return fmt_date(value)

    def schema_in(self):
        return {"type": "string", "format": "date"}

    def column_type(self):
        return Date()

    def form_field(self, label):
        return StringField(label, widget=DateInput())

    def form_text(self, value):
        return value.isoformat() if isinstance(value, date) else ("" if value is None else str(value))


# --- tables of rows ----------------------------------------------------------------------------------

class RowList(FieldList):
    """WTForms' FieldList that keeps every row where the user typed it.

    FieldList renumbers the rows read from a post when some are missing (``products-3`` becomes
    ``products-0`` when rows 0–2 were not sent), then pads up to ``min_entries`` with rows read from the post
    under the next numbers, which can read a row twice. Here the rows missing below the highest one sent are
    blank rows in their places, and the padding rows never read the post.
    """

    def process(self, formdata, data=unset_value, extra_filters=None):
        wanted, self.min_entries = self.min_entries, 0
        try:
            super().process(self._without_gaps(formdata) if formdata else formdata, data, extra_filters)
        finally:
            self.min_entries = wanted
        while len(self.entries) < self.min_entries:
            self.append_entry()

    def _without_gaps(self, formdata):
        prefix = f"{self.name}-"
        sent = set()
        for key in formdata:
            index = key[len(prefix):].split("-", 1)[0] if key.startswith(prefix) else ""
            if index.isascii() and index.isdigit():
                sent.add(int(index))
        top = min(max(sent, default=-1), (self.max_entries or MAX_ROWS) - 1)
        missing = [i for i in range(top + 1) if i not in sent]
        if not missing:
            return formdata
        filled = MultiDict(formdata)
        for index in missing:
            filled.add(f"{prefix}{index}-", "")
        return filled


@dataclass(frozen=True)
class Rows(Kind):
    """A list typed as a table of rows: a WTForms ``FieldList`` of ``FormField`` rows (inputs named
    ``products-3-hs_code``); ``parts`` name the columns. The page has a template per table
    (``templates/applications/rows/<name>.html``)."""

    parts: tuple[str, ...] = ()
    part_labels: Mapping[str, Any] = field(default_factory=dict)
    widget = "rows"

    def form_field(self, label):
        row = type(f"{type(self).__name__}Row", (Form,),
                   {part: StringField(self.part_labels.get(part, part)) for part in self.parts})
        return RowList(FormField(row), label=label, min_entries=MIN_ROWS, max_entries=MAX_ROWS)

    def rows_of(self, value: Any) -> list[dict]:
        """The saved value as table rows."""
        return list(value or [])

    def column_type(self):
        return JSON()

    def form_text(self, value):
        return [{part: Kind().form_text(item.get(part)) for part in self.parts} for item in self.rows_of(value)]

    def from_form(self, data):
        return data


@dataclass(frozen=True)
class Products(Rows):
    parts: tuple[str, ...] = ("name", "hs_code", "annual_volume", "unit")
    max_rows: int = 50

    def clean(self, raw, path, errors):
        if not isinstance(raw, (list, tuple)):
            errors.add(path, _l("Send a list of products."))
            return None
        if len(raw) > self.max_rows:
            errors.add(path, _l("List at most %(n)s products.", n=self.max_rows))
            return None
        rows: list[dict] = []
        for index, item in enumerate(raw):
            at = f"{path}.{index}"
            if not isinstance(item, Mapping):
                errors.add(at, _l("Each product is an object with name, hs_code, annual_volume and unit."))
                continue
            for key in sorted(set(item) - set(self.parts)):
                errors.add(f"{at}.{key}", _l("Unknown field."))
            row: dict[str, Any] = dict.fromkeys(self.parts)
            if not v.blank(item.get("name")):
                row["name"] = v.text(item["name"], f"{at}.name", errors, 200)
            if not v.blank(item.get("hs_code")):
                code = v.normalise_hs_code(item["hs_code"])
                if is_hs_code(code):
                    row["hs_code"] = code
                else:
                    errors.add(f"{at}.hs_code", _l("An HS code has 6 to 10 digits, e.g. 842482 or 8424820000."))
            if not v.blank(item.get("annual_volume")):
                volume = v.number(item["annual_volume"], f"{at}.annual_volume", errors, low=Decimal(0),
                                  high=v.MAX_AMOUNT, places=3, low_inclusive=False,
                                  range_message=_l("Enter an amount greater than 0."))
                row["annual_volume"] = None if volume is None else v.plain_decimal(volume)
            if not v.blank(item.get("unit")):
                row["unit"] = v.text(item["unit"], f"{at}.unit", errors, 30)
            rows.append({part: value for part, value in row.items() if value is not None})  # a draft row may be partial
        return rows

    def incomplete(self, value: Any) -> list[str]:
        """Paths of the parts a row still lacks (submission needs every part)."""
        return [f"{index}.{part}" for index, row in enumerate(value or []) for part in self.parts if not row.get(part)]

    def display(self, value, values, locale):
        return "; ".join(f"{p.get('name') or '—'}" for p in value)

    def schema_in(self):
        return {"type": "array", "maxItems": self.max_rows, "items": {
            "type": "object", "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "hs_code": {"type": "string", "description": HS_CODE_TEXT},
                           "annual_volume": DECIMAL_IN, "unit": {"type": "string"}}}}

    def schema_out(self):
        return {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "hs_code": {"type": "string"},
            "annual_volume": {"type": ["string", "number", "null"]}, "unit": {"type": "string"}}}}


@dataclass(frozen=True)
class Shares(Rows):
    """Percent by country adding up to 100: ``{"KZ": 60}`` in JSON, rows of country and percent in the form."""

    parts: tuple[str, ...] = ("country", "percent")
    max_rows: int = 20

    def clean(self, raw, path, errors):
        if isinstance(raw, Mapping):
            items = [(f"{path}.{key}", f"{path}.{key}", key, value) for key, value in raw.items()]
        elif isinstance(raw, (list, tuple)):
            items = []
            for index, row in enumerate(raw):
                if not isinstance(row, Mapping):
                    errors.add(path, _l("Send an object mapping country codes to percentages, e.g. {\"KZ\": 60}."))
                    return None
                items.append((f"{path}.{index}.country", f"{path}.{index}.percent", row.get("country"),
                              row.get("percent")))
        else:
            errors.add(path, _l("Send an object mapping country codes to percentages, e.g. {\"KZ\": 60}."))
            return None
        if len(items) > self.max_rows:
            errors.add(path, _l("List at most %(n)s countries.", n=self.max_rows))
            return None
        result: dict[str, str] = {}
        before = len(errors)
        for country_path, percent_path, country, share in items:
            code = country.strip().upper() if isinstance(country, str) else country
            if not is_country(code):
                errors.add(country_path, _l("Choose a country (ISO code of two letters, e.g. KZ)."))
                continue
            if code in result:
                errors.add(country_path, _l("This country is listed twice."))
                continue
            if v.blank(share):
                errors.add(percent_path, _l("Enter the percentage for this country."))
                continue
            value = v.number(share, percent_path, errors, low=Decimal(0), high=Decimal(100), places=2,
                             low_inclusive=False,
                             range_message=_l("Enter a percentage greater than 0 and at most 100."))
            if value is not None:
                result[code] = v.plain_decimal(value)
        if len(errors) == before and result:
            total = sum(Decimal(x) for x in result.values())
            if total != 100:
                errors.add(path, _l("The shares add up to %(total)s %%; they must add up to 100 %%.",
                                    total=v.plain_decimal(total)))
                return None
        return result or None

    def display(self, value, values, locale):
        return ", ".join(f"{country_name(k, locale)} — {fmt_percent(x)}" for k, x in value.items())

    def rows_of(self, value):
        return [{"country": k, "percent": x} for k, x in (value or {}).items()]

    def schema_in(self):
        return {"type": "object", "additionalProperties": DECIMAL_IN, "propertyNames": {"pattern": "^[A-Z]{2}$"}}

    def schema_out(self):
        return {"type": "object", "additionalProperties": {"type": "string"}}
