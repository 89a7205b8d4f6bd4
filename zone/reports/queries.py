"""Reading reports: one report, a period's head, the previous filed figures, filtered lists and the staff
queue with keyset paging (as the review queue: no OFFSET, a cursor of the sort key and the id)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, func, literal, select, true, tuple_

from zone.agreements.models import Agreement
from zone.api.common import decode_cursor, encode_cursor
from zone.database import get_for_update
from zone.errors import ZoneError
from zone.extensions import db
from zone.reports import periods
from zone.reports.models import Report, ReportDocument, ReportEvent, ReportReminder
from zone.reports.workflow import FILED, OPEN, Status

QUEUE_TABS = ("open", "overdue", "draft", "submitted", "returned", "accepted", "all")


def by_id(report_id: int) -> Report | None:
    return db.session.get(Report, report_id)


def for_update(report_id: int) -> Report | None:
    return get_for_update(Report, report_id)


def head(agreement_id: int, period: str) -> Report | None:
    return db.session.scalar(select(Report).where(Report.agreement_id == agreement_id, Report.period == period,
                                                  Report.head.is_(True)))


def previous_filed(agreement_id: int, period: periods.Period) -> Report | None:
    """The newest filed report of the same kind for an earlier period (for prefill and cumulative checks)."""
    earlier = db.session.scalars(
        select(Report).where(Report.agreement_id == agreement_id, Report.kind == period.kind,
                             Report.head.is_(True), Report.status.in_([s.value for s in FILED]),
                             Report.period_end < period.start)
        .order_by(Report.period_end.desc()).limit(1))
    return earlier.first()


def heads_of(agreement_id: int) -> list[Report]:
    return list(db.session.scalars(select(Report).where(Report.agreement_id == agreement_id, Report.head.is_(True))
                                   .order_by(Report.period_end, Report.kind.desc())))


def versions(report: Report) -> list[Report]:
    """Every version of the report's period, newest first."""
    return list(db.session.scalars(select(Report).where(Report.agreement_id == report.agreement_id,
                                                        Report.period == report.period)
                                   .order_by(Report.revision.desc())))


def history(report: Report) -> list[ReportEvent]:
    return list(db.session.scalars(select(ReportEvent).where(ReportEvent.report_id == report.id)
                                   .order_by(ReportEvent.id)))


def documents(report: Report) -> list[ReportDocument]:
    """The documents of the report and of the versions it corrects, newest first."""
    ids = [v.id for v in versions(report) if v.revision <= report.revision]
    return list(db.session.scalars(select(ReportDocument).where(ReportDocument.report_id.in_(ids))
                                   .order_by(ReportDocument.id.desc())))


def document(report: Report, document_id: int) -> ReportDocument | None:
    return next((d for d in documents(report) if d.id == document_id), None)


@dataclass
class ReportFilter:
    agreement: str | None = None
    status: str | None = None
    period: str | None = None
    company_id: int | None = None
    tab: str = "open"
    errors: list[str] = field(default_factory=list)


def filter_from_args(args) -> ReportFilter:
    """?agreement=, ?status=, ?period= (and the queue's ?tab=); unknown values are listed in ``errors``."""
    f = ReportFilter()
    if args.get("agreement"):
        f.agreement = args["agreement"].strip()[:24]
    status = args.get("status") or None
    if status is not None:
        if status in {s.value for s in Status}:
            f.status = status
        else:
            f.errors.append("status")
    period = args.get("period") or None
    if period is not None:
        parsed = periods.parse(period)
        if parsed is None:
            f.errors.append("period")
        else:
            f.period = parsed.code
    tab = args.get("tab") or "open"
    f.tab = tab if tab in QUEUE_TABS else "open"
    return f


def filtered(f: ReportFilter, today: date | None = None):
    """Heads of version chains the filter selects (a SELECT of reports, not ordered)."""
    stmt = select(Report).where(Report.head.is_(True))
    if f.company_id is not None:
        stmt = stmt.where(Report.company_id == f.company_id)
    if f.agreement:
        stmt = stmt.where(Report.agreement_id.in_(select(Agreement.id).where(Agreement.number == f.agreement)))
    if f.status:
        stmt = stmt.where(Report.status == f.status)
    if f.period:
        stmt = stmt.where(Report.period == f.period)
    if f.tab == "open":
        stmt = stmt.where(Report.in_queue == true())
    elif f.tab == "overdue":
        stmt = stmt.where(Report.in_queue == true(), Report.due < today,
                          Report.status.in_([Status.DRAFT.value, Status.RETURNED.value]))
    elif f.tab != "all":  # a status tab; the in_queue term (implied by the status) lets the index give the order
        stmt = stmt.where(Report.status == f.tab, Report.in_queue == (true() if f.tab in OPEN else false()))
    return stmt


def _bad_cursor() -> ZoneError:
    return ZoneError(_l("The cursor is not valid; start again from the first page."), code="bad_cursor")


def page(stmt, limit: int, cursor: str | None) -> tuple[list[Report], str | None]:
    """One page ordered by due date, then id, after ``cursor``; and the cursor of the next page."""
    values = decode_cursor(cursor, 2)
    if values is not None:
        if not isinstance(values[0], str) or isinstance(values[1], bool) or not isinstance(values[1], int):
            raise _bad_cursor()
        try:
            after_due = date.fromisoformat(values[0])
        except ValueError:
            raise _bad_cursor() from None
        stmt = stmt.where(tuple_(Report.due, Report.id) > tuple_(literal(after_due, type_=Report.due.type),
                                                                 literal(values[1])))
    rows = list(db.session.scalars(stmt.order_by(Report.due, Report.id).limit(limit + 1)).unique())
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_cursor([rows[-1].due.isoformat(), rows[-1].id])
    return rows, None


COUNT_CAP = 1000  # a tab shows "1000+" beyond this: counting every open report would grow with the years


def _capped_count(*where) -> int:
    """How many heads match, counted up to COUNT_CAP + 1 (an index range of bounded length)."""
    bounded = select(Report.id).where(Report.in_queue == true(), *where).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(bounded)) or 0


def tab_counts(today: date) -> dict[str, int]:
    """How many reports wait in each open status, and how many are overdue, each capped at COUNT_CAP + 1
    (the page shows "1000+"): a constant number of bounded statements whatever the size of the table."""
    counts = {s.value: _capped_count(Report.status == s.value) for s in OPEN}
    counts["overdue"] = _capped_count(Report.due < today,
                                      Report.status.in_([Status.DRAFT.value, Status.RETURNED.value]))
    return counts


def not_started_overdue(limit: int = 50) -> list[tuple[ReportReminder, Agreement]]:
    """Periods the company was told are overdue and for which it has not even started a report (as the daily
    ``reports remind`` found them), oldest due date first."""
    started = select(Report.id).where(Report.agreement_id == ReportReminder.agreement_id,
                                      Report.period == ReportReminder.period)
    stmt = (select(ReportReminder, Agreement).join(Agreement, Agreement.id == ReportReminder.agreement_id)
            .where(ReportReminder.kind == "overdue", ~started.exists())
            .order_by(ReportReminder.due, ReportReminder.id).limit(limit))
    return [tuple(row) for row in db.session.execute(stmt).all()]
