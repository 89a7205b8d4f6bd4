"""Helpers every API endpoint uses: strict JSON bodies, field checks, cursors and serialisers."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zone.accounts.roles import READER_ROLES
from zone.errors import ValidationFailed, ZoneError
from zone.web.security import removed_nul_paths
from zone.web.text import MULTI_LINE_FIELDS, body_problems, normalise_body

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
# Nothing the API takes is nested more than a few levels (a benefit's periods are four); the limit stops
# a body of thousands of brackets before any code walks it recursively.
MAX_JSON_DEPTH = 32
INT64_MAX = 2**63 - 1  # what a database integer holds; larger numbers would overflow in a query
MAX_CURSOR_TEXT = 500


class MalformedJSON(ValueError):
    """A body that is not JSON as RFC 8259 defines it, or one no operation can use; ``reason`` says why."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def _refuse_constant(name: str):
    raise MalformedJSON(_l("NaN and Infinity are not numbers in JSON."))


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise MalformedJSON(_l("A number is too large."))
    return value


def _int64(text: str) -> int:
    value = int(text)  # more than 4300 digits raise ValueError already
    if not -INT64_MAX - 1 <= value <= INT64_MAX:
        raise MalformedJSON(_l("A whole number is too large (at most 19 digits)."))
    return value


def _check_shape(value: Any) -> None:
    """Refuse more than MAX_JSON_DEPTH levels of lists and objects, and text that is not Unicode (a lone
    surrogate escape such as ``\\ud800`` cannot be stored or sent back). Walked without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _unicode(item)
            continue
        if isinstance(item, dict):
            for key in item:
                _unicode(key)
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            raise MalformedJSON(_l("The JSON is nested too deeply (at most %(n)s levels).", n=MAX_JSON_DEPTH))
        stack.extend((child, depth + 1) for child in children)


def _unicode(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedJSON(_l("The JSON contains text that is not valid Unicode.")) from None


def strict_loads(text: str | bytes) -> Any:
    """Parse JSON strictly: no NaN or Infinity, no number that overflows a double or a 64-bit integer, at
    most MAX_JSON_DEPTH levels, only valid Unicode text. Raises :class:`MalformedJSON` (a ValueError)."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float, parse_int=_int64)
    except RecursionError:
        raise MalformedJSON(_l("The JSON is nested too deeply (at most %(n)s levels).", n=MAX_JSON_DEPTH)) from None
    _check_shape(value)
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """The app's JSON: every body any view, form or hook reads goes through :func:`strict_loads`."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return strict_loads(s)


def _malformed_reason() -> str:
    """Why the request's body is not usable JSON, for the error message."""
    try:
        strict_loads(request.get_data(cache=True))
    except MalformedJSON as error:
        return str(error.reason)
    except ValueError:
        pass
    return ""

_TYPE_NAMES = {str: _l("a string"), int: _l("a whole number"), bool: _l("true or false"), dict: _l("an object"),
               list: _l("a list")}


@dataclass(frozen=True)
class ListOf:
    """A field that is a list whose items are each one of ``kinds`` (``single``: or one such item alone),
    named ``label`` in error messages."""

    kinds: tuple[type, ...]
    label: Any = None
    single: bool = False

    def __init__(self, *kinds: type, label: Any = None, single: bool = False):
        object.__setattr__(self, "kinds", kinds)
        object.__setattr__(self, "label", label or _l("a list of strings"))
        object.__setattr__(self, "single", single)

    def matches(self, value: Any) -> bool:
        if self.single and any(_is(value, kind) for kind in self.kinds):
            return True
        return isinstance(value, list) and all(any(_is(item, kind) for kind in self.kinds) for item in value)


def _is(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _matches(value: Any, kind: type | ListOf) -> bool:
    return kind.matches(value) if isinstance(kind, ListOf) else _is(value, kind)


def _kind_name(kind: type | ListOf) -> str:
    return str(kind.label if isinstance(kind, ListOf) else _TYPE_NAMES.get(kind, kind.__name__))


def json_body(allowed: set[str] | None = None, types: dict[str, type | ListOf] | None = None, *,
              multiline: Collection[str] = MULTI_LINE_FIELDS) -> dict:
    """The request's JSON object; 400 if it is not JSON or not an object; 422 for unknown fields, for
    every field (given and not null) whose JSON type is not the one ``types`` names (a list where text is
    expected never reaches a service), and for every string that breaks the text rules of
    :mod:`zone.web.text` (one line, unless its name is in ``multiline``; no control characters).
    Multi-line strings come back with ``\n`` line breaks."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        message = _("Send a JSON object with Content-Type: application/json.")
        reason = _malformed_reason() if request.is_json else ""
        raise ZoneError(f"{message} {reason}".strip(), code="malformed_json")
    if allowed is not None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ValidationFailed(_("Unknown fields."), fields={k: [_("Unknown field.")] for k in unknown})
    wrong = {name: [_("Must be %(kind)s.", kind=_kind_name(kind))] for name, kind in (types or {}).items()
             if data.get(name) is not None and not _matches(data[name], kind)}
    if wrong:
        raise ValidationFailed(_("Some values are missing or of the wrong type."), fields=wrong)
    problems = body_problems(data, multiline=multiline, removed=removed_nul_paths())
    if problems:
        raise ValidationFailed(_("Some values are not valid."), fields=problems)
    return normalise_body(data, multiline=multiline)


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
        values = strict_loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeError):
        values = None
    if not isinstance(values, list) or len(values) != size or not all(map(_cursor_value, values)):
        raise ZoneError(_("The cursor is not valid; start again from the first page."), code="bad_cursor")
    return values


def _cursor_value(value: Any) -> bool:
    """What a keyset cursor holds: ids (64-bit, never a boolean), short text, or null."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -INT64_MAX - 1 <= value <= INT64_MAX
    if isinstance(value, str):
        return len(value) <= MAX_CURSOR_TEXT
    return value is None


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


def init_app(app: Flask) -> None:
    """Read every JSON body strictly (see :func:`strict_loads`)."""
    app.json = StrictJSONProvider(app)
