"""The applications domain's link to the eligibility domain: the evaluation shown with an application,
the snapshot stored at submission, and the OKED catalogue the activity section searches.

Deadlines and "today" are not here: they come from ``zone.calendar`` and ``zone.review.deadlines``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zone.eligibility import oked
from zone.eligibility.services import evaluate_application
from zone.eligibility.services import take_snapshot as store_snapshot
from zone.errors import ZoneError


def current_eligibility(application, locale: str, on_date: date | None = None) -> dict | None:
    """The application's evaluation under the rules in force today (or on ``on_date``), in the API.md shape,
    or None while its facts are still incomplete or invalid (a draft) or no rule set is in force."""
    if not application.side:
        return None
    try:
        return evaluate_application(application, on_date).to_dict(locale)
    except ZoneError:
        return None


def take_snapshot(application, kind: str, on_date: date, actor) -> Decimal | None:
    """Store the eligibility snapshot (in the caller's transaction) and return the derived investment in USD."""
    row = store_snapshot(application, kind, on_date, actor)
    derived = ((row.result or {}).get("result") or {}).get("derived") or {}
    if derived.get("investment_usd") is not None:
        return Decimal(str(derived["investment_usd"]))
    return None


def is_manufacturing(code: str) -> bool:
    """OKED section C: divisions 10–33."""
    return oked.is_manufacturing(code)


def activity_name(code: str, locale: str) -> str | None:
    entry = oked.get(code)
    return entry.name(locale) if entry is not None else None


def search_activities(query: str, locale: str, limit: int = 20) -> list[dict]:
    """Catalogue entries matching ``query``: ``{"code", "name", "manufacturing", "excluded"}``."""
    if not (query or "").strip():
        return []
    return [{"code": e.code, "name": e.name(locale), "manufacturing": e.manufacturing, "excluded": e.excluded}
            for e in oked.search(query[:100], locale, limit)]
