"""The shared vocabulary: the two sides, currencies, sectors, and the format of country, OKED and HS codes.

One definition, used by every domain (applications, eligibility facts, reports, registers, the API
schema), so that a value one part of zone accepts is never refused by another. Codes are checked with
ASCII digits and letters only: ``\\d`` would also take Arabic-Indic or full-width digits.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale
from flask_babel import lazy_gettext as _l

SIDES = ("KZ", "UZ")
SIDE_LABELS = {
    "KZ": _l("Kazakh part (SEZ “Turan”, Turkestan region)"),
    "UZ": _l("Uzbek part (free economic zone, Syrdarya region)"),
}
SIDE_SHORT_LABELS = {"KZ": _l("Kazakhstan (KZ)"), "UZ": _l("Uzbekistan (UZ)")}  # where a list has little room

CURRENCIES = ("USD", "KZT", "UZS")
CURRENCY_LABELS = {"USD": _l("US dollars (USD)"), "KZT": _l("Kazakh tenge (KZT)"), "UZS": _l("Uzbek sums (UZS)")}

SECTORS = (
    "machinery", "metalworking", "automotive", "agricultural_machinery", "electrical", "pharmaceuticals",
    "chemicals", "plastics", "construction_materials", "textiles_leather", "food_processing",
    "other_manufacturing",
)
SECTOR_LABELS = {
    "machinery": _l("Machine building"),
    "metalworking": _l("Metalworking"),
    "automotive": _l("Automotive industry"),
    "agricultural_machinery": _l("Agricultural machinery"),
    "electrical": _l("Electrical engineering"),
    "pharmaceuticals": _l("Pharmaceuticals"),
    "chemicals": _l("Chemicals"),
    "plastics": _l("Plastics and PVC products"),
    "construction_materials": _l("Construction materials"),
    "textiles_leather": _l("Textiles and leather"),
    "food_processing": _l("Food processing (cotton, rice, grain, oilseeds)"),
    "other_manufacturing": _l("Other manufacturing"),
}

OKED_CODE = re.compile(r"^[0-9]{2}(\.[0-9]{1,2}){0,2}\Z")  # 25, 25.1, 25.11, 25.11.1 (the format, not the catalogue)
HS_CODE = re.compile(r"^[0-9]{6,10}\Z")  # HS-6 and the national tariff lines that keep it (API.md)
COUNTRY_CODE = re.compile(r"^[A-Z]{2}\Z")

# CLDR territories with two letters that are not countries: regions and private-use or pseudo codes
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"})
FIRST_COUNTRIES = SIDES  # listed first wherever a country is chosen


def is_oked_code(code: object) -> bool:
    return isinstance(code, str) and bool(OKED_CODE.match(code))


def is_hs_code(code: object) -> bool:
    return isinstance(code, str) and bool(HS_CODE.match(code))


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166 alpha-2 codes of countries (as CLDR knows them), without regions and pseudo-codes."""
    territories = Locale.parse("en").territories
    return frozenset(code for code in territories if COUNTRY_CODE.match(code)) - NOT_COUNTRIES


def is_country(code: object) -> bool:
    return isinstance(code, str) and code in country_codes()


@lru_cache(maxsize=8)
def country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    """(code, name in ``locale``) for every country, the two sides first, the rest by name."""
    territories = Locale.parse(locale).territories
    codes = sorted((c for c in country_codes() if c in territories), key=lambda c: territories[c])
    ordered = [c for c in FIRST_COUNTRIES if c in territories] + [c for c in codes if c not in FIRST_COUNTRIES]
    return tuple((c, territories[c]) for c in ordered)


def country_name(code: str | None, locale: str) -> str:
    return dict(country_choices(locale)).get(code or "", code or "")
