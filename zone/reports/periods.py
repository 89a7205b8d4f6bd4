"""Reporting periods of an agreement and their due dates.

A period is a quarter (``2027-Q1``) or a year (``2027``). An agreement reports from the quarter (year) of
its decision to the current one. The terms come from the rule set in force at the period's end
(``report.quarterly_due_days``: calendar days after the quarter; ``report.annual_due_months``: the
annual report is due on the last day of that month of the next year); a due date that falls on a
non-working day of the agreement's side moves to the next working day.
"""

from __future__ import annotations

import calendar as month_calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from zone.calendar import is_working_day
from zone.errors import Conflict
from zone.reports.workflow import Kind

QUARTERLY_DUE_DAYS = "report.quarterly_due_days"
ANNUAL_DUE_MONTHS = "report.annual_due_months"
_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    code: str
    kind: Kind
    start: date
    end: date

    @property
    def year(self) -> int:
        return self.start.year


def parse(raw) -> Period | None:
    """The period named ``2027-Q1`` or ``2027``; None for anything else."""
    if not isinstance(raw, str):
        return None
    match = _PERIOD.match(raw.strip().upper())
    if match is None:
        return None
    year = int(match.group(1))
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    if match.group(2) is None:
        return Period(str(year), Kind.ANNUAL, date(year, 1, 1), date(year, 12, 31))
    quarter = int(match.group(2))
    start = date(year, 3 * quarter - 2, 1)
    end_month = 3 * quarter
    end = date(year, end_month, month_calendar.monthrange(year, end_month)[1])
    return Period(f"{year}-Q{quarter}", Kind.QUARTERLY, start, end)


def quarter_of(day: date) -> Period:
    return parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")  # type: ignore[return-value]


def previous(period: Period) -> Period | None:
    """The period of the same kind just before ``period``."""
    if period.kind == Kind.ANNUAL:
        return parse(str(period.year - 1))
    return quarter_of(period.start - timedelta(days=1))


def periods_between(first_day: date, last_day: date) -> list[Period]:
    """Every quarter and year that overlaps [first_day, last_day], oldest first (a year after its Q4)."""
    result: list[Period] = []
    if last_day < first_day:
        return result
    quarter = quarter_of(first_day)
    while quarter.start <= last_day:
        result.append(quarter)
        if quarter.code.endswith("Q4") or quarter.end >= last_day:
            year = parse(str(quarter.year))
            if year is not None and year.start <= last_day:
                result.append(year)
        quarter = quarter_of(quarter.end + timedelta(days=1))
    return result


def _parameter(name: str, on_date: date):
    from zone.eligibility.services import current_registry

    rule_set = current_registry().for_date(on_date)
    parameter = rule_set.parameters.get(name)
    value = parameter.value_on(on_date) if parameter is not None else None
    if value is None:
        raise Conflict(_l("The rule set %(version)s in force on %(date)s has no value of %(parameter)s, so the "
                          "report's due date cannot be set.", version=rule_set.version, date=on_date.isoformat(),
                          parameter=name), code="report_terms_missing")
    return int(value.value)


def next_working_day(side: str, day: date) -> date:
    while not is_working_day(side, day):
        day += timedelta(days=1)
    return day


def due_date(side: str, period: Period) -> date:
    """When the report of ``period`` is due on ``side`` (moved to a working day)."""
    if period.kind == Kind.QUARTERLY:
        due = period.end + timedelta(days=_parameter(QUARTERLY_DUE_DAYS, period.end))
    else:
        months = _parameter(ANNUAL_DUE_MONTHS, period.end)
        year, month = period.year + 1 + (months - 1) // 12, (months - 1) % 12 + 1
        due = date(year, month, month_calendar.monthrange(year, month)[1])
    return next_working_day(side, due)
