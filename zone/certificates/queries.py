"""Reading certificates: lookups, the staff list with filters and the public register.

Public lookups answer ``None`` alike for "no such certificate" and "it exists but the tax id does
not match", so a guessed serial reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, or_, select

from zone.calendar import zone_timezone
from zone.certificates.models import Certificate, CertificateEvent
from zone.certificates.models import CertificateStatus as S
from zone.companies.taxid import normalise_tax_id
from zone.extensions import db
from zone.vocabulary import SECTORS

SERIAL_MAX = 24
TAX_ID_MAX = 20


def normalise_serial(value: str | None) -> str:
    return "".join((value or "").split())[:SERIAL_MAX].upper()


def by_serial(serial: str) -> Certificate | None:
    return db.session.scalars(select(Certificate).where(Certificate.serial == normalise_serial(serial))).first()


def certificate_for_update(serial: str) -> Certificate | None:
    """The certificate locked until the transaction ends (a row lock on PostgreSQL)."""
    return db.session.scalars(
        select(Certificate)
        .where(Certificate.serial == normalise_serial(serial))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def by_token(token: str) -> Certificate | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalars(select(Certificate).where(Certificate.verify_token == token)).first()


def by_serial_and_tax_id(serial: str, tax_id: str) -> Certificate | None:
    """The certificate only when both match."""
    serial, tax_id = normalise_serial(serial), normalise_tax_id(tax_id)[:TAX_ID_MAX]
    if not serial or not tax_id:
        return None
    return db.session.scalars(
        select(Certificate).where(Certificate.serial == serial, Certificate.company_tax_id == tax_id)
    ).first()


def by_sha256(digest: str) -> Certificate | None:
    return db.session.scalars(select(Certificate).where(Certificate.sha256 == digest)).first()


def history(certificate: Certificate) -> list[CertificateEvent]:
    return list(
        db.session.scalars(
            select(CertificateEvent)
            .where(CertificateEvent.certificate_id == certificate.id)
            .order_by(CertificateEvent.id)
        )
    )


@dataclass
class CertificateFilter:
    """Staff list filters (all optional). ``status`` is the stored status; ``expired`` also finds live
    certificates past their validity."""

    status: str | None = None
    side: str | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    search: str | None = None
    company_id: int | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone_timezone())


def filtered(f: CertificateFilter, today: date) -> Select:
    """The certificates matching ``f``, newest first (order: id descending)."""
    stmt = select(Certificate)
    if f.status == S.EXPIRED:
        stmt = stmt.where(
            or_(
                Certificate.status == S.EXPIRED,
                (Certificate.status.in_([S.ACTIVE, S.SUSPENDED])) & (Certificate.valid_until < today),
            )
        )
    elif f.status in (S.ACTIVE, S.SUSPENDED):
        stmt = stmt.where(Certificate.status == f.status, Certificate.valid_until >= today)
    elif f.status:
        stmt = stmt.where(Certificate.status == f.status)
    if f.side:
        stmt = stmt.where(Certificate.side == f.side)
    if f.issued_from:
        stmt = stmt.where(Certificate.issued_at >= _day_start(f.issued_from))
    if f.issued_to:
        stmt = stmt.where(Certificate.issued_at < _day_start(f.issued_to + timedelta(days=1)))
    if f.company_id is not None:
        stmt = stmt.where(Certificate.company_id == f.company_id)
    if f.search:
        stmt = stmt.where(_search(f.search))
    return stmt.order_by(Certificate.id.desc())


def _search(text: str):
    needle = text.strip()[:100]
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(
        Certificate.company_name_folded.like(f"%{escaped.casefold()}%", escape="\\"),
        Certificate.serial.like(f"%{escaped.upper()}%", escape="\\"),
        Certificate.company_tax_id == normalise_tax_id(needle)[:TAX_ID_MAX],
    )


def page(stmt: Select, limit: int, after_id: int | None) -> tuple[list[Certificate], int | None]:
    """One keyset page of a statement ordered by id descending, and the id to continue after."""
    if after_id is not None:
        stmt = stmt.where(Certificate.id < after_id)
    rows = list(db.session.scalars(stmt.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more and rows else None)


@dataclass
class RegisterFilter:
    side: str | None = None
    sector: str | None = None
    search: str | None = None


def register(f: RegisterFilter, today: date) -> Select:
    """The public register: residents whose certificate is active and in force today, by name."""
    stmt = select(Certificate).where(Certificate.status == S.ACTIVE, Certificate.valid_until >= today)
    if f.side:
        stmt = stmt.where(Certificate.side == f.side)
    if f.sector:
        stmt = stmt.where(Certificate.sector == f.sector)
    if f.search:
        stmt = stmt.where(_search(f.search))
    return stmt.order_by(Certificate.company_name, Certificate.id)


def filter_from_args(args) -> tuple[CertificateFilter, dict[str, str]]:
    """A staff list filter from query arguments, and the names of the arguments that were invalid."""
    errors: dict[str, str] = {}
    f = CertificateFilter()
    status = args.get("status") or None
    if status and status not in {s.value for s in S}:
        errors["status"] = status
    else:
        f.status = status
    side = (args.get("side") or "").upper() or None
    if side and side not in ("KZ", "UZ"):
        errors["side"] = side
    else:
        f.side = side
    for name in ("issued_from", "issued_to"):
        raw = args.get(name)
        if raw:
            try:
                setattr(f, name, date.fromisoformat(raw))
            except ValueError:
                errors[name] = raw
    f.search = (args.get("q") or "").strip()[:100] or None
    return f, errors


def register_filter_from_args(args) -> RegisterFilter:
    """Register filters from query arguments; unknown values are ignored (it is a public page)."""
    side = (args.get("side") or "").upper()
    sector = args.get("sector") or ""
    return RegisterFilter(
        side=side if side in ("KZ", "UZ") else None,
        sector=sector if sector in SECTORS else None,
        search=(args.get("q") or "").strip()[:100] or None,
    )
