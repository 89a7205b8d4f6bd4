"""The validity a certificate's benefits imply, and their names for display.

A certificate keeps its own copy of its benefits (names in every language, periods, legal basis; made in
:mod:`zone.certificates.grants` from a stored evaluation), so later rule-set changes never rewrite what
was certified.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from zone.certificates.periods import ONE_DAY
from zone.eligibility.registry import NoRuleSetError
from zone.eligibility.services import current_registry
from zone.errors import ValidationFailed


def _rule_set(on_date: date):
    try:
        return current_registry().for_date(on_date)  # shipped and admin-activated rule sets alike
    except NoRuleSetError:
        return None


def zone_end(side: str, on_date: date) -> date | None:
    """The zone's end date on ``side`` under the rule set in force on ``on_date``: the day it ends, as
    a period's ``until`` (None if unknown)."""
    rule_set = _rule_set(on_date)
    if rule_set is None or side not in rule_set.zone_end:
        return None
    value = rule_set.params_on(on_date).get(rule_set.zone_end[side])
    return value if isinstance(value, date) else None


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(_l("The granted benefits are not valid."), fields={field: [message]})


def validity(benefits: list[dict], start: date, side: str) -> date:
    """The last valid day: the last day of the longest stored benefit period, never on or past the
    zone's end date (which, like every ``until``, is the day the zone ends).

    Raises 422 when nothing would be valid on ``start``.
    """
    ends = [date.fromisoformat(p["until"]) for b in benefits for p in b["periods"]]
    zone_until = zone_end(side, start)
    end_of_zone = zone_until - ONE_DAY if zone_until is not None else None
    until = max(ends) if ends else end_of_zone
    if until is not None and end_of_zone is not None:
        until = min(until, end_of_zone)
    if until is None or until < start:
        raise _invalid("benefits", _l("No granted benefit runs on or after the decision date."))
    return until


def benefit_name(benefit: dict, locale: str) -> str:
    """A stored benefit's name in ``locale`` (English, then the code, when missing)."""
    names = benefit.get("name") or {}
    return names.get(locale) or names.get("en") or benefit.get("code", "")
