"""Reading the register's filters from query arguments, for the pages and the API alike."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from zone.registers.queries import MAX_SELECTED, SEARCH_MAX, STATUSES, RegisterFilter
from zone.vocabulary import SIDES

ARGUMENTS = ("status", "side", "sector", "issued_from", "issued_to", "company", "as_of")


def sectors() -> tuple[str, ...]:
    from zone.vocabulary import SECTORS

    return tuple(SECTORS)


def filter_from_args(args) -> tuple[RegisterFilter, dict[str, list]]:
    """The filter the arguments describe, and the messages for every argument that is not valid
    (an invalid argument is left out of the filter)."""
    errors: dict[str, list] = {}
    values: dict = {}
    status = (args.get("status") or "").strip()
    if status:
        if status in STATUSES:
            values["status"] = status
        else:
            errors["status"] = [_l("Choose a status from the list.")]
    side = (args.get("side") or "").strip().upper()
    if side:
        if side in SIDES:
            values["side"] = side
        else:
            errors["side"] = [_l("Choose KZ or UZ.")]
    sector = (args.get("sector") or "").strip()
    if sector:
        if sector in sectors():
            values["sector"] = sector
        else:
            errors["sector"] = [_l("Choose a sector from the list.")]
    for name in ("issued_from", "issued_to", "as_of"):
        raw = (args.get(name) or "").strip()
        if raw:
            try:
                values[name] = date.fromisoformat(raw)
            except ValueError:
                errors[name] = [_l("Enter a date like 2026-03-01.")]
    if values.get("issued_from") and values.get("issued_to") and values["issued_from"] > values["issued_to"]:
        errors["issued_to"] = [_l("The end of the period is before its start.")]
        values.pop("issued_to")
    company = (args.get("company") or args.get("q") or "").strip()
    if company:
        if len(company) > SEARCH_MAX:
            errors["company"] = [_l("Use at most %(n)s characters.", n=SEARCH_MAX)]
        else:
            values["company"] = company
    serials = [s.strip().upper() for s in args.getlist("serial") if s and s.strip()] if hasattr(args, "getlist") else []
    if len(serials) > MAX_SELECTED:
        errors["serial"] = [_l("Select at most %(n)s certificates at a time.", n=MAX_SELECTED)]
    elif serials:
        values["serials"] = tuple(dict.fromkeys(s[:24] for s in serials))
    return RegisterFilter(**values), errors


def filter_args(f: RegisterFilter) -> dict[str, str]:
    """The filter as query arguments (without the selection), for links that keep it."""
    out = {}
    for name in ARGUMENTS:
        value = getattr(f, name)
        if value:
            out[name] = value.isoformat() if isinstance(value, date) else str(value)
    return out
