"""Helpers for HTML forms: show a service's errors next to the fields the user filled in, read only the
input a field can take, and hold every text field to the rules of :mod:`zone.web.text`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from zone.errors import ZoneError

REQUIRED = _l("This field is required.")  # the message of every required field


def strip(value):
    """A WTForms filter: text without the spaces around it (what people paste carries them)."""
    return value.strip() if isinstance(value, str) else value


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """A choice field's options from ``(value, label)`` pairs (WTForms' own type, not bare tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def apply_service_errors(form: FlaskForm, error: ZoneError, mapping: dict[str, str] | None = None) -> None:
    """Attach ``error.fields`` to the form's fields (renaming API field names via ``mapping``); anything
    that fits no field is flashed. The submitted values stay in the form, so nothing typed is lost."""
    mapping = mapping or {}
    unplaced = []
    for name, messages in (error.fields or {}).items():
        field = form._fields.get(mapping.get(name, name))
        if field is None:
            unplaced.extend(messages)
            continue
        field.errors = list(field.errors or []) + [str(m) for m in messages]
    if not error.fields or unplaced:
        flash(" ".join(str(m) for m in (unplaced or [error.message])), "error")


def _file_field_names(form) -> set[str]:
    from flask_wtf.file import FileField as FlaskFileField
    from wtforms import FileField, MultipleFileField

    return {field.name for field in form if isinstance(field, (FileField, FlaskFileField, MultipleFileField))}


def _wrap_formdata(meta, form, formdata):
    """What a form sees of the request: text fields get text only, file fields get files only.

    Flask-WTF hands every field the uploaded files too, so a file posted under a text field's name
    reached its validators as an object and failed with a server error; a JSON body that is not an
    object did the same. Here a hostile post is merely an invalid one.
    """
    from flask import request
    from flask_wtf.form import _Auto, _is_submitted
    from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict, MultiDict

    if formdata is not _Auto:
        return formdata
    if not _is_submitted():
        return None
    if request.files:
        wanted = _file_field_names(form)
        files = MultiDict((key, value) for key, value in request.files.items(multi=True) if key in wanted)
        return CombinedMultiDict((files, request.form)) if files else request.form
    if request.form:
        return request.form
    if request.is_json:
        body = request.get_json(silent=True)
        if isinstance(body, dict):
            return ImmutableMultiDict((k, v) for k, v in body.items() if isinstance(v, str))
        return ImmutableMultiDict()
    return None


def install_safe_formdata() -> None:
    """Route every Flask-WTF form's input through ``_wrap_formdata`` (see there for why)."""
    from flask_wtf import FlaskForm

    FlaskForm.Meta.wrap_formdata = _wrap_formdata


class SingleLineText:
    """A WTForms validator: the field takes one line, with no control character (see :mod:`zone.web.text`)."""

    multiline = False

    def __call__(self, form, field) -> None:
        from wtforms.validators import ValidationError

        from zone.web.security import nul_removed
        from zone.web.text import MULTI_LINE_MESSAGE, SINGLE_LINE_MESSAGE, text_problem

        if problem := text_problem(field.data, multiline=self.multiline):
            raise ValidationError(problem)
        if nul_removed(field.name):  # the request filter took NULs out of what was typed: still refused
            raise ValidationError(MULTI_LINE_MESSAGE if self.multiline else SINGLE_LINE_MESSAGE)


class MultiLineText(SingleLineText):
    """A WTForms validator: line feeds and tabs are fine, other control characters are not."""

    multiline = True


def _newlines(value):
    from zone.web.text import normalise_newlines

    return normalise_newlines(value) if isinstance(value, str) else value


def _bind_field(meta, form, unbound_field, options):
    """Bind a field, adding the text rule to every text field: one line for text inputs (names, titles,
    emails, codes, hidden values), line feeds and tabs allowed in text areas. Passwords are never shown
    or sent anywhere, so any character is theirs. A form whose every value goes through a service that
    applies the same rules (see ``Meta.text_rules_in_service``) is left to that service."""
    from wtforms import PasswordField, StringField, TextAreaField

    field = unbound_field.bind(form=form, **options)
    if getattr(meta, "text_rules_in_service", False) or not isinstance(field, StringField):
        return field
    if isinstance(field, PasswordField):
        return field
    if isinstance(field, TextAreaField):
        field.filters = (_newlines, *field.filters)
        field.validators = [MultiLineText(), *field.validators]
    else:
        field.validators = [SingleLineText(), *field.validators]  # first: Optional() would skip "\r\n"
    return field


def install_text_rules() -> None:
    """Hold every text field of every Flask-WTF form to :mod:`zone.web.text` (see ``_bind_field``)."""
    from flask_wtf import FlaskForm

    FlaskForm.Meta.bind_field = _bind_field
