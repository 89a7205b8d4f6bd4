"""The applications domain's link to the eligibility and review domains.

Eligibility evaluates an application's facts and keeps snapshots: its functions are looked up here, in one
place, so the applications domain keeps working (with plain fallbacks) when it is not part of the build.
Deadlines and "today" are not here: they come from ``zone.calendar`` and ``zone.review.deadlines``.
"""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal
from typing import Any

from zone.errors import ZoneError


def _module(module_name: str):
    """The module when that domain is part of the build, else None. A module that exists but fails to
    import is a bug and raises (it must not silently skip, say, a snapshot)."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is not None and module_name.startswith(error.name):
            return None
        raise


def _optional(module_name: str, name: str):
    module = _module(module_name)
    return getattr(module, name, None) if module is not None else None


def current_eligibility(application, locale: str) -> dict | None:
    """The application's evaluation under the rules in force today (API.md shape), or None when the
    facts are still incomplete or the eligibility service is not available."""
    evaluate = _optional("zone.eligibility.services", "evaluate_application")
    if evaluate is None or not application.side:
        return None
    try:
        return evaluate(application).to_dict(locale)
    except ZoneError:
        return None


def take_snapshot(application, kind: str, on_date: date, actor) -> Decimal | None:
    """Store the eligibility snapshot (in the caller's transaction) and return the derived investment in
    USD; without the eligibility service only a USD amount can be given."""
    snapshot = _optional("zone.eligibility.services", "take_snapshot")
    if snapshot is not None:
        row = snapshot(application, kind, on_date, actor)
        derived = ((getattr(row, "result", None) or {}).get("result") or {}).get("derived") or {}
        if derived.get("investment_usd") is not None:
            return Decimal(str(derived["investment_usd"]))
    if application.investment_currency == "USD":
        return application.investment_amount
    return None


def activity_catalog() -> Any:
    """The OKED catalogue module (``search``, ``get``, ``is_manufacturing``) or None."""
    return _module("zone.eligibility.oked")


def is_manufacturing(code: str) -> bool:
    """OKED section C: divisions 10–33."""
    catalog = activity_catalog()
    if catalog is not None:
        return catalog.is_manufacturing(code)
    return code[:2].isdigit() and 10 <= int(code[:2]) <= 33


def activity_name(code: str, locale: str) -> str | None:
    catalog = activity_catalog()
    entry = catalog.get(code) if catalog is not None else None
    return entry.name(locale) if entry is not None else None


def search_activities(query: str, locale: str, limit: int = 20) -> list[dict]:
    """Catalogue entries matching ``query``: ``{"code", "name", "manufacturing", "excluded"}``."""
    catalog = activity_catalog()
    if catalog is None or not (query or "").strip():
        return []
    return [{"code": e.code, "name": e.name(locale), "manufacturing": e.manufacturing, "excluded": e.excluded}
            for e in catalog.search(query[:100], locale, limit)]
