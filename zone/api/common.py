"""Helpers every API endpoint uses: strict JSON bodies, field checks, cursors and serialisers."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zone.accounts.roles import READER_ROLES
from zone.errors import ValidationFailed, ZoneError

MAX_LIMIT = 200
DEFAULT_LIMIT = 50

_TYPE_NAMES = {str: _l("a string"), int: _l("a whole number"), bool: _l("true or false"), dict: _l("an object"),
               list: _l("a list")}


def json_body(allowed: set[str] | None = None) -> dict:
    """The request's JSON object; 400 if it is not JSON or not an object; 422 for unknown fields."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ZoneError(_("Send a JSON object with Content-Type: application/json."), code="malformed_json")
    if allowed is not None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ValidationFailed(_("Unknown fields."), fields={k: [_("Unknown field.")] for k in unknown})
    return data


def require_fields(data: dict, spec: dict[str, type], prefix: str = "") -> None:
    """422 naming every missing field and every field of the wrong JSON type."""
    fields: dict[str, list[str]] = {}
    for name, kind in spec.items():
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            fields[prefix + name] = [_("This field is required.")]
        elif not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            fields[prefix + name] = [_("Must be %(kind)s.", kind=str(_TYPE_NAMES.get(kind, kind.__name__)))]
    if fields:
        raise ValidationFailed(_("Some values are missing or of the wrong type."), fields=fields)


def iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def decimal_json(value: Decimal | None) -> str | None:
    """Money and percentages travel as strings, so no precision is lost in a float."""
    return None if value is None else format(value.normalize() if value == value.to_integral() else value, "f")


def page_limit() -> int:
    raw = request.args.get("limit", str(DEFAULT_LIMIT))
    try:
        limit = int(raw)
    except ValueError:
        raise ValidationFailed(_("Some values are not valid."),
                               fields={"limit": [_("Must be a whole number from 1 to %(n)s.", n=MAX_LIMIT)]}) from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(_("Some values are not valid."),
                               fields={"limit": [_("Must be a whole number from 1 to %(n)s.", n=MAX_LIMIT)]})
    return limit


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, size: int) -> list[Any] | None:
    """The keyset values of an opaque cursor, or None for the first page; 400 if it was tampered with."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise ZoneError(_("The cursor is not valid; start again from the first page."), code="bad_cursor")
    return values


def actor_name(actor, viewer) -> str | None:
    """Who did something, as ``viewer`` may read it (None for the system). The one rule for every page and
    API answer: staff and auditors see people's names; a company sees its own people by name and the
    zone's staff only as "ICIC administration"."""
    if actor is None:
        return None
    if getattr(actor, "company_id", None) is not None or getattr(viewer, "role", None) in READER_ROLES:
        return actor.display_name
    return _("ICIC administration")


def user_json(user) -> dict:
    return {"id": user.id, "email": user.email, "role": user.role, "full_name": user.full_name,
            "company_id": user.company_id}


def company_json(company) -> dict:
    return {
        "id": company.id, "name": company.name, "name_en": company.name_en, "legal_form": company.legal_form,
        "registration_country": company.registration_country, "tax_id": company.tax_id,
        "is_legal_entity": company.is_legal_entity, "address": company.address,
    }
