"""The section forms of the application, made from the field schema (:mod:`zone.applications.fields`): one
WTForms field per entry, of the type its kind asks for. They only carry what the user typed: every rule about
a valid value is in the schema, shared with the API."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, HiddenField, SelectField, StringField, TextAreaField

from zone.applications.fields import DOCUMENT_KINDS, DOCUMENT_LABELS, FIELDS, SECTIONS
from zone.applications.kinds import CHOOSE
from zone.web.forms import options

MORE_ROWS = 5  # blank rows added by "Add more rows"


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

def row_lists(form: SectionForm) -> list[FieldList]:
    """The form's tables of rows (products, capital shares): WTForms FieldLists of FormFields."""
    return [f for f in form if isinstance(f, FieldList)]


def filled_rows(rows: FieldList) -> tuple[list[dict[str, Any]], list[int]]:
    """The rows with anything typed in them (blank rows are ignored), and the position of each in the table
    (error paths of the API number the rows sent, so they are mapped back to the rows on the page)."""
    kept = [(position, entry.form.data) for position, entry in enumerate(rows.entries)
            if any(isinstance(v, str) and v.strip() for v in entry.form.data.values())]
    return [data for _p, data in kept], [p for p, _data in kept]


def form_data(form: SectionForm) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """What the user typed, shaped as the API takes it, plus for each table of rows the page position of
    each row sent."""
    data: dict[str, Any] = {}
    positions: dict[str, list[int]] = {}
    for name, form_field in form._fields.items():
        if name not in FIELDS or (FIELDS[name].fixed_after_draft and not form_field.data):  # never cleared
            continue
        if isinstance(form_field, FieldList):
            data[name], positions[name] = filled_rows(form_field)
        else:
            data[name] = FIELDS[name].kind.from_form(form_field.data)
    return data, positions


def fill_form(form: SectionForm, application) -> None:
    """Show the application's saved values in a fresh (GET) form; a table gets two blank rows to spare."""
    form.process(data={name: FIELDS[name].kind.form_text(getattr(application, name))
                       for name in form._fields if name in FIELDS})
    for rows in row_lists(form):
        add_rows(rows, len(rows.object_data or []) + 2 - len(rows.entries))


def add_rows(rows: FieldList, count: int = MORE_ROWS) -> None:
    for _ in range(max(count, 0)):
        rows.append_entry()
