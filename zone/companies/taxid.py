"""Tax identifiers (DOMAIN.md "Identifiers").

Kazakh BIN/IIN: 12 digits, the last a check digit computed with weights 1..11; if that gives 10, again
with weights 3..11,1,2; a result of 10 again means the number is invalid. Uzbek STIR: 9 digits (format
only). Other countries: 4 to 20 letters and digits.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

_WEIGHTS_1 = tuple(range(1, 12))
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_OTHER = re.compile(r"^[A-Z0-9]{4,20}$")


def normalise_tax_id(value: str | None) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def bin_check_digit(first_eleven: str) -> int | None:
    """The check digit of a Kazakh BIN/IIN, or None when the number cannot be valid."""
    digits = [int(ch) for ch in first_eleven]
    check = sum(d * w for d, w in zip(digits, _WEIGHTS_1, strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, _WEIGHTS_2, strict=True)) % 11
        if check == 10:
            return None
    return check


def is_valid_bin(value: str) -> bool:
    if not re.fullmatch(r"\d{12}", value):
        return False
    check = bin_check_digit(value[:11])
    return check is not None and check == int(value[11])


def is_valid_stir(value: str) -> bool:
    return bool(re.fullmatch(r"\d{9}", value))


def tax_id_error(country: str | None, tax_id: str) -> str | None:
    """A translatable message when ``tax_id`` is not valid for ``country``, else None."""
    if not tax_id:
        return _l("Enter the tax identification number.")
    if country == "KZ":
        if not re.fullmatch(r"\d{12}", tax_id):
            return _l("A Kazakh BIN has exactly 12 digits.")
        if not is_valid_bin(tax_id):
            return _l("This BIN is not valid: its check digit does not match. Check for a typo.")
        return None
    if country == "UZ":
        if not is_valid_stir(tax_id):
            return _l("An Uzbek STIR (INN) has exactly 9 digits.")
        return None
    if not _OTHER.fullmatch(tax_id):
        return _l("Use 4 to 20 letters and digits.")
    return None
