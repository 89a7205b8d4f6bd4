"""The one definition of a valid offer, need, contact request and outcome: API and forms both clean here.

Every function takes raw input (JSON values or form text), returns the cleaned values, and raises
:class:`~zone.errors.ValidationFailed` naming every field at fault with a message in the reader's language.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from zone.applications import values as v
from zone.cooperation import hs
from zone.errors import ValidationFailed
from zone.vocabulary import CURRENCIES

MAX_VOLUME = Decimal(10) ** 15
MAX_CERTIFICATES = 10
REQUIRED = _l("This field is required.")
MSG_HS = _l("Enter a 6-digit HS 2022 subheading that exists, e.g. 390410 (choose from the list).")
MSG_VOLUME = _l("Enter an amount greater than 0 and at most 10¹⁵.")
MSG_CURRENCY = _l("Choose USD, KZT or UZS.")


def whole(raw: str | None) -> int | None:
    """A whole number written in ASCII digits (at most 18 of them), as query strings and forms send ids; else
    None."""
    return int(raw) if isinstance(raw, str) and re.fullmatch(r"[0-9]{1,18}", raw) else None


def _fail(errors: v.Errors) -> None:
    if errors:
        raise ValidationFailed(_l("Some values are not valid."), fields={k: [str(m) for m in ms]
                                                                         for k, ms in errors.items()})


def hs_code(raw: Any, path: str, errors: v.Errors) -> str | None:
    if v.blank(raw):
        errors.add(path, REQUIRED)
        return None
    code = hs.subheading_of(raw) if isinstance(raw, str) else None
    if code is None:
        errors.add(path, MSG_HS)
    return code


def _required_text(raw: Any, path: str, errors: v.Errors, max_length: int, *, multiline: bool = False) -> str | None:
    if v.blank(raw):
        errors.add(path, REQUIRED)
        return None
    result = v.text(raw, path, errors, max_length, multiline=multiline)
    if result is None and path not in errors:
        errors.add(path, REQUIRED)
    return result


def volume(raw: Any, path: str, errors: v.Errors) -> Decimal | None:
    if v.blank(raw):
        errors.add(path, REQUIRED)
        return None
    return v.number(raw, path, errors, low=Decimal(0), high=MAX_VOLUME, places=3, low_inclusive=False,
                    range_message=MSG_VOLUME)


def certificates(raw: Any, path: str, errors: v.Errors) -> list[str]:
    """Certificates a supplier must hold: a list of names, or text separated by commas or semicolons."""
    if v.blank(raw):
        return []
    if isinstance(raw, str):
        raw = [part for part in re.split(r"[,;\n]+", raw) if part.strip()]
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        errors.add(path, _l("Send a list of certificate names."))
        return []
    if len(raw) > MAX_CERTIFICATES:
        errors.add(path, _l("List at most %(n)s certificates.", n=MAX_CERTIFICATES))
        return []
    names = [v.text(item, path, errors, 100) for item in raw]
    return [name for name in names if name]


def need(data: dict) -> dict:
    """A need's values: ``hs_code``, ``description``, ``annual_volume``, ``unit``, optional
    ``target_price`` with ``price_currency``, and ``certificates_required``."""
    errors = v.Errors()
    cleaned: dict[str, Any] = {
        "hs_code": hs_code(data.get("hs_code"), "hs_code", errors),
        "description": _required_text(data.get("description"), "description", errors, 500),
        "annual_volume": volume(data.get("annual_volume"), "annual_volume", errors),
        "unit": _required_text(data.get("unit"), "unit", errors, 30),
        "target_price": None, "price_currency": None,
        "certificates_required": certificates(data.get("certificates_required"), "certificates_required", errors),
    }
    if not v.blank(data.get("target_price")):
        cleaned["target_price"] = v.number(data["target_price"], "target_price", errors, low=Decimal(0),
                                           high=MAX_VOLUME, places=2, low_inclusive=False, range_message=MSG_VOLUME)
        cleaned["price_currency"] = v.choice(data.get("price_currency") or "", "price_currency", errors,
                                             CURRENCIES, MSG_CURRENCY)
    _fail(errors)
    return cleaned


def offer(data: dict) -> dict:
    """An offer's values: ``hs_code``, ``name``, ``capacity`` (a year) and ``unit``."""
    errors = v.Errors()
    cleaned = {
        "hs_code": hs_code(data.get("hs_code"), "hs_code", errors),
        "name": _required_text(data.get("name"), "name", errors, 200),
        "capacity": volume(data.get("capacity"), "capacity", errors),
        "unit": _required_text(data.get("unit"), "unit", errors, 30),
    }
    _fail(errors)
    return cleaned


def message(raw: Any, path: str = "message") -> str:
    errors = v.Errors()
    text = _required_text(raw, path, errors, 4000, multiline=True)
    _fail(errors)
    return text or ""


def outcome(data: dict, *, contract: bool) -> dict:
    """What came of a request: the meeting's date, or the contract's date, yearly volume, unit and value."""
    errors = v.Errors()
    cleaned: dict[str, Any] = {"note": None}
    if not v.blank(data.get("note")):
        cleaned["note"] = v.text(data["note"], "note", errors, 2000, multiline=True)
    if contract:
        cleaned["on"] = v.day(data.get("contract_on"), "contract_on", errors) if not v.blank(
            data.get("contract_on")) else None
        cleaned["volume"] = volume(data.get("annual_volume"), "annual_volume", errors)
        cleaned["unit"] = _required_text(data.get("unit"), "unit", errors, 30)
        cleaned["value_usd"] = None
        if not v.blank(data.get("annual_value_usd")):
            cleaned["value_usd"] = v.number(data["annual_value_usd"], "annual_value_usd", errors, low=Decimal(0),
                                            high=MAX_VOLUME, places=2, range_message=MSG_VOLUME)
    else:
        cleaned["on"] = v.day(data.get("meeting_on"), "meeting_on", errors) if not v.blank(
            data.get("meeting_on")) else None
    _fail(errors)
    return cleaned
