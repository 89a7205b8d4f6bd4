"""Benefit period arithmetic.

Conventions (the same in the engine, the API, snapshots, certificates and registers):

* A period is half-open, ``[start, until)``, as PostgreSQL's ``daterange`` keeps it: ``until`` is
  the date on which it ends, the first day it no longer applies. "N years" from D ends on the same
  calendar day N years later (29 Feb -> 28 Feb when that year has none), as the domain states.
* Consecutive steps of one schedule share their boundary: the next one starts on the previous
  ``until``; each step's end is counted from the original start (no drift).
* The zone's end date bounds ``until`` in the same sense: a period ends on it at the latest, and a
  step that would start on or after it is dropped (an empty period is no period).
* People read "through the day before" (:func:`last_day`); that is display only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Period:
    """A benefit period ``[start, until)`` at ``reduction_pct`` percent."""

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


def last_day(until: date | str | None) -> date | None:
    """The last day a period ending on ``until`` applies (``until`` minus one day), for people.

    Accepts an ISO string as stored in JSON; None stays None.
    """
    if until in (None, ""):
        return None
    if isinstance(until, str):
        until = date.fromisoformat(until[:10])
    return until - ONE_DAY


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
        if begin >= zone_end:
            cut = True
            break
        if until > zone_end:
            until, cut = zone_end, True
        periods.append(Period(begin, until, pct))
        begin = until
    return tuple(periods), cut
