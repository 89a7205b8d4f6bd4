"""Benefit period arithmetic.

Conventions (the same everywhere in this package):

* A period starts on the evaluation (decision) date.
* ``until`` is **inclusive**: the last day the benefit applies. "N years" from D ends on the same
  calendar day N years later (29 Feb -> 28 Feb when that year has none), as the domain states.
* Consecutive periods of one schedule do not overlap: the next one starts the day after the
  previous ``until``; each step's end is counted from the original start (no drift).
* Every period is cut at the zone's end date (inclusive); a step starting after it is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Period:
    """A benefit period: ``start`` .. ``until`` inclusive, at ``reduction_pct`` percent."""

    start: date
    until: date
    reduction_pct: Decimal

    def to_dict(self) -> dict:
        """API shape: ``{"from", "until", "reduction_pct"}`` (ISO dates, percent as a number)."""
        pct = self.reduction_pct
        return {
            "from": self.start.isoformat(),
            "until": self.until.isoformat(),
            "reduction_pct": int(pct) if pct == pct.to_integral_value() else float(pct),
        }


def add_years(start: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 Feb becomes 28 Feb in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def schedule_periods(
    start: date, steps: Iterable[tuple[int, Decimal]], zone_end: date
) -> tuple[tuple[Period, ...], bool]:
    """Lay ``(years, pct)`` steps end to end from ``start`` and cut them at ``zone_end``.

    Returns the periods and whether any was cut or dropped by the zone's end.
    """
    periods: list[Period] = []
    cut = False
    begin, total = start, 0
    for years, pct in steps:
        total += years
        until = add_years(start, total)
        if begin > zone_end:
            cut = True
            break
        if until > zone_end:
            until, cut = zone_end, True
        periods.append(Period(begin, until, pct))
        begin = until + ONE_DAY
    return tuple(periods), cut
