"""What the compliance engine reads about residents, loaded for a whole batch in a fixed number of queries.

:func:`load` takes certificates and returns one :class:`ResidentFacts` per certificate: its agreement's
terms and obligations and the head of every report chain with the date it was first filed. Nothing else
is read while evaluating, so the daily run costs the same few statements per batch however many residents
and reports there are, and an evaluation "as of" a date only has to ignore what was filed after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from zone.agreements.models import Agreement
from zone.calendar import local_date
from zone.certificates.models import Certificate
from zone.extensions import db
from zone.reports import periods
from zone.reports.models import Report
from zone.reports.workflow import FILED


@dataclass(frozen=True)
class ReportFact:
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


def _resident(certificate: Certificate) -> ResidentFacts:
    return ResidentFacts(certificate_id=certificate.id, serial=certificate.serial, side=certificate.side,
                         status=certificate.status,
                         benefits=tuple(b.get("code") for b in certificate.benefits or () if isinstance(b, dict)))


def load(certificates: list[Certificate]) -> dict[int, ResidentFacts]:
    """The facts of each of ``certificates`` (by certificate id), in three queries for the whole batch."""
    residents = {c.id: _resident(c) for c in certificates}
    by_application = {c.application_id: residents[c.id] for c in certificates}
    if not certificates:
        return residents
    agreements = db.session.execute(
        select(Agreement.id, Agreement.application_id, Agreement.number, Agreement.decided_on,
               Agreement.countersign_due, Agreement.company_signed_at, Agreement.obligations)
        .where(Agreement.application_id.in_(list(by_application)))).all()
    by_agreement: dict[int, ResidentFacts] = {}
    for row in agreements:
        resident = by_application[row.application_id]
        resident.agreement, resident.decided_on, resident.countersign_due = row.number, row.decided_on, \
            row.countersign_due
        resident.countersigned_on = local_date(row.company_signed_at) if row.company_signed_at else None
        resident.obligations = list(row.obligations or ())
        by_agreement[row.id] = resident
    if not by_agreement:
        return residents
    first_filed = {(r.agreement_id, r.period): r.first for r in db.session.execute(
        select(Report.agreement_id, Report.period, func.min(Report.submitted_at).label("first"))
        .where(Report.agreement_id.in_(list(by_agreement)), Report.submitted_at.is_not(None))
        .group_by(Report.agreement_id, Report.period)).all()}
    heads = db.session.execute(
        select(Report.agreement_id, Report.period, Report.kind, Report.period_end, Report.due, Report.status,
               Report.investment_cumulative, Report.jobs_total, Report.jobs_local, Report.revenue_total,
               Report.revenue_priority, Report.output)
        .where(Report.agreement_id.in_(list(by_agreement)), Report.head.is_(True))).all()
    for r in heads:
        first = first_filed.get((r.agreement_id, r.period))
        filed_on = local_date(first) if first is not None and r.status in FILED else None
        by_agreement[r.agreement_id].reports[r.period] = ReportFact(
            period=r.period, kind=r.kind, period_end=r.period_end, due=r.due, filed_on=filed_on,
            investment_cumulative=r.investment_cumulative, jobs_total=r.jobs_total, jobs_local=r.jobs_local,
            revenue_total=r.revenue_total, revenue_priority=r.revenue_priority, has_output=bool(r.output))
    return residents


class DueDates:
    """Due dates of periods nobody has reported for yet, computed once per side and period."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], date] = {}

    def __call__(self, side: str, period: periods.Period) -> date:
        key = (side, period.code)
        if key not in self._known:
            self._known[key] = periods.due_date(side, period)
        return self._known[key]
