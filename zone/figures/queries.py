"""The zone's figures as SQL aggregates: every number here is one GROUP BY over the rows that commit or
report it, never rows loaded into Python.

Definitions (the open-data dictionary repeats them):
- a *resident* is a company with a live (active or suspended) certificate, counted by the certificate's side;
- *committed* investment and jobs are those of the application behind each live certificate;
- *realised* investment and *actual* jobs come from each resident's latest accepted report (quarterly or
  annual): its cumulative investment and its jobs at the end of the period;
- *exports* and *cross-side trade* add up the accepted reports' export revenue and sales to residents of the
  other side over the last four quarters, in USD at the rate in force on the as-of date;
- *matchmaking* counts contact requests, those the other company accepted, and recorded contracts;
- processing times run over the last 12 months: submission to decision, decision to certificate,
  submission to certificate, in days (median and 90th percentile).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from sqlalchemy import and_, case, func, select

from zone.applications.models import Application
from zone.certificates.models import LIVE_STATUSES, Certificate
from zone.cooperation.models import ContactRequest
from zone.cooperation.workflow import CONTACT_STATES, State
from zone.database import is_postgresql
from zone.extensions import db
from zone.figures.money import to_usd, usd_rates
from zone.reports.models import Report
from zone.vocabulary import SIDES

LIVE = [status.value for status in LIVE_STATUSES]
DECIDED = ("approved", "rejected")


def _days(later, earlier):
    """Days between two timestamps as a number, on either database."""
    if is_postgresql():
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def residents() -> dict:
    """Companies with a live certificate by side, and by side and sector; companies by side and the status of
    their current certificates."""
    by_side = dict.fromkeys(SIDES, 0)
    by_sector: dict[str, dict[str, int]] = {}
    by_status: dict[str, dict[str, int]] = {}
    rows = db.session.execute(select(Certificate.side, Certificate.sector, Certificate.status,
                                     func.count(func.distinct(Certificate.company_id)))
                              .where(Certificate.superseded_by_id.is_(None))
                              .group_by(Certificate.side, Certificate.sector, Certificate.status))
    for side, sector, status, count in rows:
        by_status.setdefault(status, dict.fromkeys(SIDES, 0))[side] += count
        if status in LIVE:
            by_side[side] += count
            by_sector.setdefault(sector or "other_manufacturing", dict.fromkeys(SIDES, 0))[side] += count
    return {"by_side": by_side, "by_sector": dict(sorted(by_sector.items())),
            "by_status": dict(sorted(by_status.items()))}


def commitments() -> dict:
    """Investment (USD, as converted at submission) and jobs committed by the residents' applications."""
    rows = db.session.execute(
        select(Certificate.side, func.coalesce(func.sum(Application.investment_usd), 0),
               func.coalesce(func.sum(Application.jobs_total), 0))
        .join(Application, Application.id == Certificate.application_id)
        .where(Certificate.status.in_(LIVE)).group_by(Certificate.side))
    found = {side: (Decimal(invest), int(jobs)) for side, invest, jobs in rows}
    return {side: {"investment_usd": found.get(side, (Decimal(0), 0))[0].quantize(Decimal("0.01")),
                   "jobs": found.get(side, (Decimal(0), 0))[1]} for side in SIDES}


def _latest_reports():
    """Each resident's latest accepted report (by period end), as a subquery of report ids."""
    newest = (select(Report.company_id, func.max(Report.period_end).label("period_end"))
              .where(Report.status == "accepted", Report.head.is_(True)).group_by(Report.company_id).subquery())
    return (select(func.max(Report.id).label("id"))
            .join(newest, and_(newest.c.company_id == Report.company_id, newest.c.period_end == Report.period_end))
            .where(Report.status == "accepted", Report.head.is_(True)).group_by(Report.company_id).subquery())


def reported(as_of: date) -> dict:
    """Realised investment and actual jobs (latest accepted reports), exports and cross-side trade over the
    last four quarters, by side, in USD."""
    rates = usd_rates(as_of)
    latest = _latest_reports()
    invest: dict[str, dict] = {side: {} for side in SIDES}
    jobs = dict.fromkeys(SIDES, 0)
    for side, currency, amount, people in db.session.execute(
            select(Report.side, Report.currency, func.sum(Report.investment_cumulative), func.sum(Report.jobs_total))
            .where(Report.id.in_(select(latest.c.id))).group_by(Report.side, Report.currency)):
        invest[side][currency] = Decimal(amount or 0)
        jobs[side] += int(people or 0)
    since = as_of - timedelta(days=365)
    exports: dict[str, dict] = {side: {} for side in SIDES}
    trade: dict[str, dict] = {side: {} for side in SIDES}
    for side, currency, export, sales in db.session.execute(
            select(Report.side, Report.currency, func.sum(Report.revenue_export), func.sum(Report.sales_to_other_side))
            .where(Report.status == "accepted", Report.head.is_(True), Report.kind == "quarterly",
                   Report.period_end > since, Report.period_end <= as_of)
            .group_by(Report.side, Report.currency)):
        exports[side][currency] = Decimal(export or 0)
        trade[side][currency] = Decimal(sales or 0)
    return {side: {"investment_usd": to_usd(invest[side], rates), "jobs": jobs[side],
                   "exports_usd": to_usd(exports[side], rates), "cross_side_trade_usd": to_usd(trade[side], rates)}
            for side in SIDES}


def matchmaking() -> dict:
    """Contact requests by the sender's side: sent, in contact (accepted), contracts and their yearly value."""
    contact = [s.value for s in CONTACT_STATES]
    rows = db.session.execute(
        select(ContactRequest.sender_side, func.count(),
               func.coalesce(func.sum(case((ContactRequest.state.in_(contact), 1), else_=0)), 0),
               func.coalesce(func.sum(case((ContactRequest.state == State.CONTRACTED, 1), else_=0)), 0),
               func.coalesce(func.sum(case((ContactRequest.state == State.CONTRACTED,
                                            ContactRequest.contract_value_usd), else_=0)), 0))
        .group_by(ContactRequest.sender_side))
    found = {side: (int(n), int(c), int(k), Decimal(v)) for side, n, c, k, v in rows}
    return {side: dict(zip(("requests", "contacts", "contracts", "contracts_usd"),
                           found.get(side, (0, 0, 0, Decimal(0))), strict=True)) for side in SIDES}


def _distribution(stmt) -> dict:
    """Count, median and 90th percentile of the ``d`` column ``stmt`` selects: SQL orders the values and
    reads the one row at each rank (no database-specific percentile function)."""
    values = stmt.subquery()
    count = db.session.scalar(select(func.count()).select_from(values)) or 0
    if not count:
        return {"count": 0, "median": None, "p90": None}

    def at(rank: int) -> float:
        return float(db.session.scalar(select(values.c.d).order_by(values.c.d).offset(rank).limit(1)))

    median = (at((count - 1) // 2) + at(count // 2)) / 2
    p90 = at(-(-9 * count // 10) - 1)  # nearest rank: the ceil(0.9 n)-th value
    return {"count": count, "median": round(median, 1), "p90": round(p90, 1)}


def processing_times(now: datetime) -> dict:
    """Days from submission to decision, from decision to certificate and from submission to certificate,
    over the decisions and first certificates of the last 12 months."""
    since = now - timedelta(days=365)
    certificates = (Certificate.supersedes_id.is_(None), Certificate.issued_at >= since)
    return {
        "submission_to_decision": _distribution(
            select(_days(Application.decided_at, Application.submitted_at).label("d"))
            .where(Application.status.in_(DECIDED), Application.submitted_at.is_not(None),
                   Application.decided_at >= since)),
        "decision_to_certificate": _distribution(
            select(_days(Certificate.issued_at, Application.decided_at).label("d"))
            .join(Application, Application.id == Certificate.application_id)
            .where(*certificates, Application.decided_at.is_not(None))),
        "submission_to_certificate": _distribution(
            select(_days(Certificate.issued_at, Application.submitted_at).label("d"))
            .join(Application, Application.id == Certificate.application_id)
            .where(*certificates, Application.submitted_at.is_not(None))),
    }


def quarter_starts(today: date, count: int = 8) -> list[date]:
    """The first days of the last ``count`` quarters, oldest first (the current one last)."""
    year, quarter = today.year, (today.month - 1) // 3
    starts = []
    for _ in range(count):
        starts.append(date(year, quarter * 3 + 1, 1))
        year, quarter = (year, quarter - 1) if quarter else (year - 1, 3)
    return starts[::-1]


def _per_quarter(column, starts: list[date], *where) -> list[int]:
    """How many rows fall in each quarter: one CASE sum per quarter, one query."""
    bounds = [*[datetime(d.year, d.month, d.day, tzinfo=UTC) for d in starts], None]
    sums = [func.coalesce(func.sum(case((and_(column >= lower, *([column < upper] if upper else [])), 1), else_=0)), 0)
            for lower, upper in pairwise(bounds)]
    row = db.session.execute(select(*sums).where(column >= bounds[0], *where)).one()
    return [int(value) for value in row]


def trends(today: date) -> dict:
    """Per quarter: applications submitted, decided (approved, rejected), certificates issued, contact requests
    sent and contracts recorded."""
    starts = quarter_starts(today)
    return {
        "quarters": [f"{d.year}-Q{(d.month - 1) // 3 + 1}" for d in starts],
        "submitted": _per_quarter(Application.submitted_at, starts),
        "approved": _per_quarter(Application.decided_at, starts, Application.status == "approved"),
        "rejected": _per_quarter(Application.decided_at, starts, Application.status == "rejected"),
        "certificates": _per_quarter(Certificate.issued_at, starts, Certificate.supersedes_id.is_(None)),
        "requests": _per_quarter(ContactRequest.created_at, starts),
        "contracts": _per_quarter(ContactRequest.closed_at, starts, ContactRequest.state == State.CONTRACTED),
    }
