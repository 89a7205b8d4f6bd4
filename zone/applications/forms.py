"""The section forms of the application, made from the field schema (:mod:`zone.applications.fields`): one
WTForms field per entry, of the type its kind asks for. They only carry what the user typed: every rule about
a valid value is in the schema, shared with the API."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from zone.applications.fields import DOCUMENT_KINDS, DOCUMENT_LABELS, FIELDS, SECTIONS
from zone.applications.kinds import CHOOSE, Kind, Rows
from zone.web.forms import options

MIN_ROWS = 5
MORE_ROWS = 5


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
        rows = [{part: Kind().form_text(item.get(part)) for part in parts} for item in values]
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


def _section_form(key: str) -> type[SectionForm]:
    """The section's form, one WTForms field per schema entry (tables of rows are read by RowTable)."""
    attributes: dict[str, Any] = {}
    for f in SECTIONS[key].fields:
        form_field = f.kind.form_field(f.label)
        if form_field is not None:
            attributes[f.name] = form_field
    if key == "project":  # the OKED search box beside the codes (it is not an application field)
        attributes["activity_query"] = StringField(_l("Find an OKED code by number or by words"))
    return type(f"{key.title()}Form", (SectionForm,), attributes)


SECTION_FORMS: dict[str, type[SectionForm]] = {key: _section_form(key) for key in SECTIONS}
ROW_LISTS = {f.name: f.kind.parts for f in FIELDS.values() if isinstance(f.kind, Rows)}
SECTION_ROWS = {f.section: f.name for f in FIELDS.values() if isinstance(f.kind, Rows)}
MAX_ROWS = 200


class NewApplicationForm(FlaskForm):
    side = FIELDS["side"].kind.form_field(FIELDS["side"].label)


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

def form_data(form: SectionForm, table: RowTable | None = None) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """What the user typed, shaped as the API takes it, plus for the row table the page position of each
    item sent (blank rows are left out, so error indexes must be mapped back to the rows on the page)."""
    data: dict[str, Any] = {}
    row_maps: dict[str, list[int]] = {}
    for name, form_field in form._fields.items():
        if name not in FIELDS or (FIELDS[name].fixed_after_draft and not form_field.data):  # never cleared
            continue
        data[name] = FIELDS[name].kind.from_form(form_field.data)
    if table is not None:
        data[table.name], row_maps[table.name] = table.filled()
    return data, row_maps


def fill_form(form: SectionForm, application) -> None:
    """Show the application's saved values in a fresh (GET) form."""
    form.process(data={name: FIELDS[name].kind.form_text(getattr(application, name))
                       for name in form._fields if name in FIELDS})


def saved_table(section: str, application) -> RowTable | None:
    """The section's row table filled with the saved rows (plus blank ones), or None."""
    name = SECTION_ROWS.get(section)
    if name is None:
        return None
    return RowTable.from_values(name, ROW_LISTS[name], FIELDS[name].kind.rows_of(getattr(application, name)))


def typed_table(section: str, formdata) -> RowTable | None:
    name = SECTION_ROWS.get(section)
    return RowTable.from_formdata(name, ROW_LISTS[name], formdata) if name else None
