"""Reading the audit trail: filters, keyset pages, an object's history, and a streamed iteration."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from zone.audit.models import AuditEvent
from zone.errors import ValidationFailed
from zone.extensions import db

ACTION_MAX = 80


@dataclass(frozen=True)
class EventFilter:
    """Which events to show. ``action`` is exact, or a prefix when it ends with ``.`` or ``*``
    (``auth.*``); ``actor`` is a user id (digits) or an email / label (case-insensitive, exact);
    ``since`` is inclusive and ``until`` exclusive, both aware datetimes."""

    action: str | None = None
    actor: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def is_empty(self) -> bool:
        return not any(asdict(self).values())

    def describe(self) -> dict:
        """The filter as plain JSON values (for the audit record of an export)."""
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(self).items() if v}


def parse_moment(value: str | None, field: str, *, end_of_day: bool = False, tz: str = "UTC") -> datetime | None:
    """An ISO datetime or date; a date means its start (or, with ``end_of_day``, the next day's start)
    in ``tz``; a datetime without offset is in ``tz``. 422 naming ``field`` if it is not one."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day + timedelta(days=1) if end_of_day else day, time(), ZoneInfo(tz))
        else:
            text = text.replace("Z", "+00:00")
            if "T" in text and " " in text:  # an unencoded "+05:00" arrives as " 05:00"
                text = text.replace(" ", "+")
            moment = datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=ZoneInfo(tz))
    except ValueError:
        raise ValidationFailed(_l("Some values are not valid."), fields={
            field: [_l("Use an ISO date or date and time, like 2026-03-01 or 2026-03-01T09:30:00Z.")]}) from None
    return moment.astimezone(UTC)


def _apply(stmt: Select, f: EventFilter) -> Select:
    if f.action:
        action = f.action.strip()[:ACTION_MAX]
        if action.endswith("*") or action.endswith("."):
            prefix = action.rstrip("*")
            escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            stmt = stmt.where(AuditEvent.action.like(escaped + "%", escape="\\"))
        else:
            stmt = stmt.where(AuditEvent.action == action)
    if f.actor:
        actor = f.actor.strip()
        if actor.isdigit():
            stmt = stmt.where(AuditEvent.actor_id == int(actor))
        else:
            stmt = stmt.where(func.lower(AuditEvent.actor) == actor.lower())
    if f.object_type:
        stmt = stmt.where(AuditEvent.object_type == f.object_type.strip())
    if f.object_id:
        stmt = stmt.where(AuditEvent.object_id == f.object_id.strip())
    if f.since:
        stmt = stmt.where(AuditEvent.at >= f.since.astimezone(UTC))
    if f.until:
        stmt = stmt.where(AuditEvent.at < f.until.astimezone(UTC))
    return stmt


def events_page(f: EventFilter, *, after: int | None = None, limit: int = 50,
                newest_first: bool = True) -> tuple[list[AuditEvent], int | None]:
    """One keyset page of events and the seq to continue from (None on the last page).

    ``after`` is the last seq of the previous page: newest first continues below it, oldest first above.
    """
    stmt = _apply(select(AuditEvent), f)
    if after is not None:
        stmt = stmt.where(AuditEvent.seq < after if newest_first else AuditEvent.seq > after)
    stmt = stmt.order_by(AuditEvent.seq.desc() if newest_first else AuditEvent.seq.asc()).limit(limit + 1)
    rows = list(db.session.scalars(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].seq if more and rows else None)


def export_statement(f: EventFilter) -> Select:
    """Every matching event, oldest first (build it in the request, run it while the export streams)."""
    return _apply(select(AuditEvent), f).order_by(AuditEvent.seq)


def object_history(object_type: str, object_id: str) -> list[AuditEvent]:
    """Every event about one object, oldest first."""
    stmt = (select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.seq))
    return list(db.session.scalars(stmt))


def known_actions() -> list[str]:
    """The actions that occur in the trail, for a filter menu."""
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def known_object_types() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.object_type).where(AuditEvent.object_type.is_not(None))
                                   .distinct().order_by(AuditEvent.object_type)))


def last_verification() -> AuditEvent | None:
    """The most recent recorded verification of the chain (``audit.verify``), if any."""
    return db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.verify")
                             .order_by(AuditEvent.seq.desc()).limit(1))


def event_json(entry: AuditEvent) -> dict:
    """An event as the API shows it."""
    from zone.audit.services import format_time

    return {
        "seq": entry.seq, "at": format_time(entry.at), "actor_id": entry.actor_id, "actor": entry.actor,
        "ip": entry.ip, "action": entry.action, "object_type": entry.object_type, "object_id": entry.object_id,
        "details": entry.details or {}, "prev_hash": entry.prev_hash, "hash": entry.hash,
    }
