"""The certificate register as staff and auditors read it: filters, pages, "as of" a past date, and
server-side iteration for the exports.

The status shown is the *effective* one: a live (active or suspended) certificate past its validity
reads as expired, as on the certificate's own page. "As of" a date D shows the register as it stood at
the end of D (zone time): certificates issued by then, each in the status its history
(``CertificateEvent``) had recorded by then.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Row, and_, case, func, literal, or_, select

from zone.calendar import today, zone_timezone
from zone.certificates.models import LIVE_STATUSES, Certificate, CertificateEvent, CertificateStatus
from zone.extensions import db

STATUSES = tuple(s.value for s in CertificateStatus)
MAX_SELECTED = 500
SEARCH_MAX = 100


@dataclass(frozen=True)
class RegisterFilter:
    """Filters of the register (all optional). ``company`` matches the company name (contains, any
    case) or its tax id (starts with); ``serials`` restricts to selected certificates."""

    status: str | None = None
    side: str | None = None
    sector: str | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    company: str | None = None
    as_of: date | None = None
    serials: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> dict:
        """The filter as plain JSON values (for the audit record of an export)."""
        return {k: (v.isoformat() if isinstance(v, date) else list(v) if isinstance(v, tuple) else v)
                for k, v in asdict(self).items() if v}


def day_start(day: date) -> datetime:
    """The first moment of ``day`` in the zone, in UTC."""
    return datetime.combine(day, time(), zone_timezone()).astimezone(UTC)


def _status_columns(f: RegisterFilter):
    """(effective status, since when) as SQL expressions, now or as of ``f.as_of``."""
    day = f.as_of or today()
    if f.as_of is None:
        recorded = Certificate.status
        since = func.coalesce(Certificate.status_changed_at, Certificate.issued_at)
    else:
        cutoff = day_start(f.as_of + timedelta(days=1))
        last = (select(CertificateEvent.id)
                .where(CertificateEvent.certificate_id == Certificate.id, CertificateEvent.at < cutoff)
                .order_by(CertificateEvent.id.desc()).limit(1).correlate(Certificate).scalar_subquery())
        recorded = func.coalesce(
            select(CertificateEvent.to_status).where(CertificateEvent.id == last).scalar_subquery(),
            literal(CertificateStatus.ACTIVE.value))
        since = func.coalesce(
            select(CertificateEvent.at).where(CertificateEvent.id == last).scalar_subquery(), Certificate.issued_at)
    lapsed = and_(recorded.in_([s.value for s in LIVE_STATUSES]), Certificate.valid_until < day)
    return case((lapsed, literal(CertificateStatus.EXPIRED.value)), else_=recorded), since


def _contains_any_case(column, text: str):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if db.engine.dialect.name == "postgresql":
        return column.ilike(f"%{escaped}%", escape="\\")
    # SQLite's lower() knows only ASCII: also try the usual spellings of Cyrillic names.
    variants = {escaped, escaped.lower(), escaped.upper(), escaped.title(), escaped.capitalize()}
    return or_(*[column.like(f"%{v}%", escape="\\") for v in sorted(variants)],
               func.lower(column).like(f"%{escaped.lower()}%", escape="\\"))


def _where(stmt, f: RegisterFilter, status):
    if f.as_of is not None:
        stmt = stmt.where(Certificate.issued_at < day_start(f.as_of + timedelta(days=1)))
    if f.status:
        stmt = stmt.where(status == f.status)
    if f.side:
        stmt = stmt.where(Certificate.side == f.side)
    if f.sector:
        stmt = stmt.where(Certificate.sector == f.sector)
    if f.issued_from:
        stmt = stmt.where(Certificate.issued_at >= day_start(f.issued_from))
    if f.issued_to:
        stmt = stmt.where(Certificate.issued_at < day_start(f.issued_to + timedelta(days=1)))
    if f.company:
        text = f.company.strip()[:SEARCH_MAX]
        digits = "".join(ch for ch in text if ch.isdigit())
        conditions = [_contains_any_case(Certificate.company_name, text)]
        if digits and len(digits) == len(text.replace(" ", "")):
            conditions.append(Certificate.company_tax_id.startswith(digits))
        stmt = stmt.where(or_(*conditions))
    if f.serials:
        stmt = stmt.where(Certificate.serial.in_(f.serials[:MAX_SELECTED]))
    return stmt


REGISTER_COLUMNS = (Certificate.id, Certificate.serial, Certificate.side, Certificate.sector,
                    Certificate.company_id, Certificate.company_name, Certificate.company_tax_id,
                    Certificate.issued_at, Certificate.valid_from, Certificate.valid_until, Certificate.benefits,
                    Certificate.sha256, Certificate.size, Certificate.status.label("stored_status"))


def register_statement(f: RegisterFilter, *, with_pdf: bool = False):
    """Rows of the register matching ``f`` (columns of ``REGISTER_COLUMNS`` plus ``status`` and
    ``status_since``; with ``with_pdf`` also ``pdf``), unordered."""
    status, since = _status_columns(f)
    columns = [*REGISTER_COLUMNS, status.label("status"), since.label("status_since")]
    if with_pdf:
        columns.append(Certificate.pdf)
    return _where(select(*columns), f, status)


def register_page(f: RegisterFilter, *, after_id: int | None = None, limit: int = 50) -> tuple[list[Row], int | None]:
    """One keyset page, newest first, and the id to continue after (None on the last page)."""
    stmt = register_statement(f)
    if after_id is not None:
        stmt = stmt.where(Certificate.id < after_id)
    rows = list(db.session.execute(stmt.order_by(Certificate.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more and rows else None)


def register_count(f: RegisterFilter) -> int:
    return db.session.execute(select(func.count()).select_from(register_statement(f).subquery())).scalar_one()


def export_statement(f: RegisterFilter, *, with_pdf: bool = False):
    """Every matching row in issue order, for an export (build it in the request, run it while streaming)."""
    return register_statement(f, with_pdf=with_pdf).order_by(Certificate.id)
