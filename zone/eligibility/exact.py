"""Exact numbers: what the engine compares, and how an exact value is written without lying.

Derived amounts are :class:`~fractions.Fraction` values (``3 599 999 999 UZS / 12 000`` is kept as
that ratio), so a threshold or a band edge is compared with the amount itself, never with a rounded
copy. Rounding happens only where a value is shown:

* :func:`cents` rounds half up to 0.01 for the API's ``derived`` strings;
* :func:`exact_text` writes the value so that ``Fraction(text)`` gives it back (``"3000000.01"``
  when the decimal expansion ends, else ``"3599999999/12000"``);
* :func:`format_exact` writes it for people: every digit shown is a digit of the value, a value
  that goes on is cut and marked with ``…``, and enough digits are shown to tell it apart from the
  thresholds it was compared with (``299 999,99991…`` below ``300 000``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from .formatting import format_number

CENT = Decimal("0.01")
MIN_PLACES = 2
MAX_PLACES = 24
ELLIPSIS = "…"


def to_fraction(value: Fraction | Decimal | int) -> Fraction:
    """The exact rational value of a number (a Decimal converts without loss)."""
    return value if isinstance(value, Fraction) else Fraction(value)


def decimal_places(value: Fraction) -> int | None:
    """How many decimals write ``value`` exactly, or None when its expansion never ends."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    return max(twos, fives) if denominator == 1 else None


def _as_decimal(value: Fraction, places: int) -> Decimal:
    """``value`` truncated toward zero to ``places`` decimals, as a Decimal with that exponent."""
    scale = 10**places
    whole = abs(value.numerator) * scale // value.denominator
    sign = "-" if value < 0 else ""
    text = str(whole).rjust(places + 1, "0")
    return Decimal(f"{sign}{text[:-places]}.{text[-places:]}" if places else f"{sign}{text}")


def cents(value: Fraction | Decimal | int) -> Decimal:
    """``value`` rounded half up (away from zero) to 0.01: for display only."""
    scaled = to_fraction(value) * 100
    whole = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
    return (Decimal(-whole if scaled < 0 else whole) / 100).quantize(CENT)


def exact_text(value: Fraction | Decimal | int) -> str:
    """A machine-readable exact value: a plain decimal when it ends, else ``numerator/denominator``."""
    exact = to_fraction(value)
    places = decimal_places(exact)
    if places is None:
        return f"{exact.numerator}/{exact.denominator}"
    return format(_as_decimal(exact, places), "f")


def shown_value(value: Fraction | Decimal | int, edges: Iterable = ()) -> tuple[Decimal, bool]:
    """The digits :func:`format_exact` shows and whether the value goes on beyond them.

    At least two decimals are kept for a value that does not end; more are added until the cut
    value lies on the same side of every edge as the value itself (an edge equal to the value is
    equal only when the value ends).
    """
    exact = to_fraction(value)
    places = decimal_places(exact)
    if places is not None and places <= MAX_PLACES:
        return _as_decimal(exact, places), False
    bounds = [edge for edge in map(to_fraction, edges) if edge != exact]
    for digits in range(MIN_PLACES, MAX_PLACES + 1):
        cut = _as_decimal(exact, digits)
        shown = Fraction(cut)
        if all((shown > edge) == (exact > edge) and (shown < edge) == (exact < edge) for edge in bounds):
            return cut, True
    return _as_decimal(exact, MAX_PLACES), True


def format_exact(value: Fraction | Decimal | int, locale: str, edges: Iterable = ()) -> str:
    """``value`` for people in ``locale``: its own digits, cut with ``…`` only when it goes on."""
    shown, cut = shown_value(value, edges)
    return format_number(shown, locale) + (ELLIPSIS if cut else "")
