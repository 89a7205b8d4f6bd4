"""The review's deadlines, counted in working days of the application's side (``zone.calendar``).

The review limit is ``REVIEW_LIMIT_WORKING_DAYS`` (default 10) working days after the day of
submission; a company asked for information without a date gets ``INFO_REQUEST_WORKING_DAYS`` (default
10) working days from today. Both days are in the zone's calendar ("today" is the zone's).
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app

from zone.calendar import local_date, today, working_days_after, working_days_left

DEFAULT_REVIEW_LIMIT = 10
DEFAULT_INFO_DAYS = 10


def review_limit() -> int:
    return int(current_app.config.get("REVIEW_LIMIT_WORKING_DAYS", DEFAULT_REVIEW_LIMIT))


def info_request_days() -> int:
    return int(current_app.config.get("INFO_REQUEST_WORKING_DAYS", DEFAULT_INFO_DAYS))


def review_deadline_for(side: str, submitted: date | datetime) -> date:
    """The last day of the review of an application of ``side`` submitted at ``submitted``."""
    day = local_date(submitted) if isinstance(submitted, datetime) else submitted
    return working_days_after(side, day, review_limit())


def default_info_deadline(side: str, on: date | None = None) -> date:
    """The date a company asked for information without a given date answers by."""
    return working_days_after(side, on or today(), info_request_days())


def review_days_left(application, on: date | None = None) -> int | None:
    """Working days of the application's side until its review deadline (negative when overdue)."""
    if application.review_deadline is None or not application.side:
        return None
    return working_days_left(application.side, application.review_deadline, on)
