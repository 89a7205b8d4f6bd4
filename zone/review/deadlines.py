"""Review deadlines in working days.

A working day is a weekday that is not a holiday. Holidays come from the ``HOLIDAYS`` setting (ISO dates)
and from the ``review_holidays`` table that admins keep. The review limit is
``REVIEW_LIMIT_WORKING_DAYS`` (default 10) working days after the day of submission.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, g, has_request_context
from sqlalchemy import select

from zone.database import utcnow
from zone.extensions import db

ONE_DAY = timedelta(days=1)
DEFAULT_LIMIT = 10


def is_working_day(day: date, holidays: Iterable[date] = ()) -> bool:
    """Monday to Friday and not a holiday."""
    hols = holidays if isinstance(holidays, (set, frozenset)) else set(holidays)
    return day.weekday() < 5 and day not in hols


def add_working_days(start: date, n: int, holidays: Iterable[date] = ()) -> date:
    """The day ``n`` working days after ``start`` (``start`` itself is not counted).

    ``n == 0`` returns ``start``; a negative ``n`` counts backwards. Submitted on a Friday with
    ``n == 1``: the next Monday (or the first working day after it).
    """
    hols = frozenset(holidays)
    step = ONE_DAY if n >= 0 else -ONE_DAY
    day, left = start, abs(n)
    while left:
        day += step
        if is_working_day(day, hols):
            left -= 1
    return day


def working_days_between(start: date, end: date, holidays: Iterable[date] = ()) -> int:
    """Working days in (start, end]: how many ``add_working_days`` needs to get from ``start`` to ``end``.

    Negative when ``end`` is before ``start`` (the working days in (end, start], negated). So
    ``working_days_between(today, deadline)`` is the number of working days left (0 on the deadline
    itself, negative once it is past).
    """
    if end < start:
        return -working_days_between(end, start, holidays)
    hols = frozenset(holidays)
    # Whole weeks are five working days each; walk only the remainder, then take the holidays off.
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    day = start + timedelta(days=weeks * 7)
    for _ in range(rest):
        day += ONE_DAY
        if day.weekday() < 5:
            count += 1
    count -= sum(1 for h in hols if start < h <= end and h.weekday() < 5)
    return count


def _parse_config_holidays(values: Iterable) -> set[date]:
    found: set[date] = set()
    for value in values or ():
        if isinstance(value, date):
            found.add(value)
            continue
        try:
            found.add(date.fromisoformat(str(value).strip()))
        except ValueError:
            current_app.logger.warning("Ignoring HOLIDAYS entry %r: not an ISO date", value)
    return found


def configured_holidays() -> set[date]:
    """The holidays of the ``HOLIDAYS`` setting (not those in the table)."""
    return _parse_config_holidays(current_app.config.get("HOLIDAYS", ()))


def holidays() -> frozenset[date]:
    """Every holiday known: the configured ones and those admins entered (cached per request)."""
    if has_request_context() and "review_holidays" in g:
        return g.review_holidays
    from zone.review.models import Holiday

    found = configured_holidays()
    found.update(db.session.scalars(select(Holiday.day)).all())
    result = frozenset(found)
    if has_request_context():
        g.review_holidays = result
    return result


def review_limit() -> int:
    return int(current_app.config.get("REVIEW_LIMIT_WORKING_DAYS", DEFAULT_LIMIT))


def zone_timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")


def local_date(moment: datetime | None = None) -> date:
    """The calendar date in the zone's time zone (Asia/Almaty by default) of ``moment`` (default now)."""
    moment = moment or utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone_timezone()).date()


def review_deadline_for(submitted: date | datetime) -> date:
    """The last day of the review of an application submitted at ``submitted``.

    For the applications domain to set ``Application.review_deadline`` at submission.
    """
    day = local_date(submitted) if isinstance(submitted, datetime) else submitted
    return add_working_days(day, review_limit(), holidays())


def working_days_left(deadline: date | None, today: date | None = None) -> int | None:
    """Working days from today to ``deadline`` (0 on the day, negative when overdue), or None."""
    if deadline is None:
        return None
    return working_days_between(today or local_date(), deadline, holidays())
