"""The zone's one clock: "now" and "today" for the whole application.

"Today" is the date in the zone's time zone (``ZONE_TIMEZONE``, Asia/Almaty by default), not a side's
and not UTC's. The zone is one administration on the border: an eligibility check, a decision, a
certificate's validity and a deadline must fall on the same date whoever asks, and a moment must not be
two dates depending on the side. Since 1 March 2024 Kazakhstan (Asia/Almaty) and Uzbekistan
(Asia/Tashkent) are both UTC+5, so a per-side "today" would only differ if one of them moved again; the
sides differ in which days are working days, which ``zone.calendar.working_days`` keeps per side.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from zone.database import utcnow

DEFAULT_TIMEZONE = "Asia/Almaty"


def zone_timezone() -> ZoneInfo:
    """The zone's time zone (``ZONE_TIMEZONE``)."""
    name = current_app.config.get("ZONE_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def now() -> datetime:
    """The current moment, timezone-aware UTC (store and compare moments in UTC)."""
    return utcnow()


def local_date(moment: datetime | None = None, *, tz: ZoneInfo | None = None) -> date:
    """The date in the zone's time zone of ``moment`` (default: now); a naive moment is taken as UTC.

    ``tz`` is :func:`zone_timezone` read once by a caller converting many moments (the compliance run).
    """
    moment = moment or now()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz or zone_timezone()).date()


def today() -> date:
    """Today in the zone: the one "today" of every check, decision, deadline, register and export."""
    return local_date(now())
