"""The benefits a certificate carries: cleaned from the decision, named from the rule set, and the
validity they imply.

A certificate keeps its own copy (names in every language, periods, legal basis), so later rule-set
changes never rewrite what was certified.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l

from zone.certificates import wording
from zone.certificates.periods import ONE_DAY, to_stored
from zone.eligibility.registry import NoRuleSetError
from zone.eligibility.services import current_registry
from zone.errors import ValidationFailed

LOCALES = ("ru", "en", "kk", "uz")


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


def _day(value: Any, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise _invalid(field, _l("Enter a date as YYYY-MM-DD.")) from None


def _pct(value: Any, field: str) -> int | float | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _invalid(field, _l("Enter a percentage from 0 to 100.")) from None
    if not 0 <= number <= 100:
        raise _invalid(field, _l("Enter a percentage from 0 to 100."))
    return int(number) if number == number.to_integral_value() else float(number)


def _names(code: str, given: Any, rule_set) -> dict[str, str]:
    if isinstance(given, dict) and given:
        return {locale: str(given.get(locale) or given.get("en") or code) for locale in LOCALES}
    for benefit in rule_set.benefits if rule_set is not None else ():
        if benefit.code == code:
            return {locale: benefit.name.get(locale) or benefit.name.get("en", code) for locale in LOCALES}
    defaults = wording.benefit_wording(code)
    names = {"ru": defaults["title_ru"], "en": defaults["title_en"]}
    return {locale: names.get(locale, names["en"]) for locale in LOCALES}


def clean_benefits(granted: Any, on_date: date) -> list[dict]:
    """The certificate's benefits from a decision's ``granted_benefits`` (the eligibility result's
    ``benefits``: ``{"code", "periods": [{"from", "until", "reduction_pct"}], ...}``, half-open), with
    each period stored by its last day (see :mod:`zone.certificates.periods`).

    Benefits marked ``"eligible": false`` are left out. Raises 422 for a malformed list.
    """
    if not isinstance(granted, list | tuple):
        raise _invalid("benefits", _l("Must be a list."))
    rule_set = _rule_set(on_date)
    cleaned = []
    for i, item in enumerate(granted):
        if not isinstance(item, dict) or not str(item.get("code") or "").strip():
            raise _invalid(f"benefits.{i}.code", _l("This field is required."))
        if item.get("eligible") is False:
            continue
        code = str(item["code"]).strip()[:40]
        periods = []
        for j, period in enumerate(item.get("periods") or ()):
            field = f"benefits.{i}.periods.{j}"
            if not isinstance(period, dict):
                raise _invalid(field, _l("Must be an object."))
            start = _day(period.get("from", period.get("start")), field + ".from")
            until = _day(period.get("until"), field + ".until")
            if until <= start:  # half-open: [start, until) must hold a day
                raise _invalid(field + ".until", _l("The end must not be before the start."))
            periods.append(
                to_stored(
                    {
                        "from": start.isoformat(),
                        "until": until.isoformat(),
                        "reduction_pct": _pct(period.get("reduction_pct"), field + ".reduction_pct"),
                    }
                )
            )
        basis = wording.benefit_wording(code)
        cleaned.append(
            {
                "code": code,
                "name": _names(code, item.get("name") if isinstance(item.get("name"), dict) else None, rule_set),
                "reference": str(item.get("reference") or ""),
                "legal_basis": {"ru": basis["legal_basis_ru"], "en": basis["legal_basis_en"]},
                "periods": periods,
            }
        )
    return cleaned


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
