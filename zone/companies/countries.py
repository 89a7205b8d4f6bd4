"""ISO 3166 alpha-2 countries with names in the user's language (from Babel's CLDR data)."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

FIRST = ("KZ", "UZ")
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"})  # regions, pseudo-codes


@lru_cache(maxsize=8)
def country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    territories = Locale.parse(locale).territories
    codes = sorted((c for c in territories if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES),
                   key=lambda c: territories[c])
    ordered = [c for c in FIRST if c in territories] + [c for c in codes if c not in FIRST]
    return tuple((c, territories[c]) for c in ordered)


def is_country(code: str | None) -> bool:
    return bool(code) and code in dict(country_choices("en"))


def country_name(code: str | None, locale: str) -> str:
    return dict(country_choices(locale)).get(code or "", code or "")
