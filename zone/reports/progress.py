"""The resident's cabinet: each agreement's obligations, committed against reported, with a small chart,
the periods it reports for (due, overdue, filed) and its report history.

It lives in the reports package because it reads reports; agreements never import reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from zone.agreements.models import Agreement
from zone.extensions import db
from zone.reports import periods, queries, services
from zone.reports.models import Report
from zone.reports.workflow import FILED, Kind, Status

CHART_WIDTH = 240


@dataclass
class Progress:
    """One obligation: the committed target, the reported figure and the bar geometry of its chart."""

    obligation: dict
    committed: Decimal | None
    reported: Decimal | None
    unit: str
    note: str | None = None

    @property
    def ratio(self) -> Decimal | None:
        if self.committed is None or self.reported is None or self.committed <= 0:
            return None
        return self.reported / self.committed

    @property
    def percent(self) -> int | None:
        return None if self.ratio is None else int((self.ratio * 100).to_integral_value())

    @property
    def bar(self) -> int:
        """Width of the reported bar in the chart, at most the whole chart."""
        return 0 if self.ratio is None else int(min(self.ratio, Decimal(1)) * CHART_WIDTH)

    @property
    def tolerance_x(self) -> int:
        """Where the tolerance line stands (committed less the tolerance)."""
        tolerance = Decimal(str(self.obligation.get("tolerance_pct") or 0))
        return int((Decimal(100) - tolerance) / 100 * CHART_WIDTH)

    @property
    def behind(self) -> bool:
        return self.ratio is not None and self.ratio * 100 < Decimal(100) - Decimal(
            str(self.obligation.get("tolerance_pct") or 0))


@dataclass
class PeriodRow:
    period: periods.Period
    due: date
    report: Report | None
    overdue: bool


@dataclass
class AgreementCabinet:
    agreement: Agreement
    progress: list[Progress] = field(default_factory=list)
    periods: list[PeriodRow] = field(default_factory=list)
    history: list[Report] = field(default_factory=list)


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (ArithmeticError, ValueError):
        return None


def _invested(report: Report) -> Decimal:
    return sum((getattr(report, n) or Decimal(0)) for n in ("investment_own", "investment_borrowed",
                                                             "investment_foreign"))


def _progress(obligation: dict, filed: list[Report]) -> Progress:
    kind, unit = obligation.get("type"), obligation.get("unit") or ""
    committed = None if unit == "date" else _number(obligation.get("target"))
    latest = filed[-1] if filed else None
    reported, note = None, None
    if kind == "investment":
        if obligation.get("year"):
            year = int(obligation["year"])
            annual = [r for r in filed if r.kind == Kind.ANNUAL and r.period_start.year == year]
            quarters = [r for r in filed if r.kind == Kind.QUARTERLY and r.period_start.year == year]
            chosen = annual or quarters
            reported = sum((_invested(r) for r in chosen), Decimal(0)) if chosen else None
        elif latest is not None:
            with_cumulative = [r for r in filed if r.investment_cumulative is not None]
            reported = with_cumulative[-1].investment_cumulative if with_cumulative else None
        currencies = {r.currency for r in filed if r.currency}
        if reported is not None and currencies and currencies != {unit}:
            note = "currency"
    elif kind in ("jobs_total", "jobs_local") and latest is not None:
        value = getattr(latest, kind)
        reported = Decimal(value) if value is not None else None
    elif kind == "priority_income_share":
        annual = [r for r in filed if r.kind == Kind.ANNUAL and r.revenue_total]
        if annual:
            reported = (annual[-1].revenue_priority or Decimal(0)) * 100 / annual[-1].revenue_total
            reported = reported.quantize(Decimal("0.1"))
    return Progress(obligation=obligation, committed=committed, reported=reported, unit=unit, note=note)


def cabinet(company_id: int, today: date) -> list[AgreementCabinet]:
    """Every agreement of the company with its progress, periods and reports."""
    agreements = db.session.scalars(select(Agreement).where(Agreement.company_id == company_id)
                                    .order_by(Agreement.id)).all()
    result = []
    for agreement in agreements:
        heads = queries.heads_of(agreement.id)
        by_period = {r.period: r for r in heads}
        filed = sorted((r for r in heads if r.status in FILED), key=lambda r: (r.period_end, r.kind == Kind.ANNUAL))
        rows = []
        for period in reversed(services.open_periods(agreement, today)):
            report = by_period.get(period.code)
            due = report.due if report is not None else periods.due_date(agreement.side, period)
            late = due < today and (report is None or report.status in (Status.DRAFT, Status.RETURNED))
            rows.append(PeriodRow(period=period, due=due, report=report, overdue=late))
        result.append(AgreementCabinet(agreement=agreement,
                                       progress=[_progress(o, filed) for o in agreement.obligations or []],
                                       periods=rows, history=list(reversed(heads))))
    return result
