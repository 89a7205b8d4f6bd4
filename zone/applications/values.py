"""Reading one value as people and programs type it: numbers (``1 500 000``, ``12,5``), whole numbers,
dates (``2026-09-01`` or ``01.09.2026``), text (the rules of :mod:`zone.web.text`), choices and OKED
code lists. Each reader adds a message to ``errors`` under the value's path and returns None when the value
is not valid. The field kinds of :mod:`zone.applications.kinds` are built from these, and the reports'
figures use the same number readers.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l

from zone.vocabulary import is_oked_code
from zone.web.text import normalise_newlines, text_problem

MAX_AMOUNT = Decimal(10) ** 15
MAX_JOBS = 1_000_000
MAX_CODES = 20
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MSG_NUMBER = _l("Enter a number, for example 1 500 000 or 12.5.")
MSG_WHOLE = _l("Enter a whole number, for example 120.")
MSG_PERCENT = _l("Enter a percentage from 0 to 100.")
MSG_BOOL = _l("Answer yes or no.")
MSG_DATE = _l("Enter a date as YYYY-MM-DD or DD.MM.YYYY, for example 2026-09-01.")
MSG_DATE_RANGE = _l("Enter a date between 2000 and 2100.")
MSG_TEXT = _l("Enter text.")


def _max_length(n: int):
    return _l("Use at most %(n)s characters.", n=n)


class Errors(dict):
    def add(self, path: str, message: Any) -> None:
        messages = self.setdefault(path, [])
        if message not in messages:
            messages.append(message)


def blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def clean_text(raw: Any) -> str:
    """Text as typed, without control characters (NUL and friends) and surrounding blanks."""
    text = unicodedata.normalize("NFC", str(raw))
    return _CONTROL.sub("", text).strip()


def parse_decimal(raw: Any) -> Decimal | None:
    """A number from JSON or from a person: ``1 500 000``, ``12,5``, ``1,000,000.50``; None if not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, Decimal)):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    if not isinstance(raw, str):
        return None
    text = re.sub(r"[\s\u00a0\u202f'’_]", "", raw)
    if "," in text and "." in text:
        text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1:
        text = text.replace(",", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def number(raw: Any, path: str, errors: Errors, *, low: Decimal, high: Decimal, places: int,
            low_inclusive: bool = True, range_message: Any = None) -> Decimal | None:
    value = parse_decimal(raw)
    if value is None:
        errors.add(path, MSG_NUMBER)
        return None
    too_low = value < low if low_inclusive else value <= low
    if too_low or value > high:
        errors.add(path, range_message)
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places and value != value.quantize(Decimal(1).scaleb(-places)):
        errors.add(path, _l("Use at most %(n)s digits after the decimal point.", n=places))
        return None
    return value.quantize(Decimal(1).scaleb(-places))


def integer(raw: Any, path: str, errors: Errors) -> int | None:
    if isinstance(raw, bool):
        errors.add(path, MSG_WHOLE)
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = re.sub(r"[\s\u00a0\u202f]", "", raw) if isinstance(raw, str) else None
        if text is None or not re.fullmatch(r"[+-]?\d{1,9}", text):
            errors.add(path, MSG_WHOLE)
            return None
        value = int(text)
    if not 0 <= value <= MAX_JOBS:
        errors.add(path, _l("Enter a whole number from 0 to %(n)s.", n=f"{MAX_JOBS:,}".replace(",", " ")))
        return None
    return value


def parse_date(raw: Any) -> date | None:
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    match = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text)
    try:
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


def day(raw: Any, path: str, errors: Errors) -> date | None:
    value = parse_date(raw)
    if value is None:
        errors.add(path, MSG_DATE)
        return None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        errors.add(path, MSG_DATE_RANGE)
        return None
    return value


def text(raw: Any, path: str, errors: Errors, max_length: int, *, multiline: bool = False) -> str | None:
    if not isinstance(raw, (str, int, Decimal)) or isinstance(raw, bool):
        errors.add(path, MSG_TEXT)
        return None
    if problem := text_problem(str(raw), multiline=multiline):  # refused, never silently changed
        errors.add(path, problem)
        return None
    text = unicodedata.normalize("NFC", normalise_newlines(str(raw))).strip()
    if len(text) > max_length:
        errors.add(path, _max_length(max_length))
        return None
    return text or None


def choice(raw: Any, path: str, errors: Errors, choices: tuple[str, ...], message: Any,
            upper: bool = True) -> str | None:
    value = raw.strip() if isinstance(raw, str) else raw
    if upper and isinstance(value, str):
        value = value.upper()
    if value not in choices:
        errors.add(path, message)
        return None
    return value


def parse_codes(raw: Any) -> list[str] | None:
    """OKED codes from a list or from text like ``22.21, 25.11; 28.30``; None when not a list or text."""
    if isinstance(raw, str):
        return [part for part in re.split(r"[\s,;]+", raw.strip()) if part]
    if isinstance(raw, (list, tuple)):
        return [clean_text(item) if isinstance(item, str) else item for item in raw]
    return None


def codes(raw: Any, path: str, errors: Errors) -> list[str] | None:
    codes = parse_codes(raw)
    if codes is None:
        errors.add(path, _l("Enter OKED codes separated by commas, e.g. 22.21, 25.11."))
        return None
    result: list[str] = []
    bad = [str(c) for c in codes if not is_oked_code(c)]
    if bad:
        errors.add(path, _l("Not an OKED code: %(codes)s. Codes look like 25 or 25.1 or 25.11.",
                            codes=", ".join(bad[:5])))
        return None
    for code in codes:
        if code not in result:
            result.append(code)
    if len(result) > MAX_CODES:
        errors.add(path, _l("List at most %(n)s codes.", n=MAX_CODES))
        return None
    return result or None


def normalise_hs_code(raw: Any) -> str:
    return re.sub(r"[\s.\-]", "", clean_text(raw)) if isinstance(raw, (str, int)) else ""


def plain_decimal(value: Decimal | None) -> str | None:
    """A decimal as a plain string without trailing zeros or exponent (``1500``, ``12.5``)."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def boolean(raw: Any, path: str, errors: Errors) -> bool | None:
    if isinstance(raw, bool):
        return raw
    errors.add(path, MSG_BOOL)
    return None


def percent(raw: Any, path: str, errors: Errors) -> Decimal | None:
    return number(raw, path, errors, low=Decimal(0), high=Decimal(100), places=2, range_message=MSG_PERCENT)
