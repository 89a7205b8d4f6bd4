"""The review queue: filters, search, sorting and keyset pagination over submitted applications.

One query returns a page with everything a row shows (company and assignee joined in); a second one
counts applications per status (a GROUP BY on an index). No OFFSET and no total count of the
filtered rows, so a page costs the same at 100,000 applications as at 100.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, literal, or_, select, tuple_
from sqlalchemy.orm import contains_eager, noload

from zone.accounts.models import User
from zone.api.common import decode_cursor, encode_cursor
from zone.applications.models import Application
from zone.applications.workflow import OPEN_STATUSES, Status
from zone.calendar import today as zone_today
from zone.calendar import zone_timezone
from zone.companies.models import Company
from zone.extensions import db

# Statuses whose review clock is running (the company is not being waited for).
CLOCK_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.RECOMMENDED)
QUEUE_STATUSES = tuple(s for s in Status if s != Status.DRAFT)

FAR_FUTURE = date(9999, 12, 31)

SORTS = {
    "submitted": _l("Oldest first"),
    "-submitted": _l("Newest first"),
    "deadline": _l("Deadline, soonest first"),
    "-investment": _l("Investment, largest first"),
}
DEFAULT_SORT = "submitted"


@dataclass
class QueueFilters:
    """What the queue shows. ``status`` is ``open`` (default), ``all`` or one status."""

    status: str = "open"
    side: str | None = None
    sector: str | None = None
    assignee: str | None = None  # "mine", "unassigned" or a user id
    submitted_from: date | None = None
    submitted_to: date | None = None
    overdue: bool = False
    q: str | None = None
    sort: str = DEFAULT_SORT
    errors: dict[str, str] = field(default_factory=dict)

    def query_args(self) -> dict[str, str]:
        """The filters as URL parameters (for pagination links)."""
        args = {"status": self.status, "side": self.side, "sector": self.sector, "assignee": self.assignee,
                "from": self.submitted_from.isoformat() if self.submitted_from else None,
                "to": self.submitted_to.isoformat() if self.submitted_to else None,
                "overdue": "1" if self.overdue else None, "q": self.q, "sort": self.sort}
        return {k: v for k, v in args.items() if v not in (None, "")}


def _date_arg(args, name: str, errors: dict) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = str(_l("Enter a date as YYYY-MM-DD."))
        return None


def parse_filters(args) -> QueueFilters:
    """Read the filters from query arguments; bad values are ignored and reported in ``errors``."""
    errors: dict[str, str] = {}
    status = args.get("status") or "open"
    if status not in ("open", "all", *(s.value for s in QUEUE_STATUSES)):
        errors["status"] = str(_l("Unknown status."))
        status = "open"
    side = args.get("side") or None
    if side not in (None, "KZ", "UZ"):
        errors["side"] = str(_l("Unknown side."))
        side = None
    assignee = args.get("assignee") or None
    if assignee not in (None, "mine", "unassigned") and not str(assignee).isdigit():
        errors["assignee"] = str(_l("Unknown assignee."))
        assignee = None
    sort = args.get("sort") or DEFAULT_SORT
    if sort not in SORTS:
        sort = DEFAULT_SORT
    q = (args.get("q") or "").strip()[:100] or None
    sector = (args.get("sector") or "").strip()[:40] or None
    return QueueFilters(status=status, side=side, sector=sector, assignee=assignee,
                        submitted_from=_date_arg(args, "from", errors), submitted_to=_date_arg(args, "to", errors),
                        overdue=args.get("overdue") in ("1", "on", "true"), q=q, sort=sort, errors=errors)


def overdue_clause(today: date):
    """SQL: the review clock runs and its deadline has passed."""
    return and_(Application.status.in_(CLOCK_STATUSES), Application.review_deadline < today)


def _sort_key(sort: str):
    """(SQL expression, descending?, python type of the cursor value)."""
    if sort in ("submitted", "-submitted"):
        return Application.submitted_at, sort.startswith("-"), datetime
    if sort == "deadline":
        return func.coalesce(Application.review_deadline, literal(FAR_FUTURE)), False, date
    return func.coalesce(Application.investment_usd, literal(Decimal(-1))), True, Decimal


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _spellings(text: str) -> set[str]:
    return {text.lower(), text.upper(), text.capitalize(), text.title()} - {text}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone_timezone())


def filtered(filters: QueueFilters, user: User, today: date):
    """The ids of the applications the filters select, as a SELECT on ``applications`` alone (no ordering
    or paging): ordering and LIMIT run on narrow rows, and only one page is joined to its company."""
    stmt = select(Application.id).where(Application.status != Status.DRAFT, Application.submitted_at.is_not(None))
    if filters.status == "open":
        stmt = stmt.where(Application.status.in_(OPEN_STATUSES))
    elif filters.status != "all":
        stmt = stmt.where(Application.status == filters.status)
    if filters.side:
        stmt = stmt.where(Application.side == filters.side)
    if filters.sector:
        stmt = stmt.where(Application.sector == filters.sector)
    if filters.assignee == "mine":
        stmt = stmt.where(Application.assignee_id == user.id)
    elif filters.assignee == "unassigned":
        stmt = stmt.where(Application.assignee_id.is_(None))
    elif filters.assignee:
        stmt = stmt.where(Application.assignee_id == int(filters.assignee))
    if filters.submitted_from:
        stmt = stmt.where(Application.submitted_at >= _start_of(filters.submitted_from))
    if filters.submitted_to:
        stmt = stmt.where(Application.submitted_at < _start_of(filters.submitted_to + timedelta(days=1)))
    if filters.overdue:
        stmt = stmt.where(overdue_clause(today))
    if filters.q:
        text = filters.q
        pattern = f"%{_escape_like(text)}%"
        # ILIKE folds only ASCII on SQLite (and under a C locale on PostgreSQL): also try the usual
        # spellings of the text, so "туран" finds «Туран Агромаш».
        companies = [Company.name.ilike(pattern, escape="\\"), Company.name_en.ilike(pattern, escape="\\")]
        companies += [Company.name.like(f"%{_escape_like(v)}%", escape="\\") for v in _spellings(text)]
        compact = text.replace(" ", "")
        if compact.isdigit():
            companies.append(Company.tax_id.like(f"{_escape_like(compact)}%", escape="\\"))
        stmt = stmt.where(or_(Application.number.ilike(pattern, escape="\\"),
                              Application.project_title.ilike(pattern, escape="\\"),
                              Application.company_id.in_(select(Company.id).where(or_(*companies)))))
    return stmt


@dataclass
class QueuePage:
    rows: list[Application]
    next_cursor: str | None
    counts: dict[str, int]
    today: date


def _cursor_value(value, kind):
    if value is None:
        return None
    if kind is datetime:
        return value.isoformat()
    if kind is date:
        return value.isoformat()
    return str(value)


def _parse_cursor_value(raw, kind):
    try:
        if kind is datetime:
            return datetime.fromisoformat(raw)
        if kind is date:
            return date.fromisoformat(raw)
        return Decimal(raw)
    except (TypeError, ValueError, ArithmeticError):
        from zone.errors import ZoneError

        raise ZoneError(_l("The cursor is not valid; start again from the first page."), code="bad_cursor") from None


def page(filters: QueueFilters, user: User, *, limit: int = 50, cursor: str | None = None,
         today: date | None = None) -> QueuePage:
    """One page of the queue after ``cursor`` (an opaque string from the previous page)."""
    today = today or zone_today()
    key, descending, kind = _sort_key(filters.sort)
    ids = filtered(filters, user, today)
    values = decode_cursor(cursor, 3)
    if values is not None:
        if values[0] != filters.sort or not isinstance(values[2], int):
            from zone.errors import ZoneError

            raise ZoneError(_l("The cursor is not valid; start again from the first page."), code="bad_cursor")
        boundary = tuple_(key, Application.id)
        after = tuple_(literal(_parse_cursor_value(values[1], kind), type_=key.type), literal(values[2]))
        ids = ids.where(boundary < after if descending else boundary > after)
    order = (key.desc(), Application.id.desc()) if descending else (key.asc(), Application.id.asc())
    stmt = (
        select(Application)
        .join(Company, Company.id == Application.company_id)
        .outerjoin(User, User.id == Application.assignee_id)
        .options(contains_eager(Application.company), contains_eager(Application.assignee).noload(User.company))
        .where(Application.id.in_(ids.order_by(*order).limit(limit + 1)))
        .order_by(*order)
    )
    rows = list(db.session.scalars(stmt).unique())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        raw = {"submitted": last.submitted_at, "-submitted": last.submitted_at,
               "deadline": last.review_deadline or FAR_FUTURE,
               "-investment": last.investment_usd if last.investment_usd is not None else Decimal(-1)}[filters.sort]
        next_cursor = encode_cursor([filters.sort, _cursor_value(raw, kind), last.id])
    return QueuePage(rows=rows, next_cursor=next_cursor, counts=status_counts(), today=today)


def status_counts() -> dict[str, int]:
    """How many applications wait in each open status: one GROUP BY over the status index.

    Decided applications are not counted: their number only grows with the years and counting them
    would make every queue view slower as the archive grows; their tabs are shown without a number.
    """
    rows = db.session.execute(
        select(Application.status, func.count()).where(Application.status.in_([s.value for s in OPEN_STATUSES]))
        .group_by(Application.status)
    ).all()
    counts = {s.value: 0 for s in OPEN_STATUSES}
    counts.update(dict(rows))
    return counts


def assignable_reviewers() -> list[User]:
    """Active reviewers, for the assignee filter and reassignment."""
    return list(db.session.scalars(
        select(User).where(User.role == "reviewer", User.active.is_(True)).options(noload(User.company))
        .order_by(User.full_name, User.email)
    ))
