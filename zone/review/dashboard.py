"""Staff dashboard: a handful of aggregate queries turned into bar charts.

Four queries whatever the number of applications: status × side, investment by sector, decision times
(a median per month; PostgreSQL computes it, SQLite returns the day counts), and the overdue count.

Domains on a higher floor add their own tiles (compliance: open cases by stage) with :func:`register_tile`
at app creation: the dashboard draws what was registered and never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median

from flask import Flask, current_app
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from zone.applications.models import Application
from zone.applications.workflow import OPEN_STATUSES, STATUS_LABELS, Status
from zone.calendar import local_date, zone_timezone
from zone.calendar import today as zone_today
from zone.database import is_postgresql
from zone.extensions import db
from zone.review.charts import PALETTE, Chart, bar_chart
from zone.review.labels import sector_label
from zone.review.queue import QUEUE_STATUSES, overdue_clause
from zone.sites.queries import occupancy
from zone.vocabulary import SIDES

MONTHS = 12
TILES = "dashboard_tiles"


@dataclass
class Tile:
    """A chart another domain adds to the dashboard, with a link to where its figures come from."""

    chart: Chart
    url: str | None = None
    link: str | None = None


def register_tile(app: Flask, builder: Callable[[date], Tile]) -> None:
    """Have ``builder(today)`` add a tile to the dashboard of ``app`` (called by higher domains' hooks)."""
    builders = app.extensions.setdefault(TILES, [])
    if builder not in builders:
        builders.append(builder)


@dataclass
class Dashboard:
    status_chart: Chart
    pipeline_chart: Chart
    decision_chart: Chart
    overdue: int
    open_total: int
    median_days: float | None
    decided: int
    pipeline_usd: float
    tiles: list[Tile] = field(default_factory=list)
    occupancy_chart: Chart | None = None

    @property
    def pipeline_text(self) -> str:
        return _usd(self.pipeline_usd)


def _status_side() -> dict[tuple[str, str], int]:
    rows = db.session.execute(
        select(Application.status, Application.side, func.count())
        .where(Application.status != Status.DRAFT).group_by(Application.status, Application.side)
    ).all()
    return {(status, side or "?"): n for status, side, n in rows}


def _pipeline() -> dict[str, tuple[float, float]]:
    """USD invested by sector: (open applications, approved ones)."""
    is_open = Application.status.in_(OPEN_STATUSES)
    usd = func.coalesce(Application.investment_usd, 0)
    rows = db.session.execute(
        select(Application.sector,
               func.sum(case((is_open, usd), else_=0)),
               func.sum(case((Application.status == Status.APPROVED, usd), else_=0)))
        .where(Application.status.in_((*OPEN_STATUSES, Status.APPROVED)))
        .group_by(Application.sector)
    ).all()
    return {sector or "": (float(o or 0), float(a or 0)) for sector, o, a in rows}


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _months_back(today: date, n: int) -> list[date]:
    months, current = [], _month_start(today)
    for _step in range(n):
        months.append(current)
        current = _month_start(current - timedelta(days=1))
    return list(reversed(months))


def _decision_times(since: datetime) -> tuple[dict[date, tuple[float, int]], float | None, int]:
    """Median days from submission to decision per month of decision, overall median, and the count."""
    decided = (Application.status.in_((Status.APPROVED, Status.REJECTED)), Application.decided_at.is_not(None),
               Application.submitted_at.is_not(None), Application.decided_at >= since)
    if is_postgresql():
        days = func.extract("epoch", Application.decided_at - Application.submitted_at) / 86400.0
        month = func.date_trunc("month", func.timezone(str(zone_timezone()), Application.decided_at))
        rows = db.session.execute(
            select(month, func.percentile_cont(0.5).within_group(days), func.count())
            .where(*decided).group_by(month)
        ).all()
        overall = db.session.execute(
            select(func.percentile_cont(0.5).within_group(days), func.count()).where(*decided)).one()
        per_month = {m.date(): (float(med), n) for m, med, n in rows}
        return per_month, (float(overall[0]) if overall[0] is not None else None), overall[1]
    rows = db.session.execute(
        select(Application.decided_at,
               func.julianday(Application.decided_at) - func.julianday(Application.submitted_at))
        .where(*decided)
    ).all()
    groups: dict[date, list[float]] = {}
    for decided_at, days in rows:
        groups.setdefault(_month_start(local_date(decided_at)), []).append(float(days))
    per_month = {m: (median(v), len(v)) for m, v in groups.items()}
    everything = [float(d) for _at, d in rows]
    return per_month, (median(everything) if everything else None), len(everything)


def _count(value: float) -> str:
    return format_decimal(value, format="#,##0")


def _usd(value: float) -> str:
    if value >= 1_000_000:
        return _("USD %(amount)s m", amount=format_decimal(value / 1_000_000, format="#,##0.0"))
    return _("USD %(amount)s", amount=format_decimal(value, format="#,##0"))


def _days(value: float) -> str:
    return _("%(days)s d", days=format_decimal(value, format="#,##0.0"))


def _area(value: float) -> str:
    return _("%(area)s m²", area=format_decimal(round(value)))


def occupancy_chart() -> Chart:
    """The sites of each side by area, leased and not (one query, :func:`zone.sites.queries.occupancy`)."""
    figures = occupancy()
    rows = [(side, [float(o.leased_area_m2), float(o.area_m2 - o.leased_area_m2)]) for side, o in figures.items()]
    summary = "; ".join(
        _("%(side)s: %(n)s sites, %(area)s, %(share)s leased", side=side, n=_count(o.sites),
          area=_area(float(o.area_m2)), share=format_decimal(float(o.leased_share) * 100, format="#,##0.#") + " %")
        for side, o in figures.items())
    return bar_chart("chart-sites", _("Site occupancy by side (area, m²)"), summary, rows,
                     [(_("Leased"), PALETTE["KZ"]), (_("Free or reserved"), PALETTE["open"])], _area)


def build(today: date | None = None) -> Dashboard:
    """Compute the dashboard's figures and charts."""
    today = today or zone_today()
    counts = _status_side()
    status_rows = [(str(STATUS_LABELS[s]), [counts.get((s.value, side), 0) for side in SIDES])
                   for s in QUEUE_STATUSES]
    total = sum(counts.values())
    status_chart = bar_chart(
        "chart-status", _("Applications by status and side"),
        _("%(total)s applications submitted; bars show each status split into the Kazakh and Uzbek sides.",
          total=_count(total)),
        status_rows, [(_("Kazakh side (KZ)"), PALETTE["KZ"]), (_("Uzbek side (UZ)"), PALETTE["UZ"])], _count)

    pipeline = _pipeline()
    pipeline_rows = sorted(((sector_label(sector), list(values)) for sector, values in pipeline.items()),
                           key=lambda row: -sum(row[1]))
    pipeline_usd = sum(v[0] for v in pipeline.values())
    pipeline_chart = bar_chart(
        "chart-pipeline", _("Investment by sector (USD)"),
        _("Planned investment of open applications (%(open)s) and of approved residents, by sector.",
          open=_usd(pipeline_usd)),
        pipeline_rows, [(_("Open applications"), PALETTE["open"]), (_("Approved"), PALETTE["approved"])], _usd)

    since_month = _months_back(today, MONTHS)[0]
    since = datetime.combine(since_month, time.min, tzinfo=zone_timezone())
    per_month, overall, decided = _decision_times(since)
    decision_rows = [(format_date(m, "LLLL yyyy"), [per_month[m][0] if m in per_month else None])
                     for m in _months_back(today, MONTHS)]
    decision_chart = bar_chart(
        "chart-decisions", _("Median time to decision, by month of decision (days)"),
        _("Median days from submission to decision over the last 12 months: %(days)s (%(n)s decisions).",
          days=_days(overall) if overall is not None else "—", n=_count(decided)),
        decision_rows, [(_("Median days"), PALETTE["bar"])], _days)

    overdue = db.session.scalar(select(func.count()).select_from(Application).where(overdue_clause(today))) or 0
    open_total = sum(n for (status, _side), n in counts.items() if status in {s.value for s in OPEN_STATUSES})
    tiles = [builder(today) for builder in current_app.extensions.get(TILES, ())]
    return Dashboard(status_chart, pipeline_chart, decision_chart, overdue, open_total, overall, decided,
                     pipeline_usd, tiles, occupancy_chart())
