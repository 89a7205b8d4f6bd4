"""Each side's working days: the only place that decides whether a day counts for a deadline.

A day is a working day of a side (``KZ`` or ``UZ``) when, in this order:
1. an administrator's override for that side says so (an extra day off, or a working day such as a
   transferred Saturday);
2. the side's official calendar (the ``holidays`` package) moves a weekend day to a working day;
3. it is Monday to Friday and not a public holiday of the side (including the days off the package
   knows were moved onto weekdays).

Deadlines count working days after a start date; the start date itself is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from flask import g, has_request_context
from sqlalchemy import select

from zone.extensions import db
from zone.vocabulary import SIDES

DAY_OFF = "day_off"
WORKING_DAY = "working_day"
OVERRIDE_KINDS = (DAY_OFF, WORKING_DAY)
ONE_DAY = timedelta(days=1)
_CACHE_KEY = "calendar_overrides"


@dataclass(frozen=True)
class PublicYear:
    """One side's official calendar for one year: days off (with their names) and weekend working days."""

    days_off: dict[date, str]
    weekend_workdays: frozenset[date]


def _check_side(side: str | None) -> str:
    if side not in SIDES:
        raise ValueError(f"unknown side {side!r}: use one of {', '.join(SIDES)}")
    return side


@lru_cache(maxsize=64)
def public_year(side: str, year: int, language: str | None = None) -> PublicYear:
    """The official calendar of ``side`` in ``year`` from the ``holidays`` package (names in ``language``
    when the package has it, else the side's own language)."""
    calendar = holidays.country_holidays(_check_side(side), years=year, language=language)
    return PublicYear(days_off={day: name for day, name in calendar.items() if day.year == year},
                      weekend_workdays=frozenset(d for d in calendar.weekend_workdays if d.year == year))


def overrides(side: str) -> dict[date, str]:
    """The administrators' overrides of ``side`` by day (cached for the request)."""
    from zone.calendar.models import CalendarOverride

    _check_side(side)
    cache = g.setdefault(_CACHE_KEY, {}) if has_request_context() else {}
    if side not in cache:
        rows = db.session.execute(select(CalendarOverride.day, CalendarOverride.kind)
                                  .where(CalendarOverride.side == side)).all()
        cache[side] = {row.day: row.kind for row in rows}
    return cache[side]


def forget_overrides() -> None:
    """Drop the request's cached overrides (after an override changed)."""
    if has_request_context():
        g.pop(_CACHE_KEY, None)


class _Calendar:
    """Working days of one side, with the overrides read once."""

    def __init__(self, side: str):
        self.side = _check_side(side)
        self.overrides = overrides(side)

    def is_working_day(self, day: date) -> bool:
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == WORKING_DAY
        official = public_year(self.side, day.year)
        if day in official.weekend_workdays:
            return True
        return day.weekday() < 5 and day not in official.days_off


def is_working_day(side: str, day: date) -> bool:
    """True when ``day`` is a working day of ``side``."""
    return _Calendar(side).is_working_day(day)


def working_days_after(side: str, start: date, n: int) -> date:
    """The day ``n`` working days of ``side`` after ``start`` (``start`` itself is not counted).

    ``n == 0`` gives ``start``; a negative ``n`` counts backwards. Submitted on a Friday with ``n == 1``:
    the next Monday, or the first working day after it.
    """
    calendar = _Calendar(side)
    step = ONE_DAY if n >= 0 else -ONE_DAY
    day, left = start, abs(n)
    while left:
        day += step
        if calendar.is_working_day(day):
            left -= 1
    return day


def working_days_between(side: str, start: date, end: date) -> int:
    """Working days of ``side`` in (start, end]: how many ``working_days_after`` needs from ``start`` to
    ``end``; negative when ``end`` is before ``start``."""
    if end < start:
        return -working_days_between(side, end, start)
    calendar = _Calendar(side)
    return sum(1 for offset in range(1, (end - start).days + 1)
               if calendar.is_working_day(start + timedelta(days=offset)))


def working_days_left(side: str, deadline: date | None, today: date | None = None) -> int | None:
    """Working days of ``side`` from today (the zone's) to ``deadline``: 0 on the day, negative once it has
    passed; None without a deadline."""
    if deadline is None:
        return None
    from zone.calendar.clock import today as zone_today

    return working_days_between(side, today or zone_today(), deadline)
