"""Locale-aware formatting of the values that explanations show.

Babel ``Locale`` objects are parsed once at import time so that rendering an explanation never
creates one (rendering runs once per evaluation shown, and once per language per snapshot).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal
from babel.numbers import format_percent as _babel_format_percent

#: The UI languages every rule-set text must exist in; the first is the default.
LOCALES: tuple[str, ...] = ("ru", "en", "kk", "uz")
DEFAULT_LOCALE = "ru"

_BABEL: dict[str, Locale] = {code: Locale.parse(code) for code in LOCALES}
_HUNDRED = Decimal(100)


def normalize_locale(locale: str | None) -> str:
    """Return one of :data:`LOCALES` for ``locale`` ("kk_KZ" -> "kk"); unknown -> the default."""
    if not locale:
        return DEFAULT_LOCALE
    code = str(locale).replace("-", "_").split("_", 1)[0].lower()
    return code if code in _BABEL else DEFAULT_LOCALE


def babel_locale(locale: str) -> Locale:
    """The cached Babel locale for a UI language code."""
    return _BABEL.get(locale) or _BABEL[normalize_locale(locale)]


def format_number(value: Decimal | int, locale: str) -> str:
    """Group digits and keep the value's own decimals: ru ``300 000``, en ``299,999.99``."""
    return _babel_format_decimal(value, locale=babel_locale(locale), decimal_quantization=False)


def format_percent(value: Decimal | int, locale: str) -> str:
    """Format a percent given as 0..100: ru ``89,99 %``, en ``89.99%``."""
    return _babel_format_percent(Decimal(value) / _HUNDRED, locale=babel_locale(locale), decimal_quantization=False)


def format_date(value: date, locale: str) -> str:
    """Long date in the locale: ru ``10 марта 2026 г.``, en ``March 10, 2026``."""
    return _babel_format_date(value, format="long", locale=babel_locale(locale))
