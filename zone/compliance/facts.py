"""What the compliance engine reads about residents, loaded for a whole batch in a fixed number of queries.

:func:`load` takes certificates and returns one :class:`ResidentFacts` per certificate: its agreement's
terms and obligations and the head of every report chain with the date it was first filed. Nothing else
is read while evaluating, so the daily run costs the same few statements per batch however many residents
and reports there are, and an evaluation "as of" a date only has to ignore what was filed after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Text, cast, func, select

from zone.agreements.models import Agreement
from zone.calendar import local_date, zone_timezone
from zone.extensions import db
from zone.reports import periods
from zone.reports.models import Report
from zone.reports.workflow import FILED


class ReportFact(NamedTuple):
    """The head of one report chain as the engine reads it (a tuple: built fast, never changed)."""

    period: str
    kind: str
    period_end: date
    due: date
    filed_on: date | None  # the first submission of the period (a correction keeps it)
    investment_cumulative: Decimal | None
    jobs_total: int | None
    jobs_local: int | None
    revenue_total: Decimal | None
    revenue_priority: Decimal | None
    has_output: bool

    def filed_by(self, day: date) -> bool:
        return self.filed_on is not None and self.filed_on <= day


@dataclass
class ResidentFacts:
    certificate_id: int
    serial: str
    side: str
    status: str
    benefits: tuple[str, ...]
    agreement: str | None = None
    decided_on: date | None = None
    countersign_due: date | None = None
    countersigned_on: date | None = None
    obligations: list[dict] = field(default_factory=list)
    reports: dict[str, ReportFact] = field(default_factory=dict)


def _resident(certificate: Any) -> ResidentFacts:
    return ResidentFacts(certificate_id=certificate.id, serial=certificate.serial, side=certificate.side,
                         status=certificate.status,
                         benefits=tuple(b.get("code") for b in certificate.benefits or () if isinstance(b, dict)))


_EMPTY_JSON = frozenset({"", "[]", "{}", "null"})


def _first_filed():
    """The first submission of the head's period (a correction keeps the date its period was first filed)."""
    earlier = Report.__table__.alias("earlier")
    return (select(func.min(earlier.c.submitted_at))
            .where(earlier.c.agreement_id == Report.agreement_id, earlier.c.period == Report.period,
                   earlier.c.submitted_at.is_not(None))
            .correlate(Report).scalar_subquery())


def load(certificates: list) -> dict[int, ResidentFacts]:
    """The facts of each of ``certificates`` (by certificate id), in two queries for the whole batch.

    ``certificates`` are Certificate objects or rows with their ``id, serial, side, status, benefits,
    application_id``: the daily run reads only those columns. Only the columns the engine uses are read; a
    report's products are read as text, since the engine asks only whether there are any.
    """
    residents = {c.id: _resident(c) for c in certificates}
    by_application = {c.application_id: residents[c.id] for c in certificates}
    if not certificates:
        return residents
    agreements = db.session.execute(
        select(Agreement.id, Agreement.application_id, Agreement.number, Agreement.decided_on,
               Agreement.countersign_due, Agreement.company_signed_at, Agreement.obligations)
        .where(Agreement.application_id.in_(list(by_application)))).all()
    tz = zone_timezone()  # read once for the batch

    def local(moment: datetime) -> date:
        return local_date(moment, tz=tz)

    by_agreement: dict[int, ResidentFacts] = {}
    for row in agreements:
        resident = by_application[row.application_id]
        resident.agreement, resident.decided_on, resident.countersign_due = row.number, row.decided_on, \
            row.countersign_due
        resident.countersigned_on = local(row.company_signed_at) if row.company_signed_at else None
        resident.obligations = list(row.obligations or ())
        by_agreement[row.id] = resident
    if not by_agreement:
        return residents
    heads = db.session.execute(
        select(Report.agreement_id, Report.period, Report.kind, Report.period_end, Report.due, Report.status,
               Report.investment_cumulative, Report.jobs_total, Report.jobs_local, Report.revenue_total,
               Report.revenue_priority, cast(Report.output, Text), _first_filed())
        .where(Report.agreement_id.in_(list(by_agreement)), Report.head.is_(True))).tuples()
    for agreement_id, period, kind, end, due, status, investment, jobs, local_jobs, revenue, priority, output, \
            first in heads:
        filed_on = local(first) if first is not None and status in FILED else None
        by_agreement[agreement_id].reports[period] = ReportFact(
            period, kind, end, due, filed_on, investment, jobs, local_jobs, revenue, priority,
            output is not None and output.strip() not in _EMPTY_JSON)
    return residents


class DueDates:
    """Due dates of periods nobody has reported for yet, computed once per side and period; and the
    periods between two days and the quarter of a day, computed once per run rather than per resident."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], date] = {}
        self._between: dict[tuple[date, date], list[periods.Period]] = {}
        self._quarters: dict[date, periods.Period] = {}

    def between(self, first_day: date, last_day: date) -> list[periods.Period]:
        key = (first_day, last_day)
        found = self._between.get(key)
        if found is None:
            found = self._between[key] = periods.periods_between(first_day, last_day)
        return found

    def quarter(self, day: date) -> periods.Period:
        found = self._quarters.get(day)
        if found is None:
            found = self._quarters[day] = periods.quarter_of(day)
        return found

    def __call__(self, side: str, period: periods.Period) -> date:
        key = (side, period.code)
        if key not in self._known:
            self._known[key] = periods.due_date(side, period)
        return self._known[key]
