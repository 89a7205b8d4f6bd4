"""The zone's calendar: one "today" for the whole application and each side's working days.

Every deadline (review, information requests and those to come: agreements, reports, notices) is
counted with ``working_days_after(side, start, n)``; every "today" is ``today()``. See ``clock`` for why
"today" is the zone's, and ``working_days`` for how a side's working day is decided.
"""

from zone.calendar.clock import local_date, now, today, zone_timezone
from zone.calendar.working_days import (
    is_working_day,
    working_days_after,
    working_days_between,
    working_days_left,
)

__all__ = ["is_working_day", "local_date", "now", "today", "working_days_after", "working_days_between",
           "working_days_left", "zone_timezone"]
