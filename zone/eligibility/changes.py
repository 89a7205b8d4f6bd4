"""The differences between two rule sets as the admin reads them before activation: each thing by its name in
the reader's language, parameter values with the language's dates and numbers, bands in words.

``diff.diff_rule_sets`` stays language-neutral (the API and the audit trail keep its text); this module only
renders the same differences for a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.units import format_unit

from .compiled import Bands, ParamValue, RuleSet
from .diff import Change, show_value
from .formatting import format_date, format_number, format_percent, normalize_locale
from .render import band_in_words

FROM = {"ru": "с {date}", "en": "from {date}", "kk": "{date} бастап", "uz": "{date} dan"}
NOT_VERIFIED = {"ru": "не проверено", "en": "not verified", "kk": "тексерілмеген", "uz": "tekshirilmagan"}
THEN = {"ru": "затем", "en": "then", "kk": "содан кейін", "uz": "keyin"}


@dataclass(frozen=True)
class ChangeView:
    kind: str  # parameter | criterion | benefit | text | rule_set
    id: str  # the machine name, shown small for those who compare with the source
    name: str | None  # the thing's name in the reader's language, when it has one
    change: str  # added | removed | changed
    before: str | None
    after: str | None


def _years(n: int, locale: str) -> str:
    return format_unit(n, "duration-year", length="long", locale=locale)


def _bands(value: Bands, locale: str) -> str:
    parts = []
    for band in value.bands:
        steps = []
        for years, pct in band.schedule:
            steps.append(_years(years, locale) + (f" ({format_percent(pct, locale)})" if pct is not None else ""))
        parts.append(f"{band_in_words(band, value.closed, locale)} → {f' {THEN[locale]} '.join(steps)}")
    return "; ".join(parts)


def _value(value, locale: str) -> str:
    if isinstance(value, Bands):
        return _bands(value, locale)
    if isinstance(value, Decimal):
        return format_number(value, locale)
    if isinstance(value, date):
        return format_date(value, locale)
    return show_value(value)


def _parameter(values: tuple[ParamValue, ...], locale: str) -> str:
    return "; ".join(
        FROM[locale].format(date=format_date(v.start, locale)) + f": {_value(v.value, locale)}"
        + ("" if v.verified else f" ({NOT_VERIFIED[locale]})")
        for v in values
    )


def _names(rule_set: RuleSet, locale: str) -> dict[tuple[str, str], str]:
    names = {("parameter", k): p.name[locale] for k, p in rule_set.parameters.items()}
    names |= {("criterion", c.id): c.name[locale] for c in rule_set.admission}
    names |= {("benefit", b.code): b.name[locale] for b in rule_set.benefits}
    return names


def for_people(old: RuleSet, new: RuleSet, changes: list[Change], locale: str) -> list[ChangeView]:
    """``changes`` (from ``diff_rule_sets(old, new)``) in ``locale``."""
    locale = normalize_locale(locale)
    names = _names(old, locale) | _names(new, locale)
    views = []
    for c in changes:
        before, after = c.before, c.after
        if c.kind == "parameter":
            before = _parameter(old.parameters[c.id].values, locale) if c.id in old.parameters else None
            after = _parameter(new.parameters[c.id].values, locale) if c.id in new.parameters else None
        elif c.kind == "rule_set" and c.id == "effective_from":
            before, after = (format_date(date.fromisoformat(v), locale) if v else None for v in (before, after))
        views.append(ChangeView(c.kind, c.id, names.get((c.kind, c.id)), c.change, before, after))
    return views
