"""Helpers for HTML forms: show a service's errors next to the fields the user filled in."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from zone.errors import ZoneError


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
