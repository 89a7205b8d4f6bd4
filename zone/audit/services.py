"""Recording audit events.

``record()`` may be called anywhere inside a unit of work; the event is written when the transaction
commits (a ``before_commit`` hook), in that same transaction: a rolled-back change leaves no event and
a committed change always has its event. Writing at commit time takes the chain-head lock last and for
the shortest time, so it never deadlocks with row locks taken earlier.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from flask_sqlalchemy.session import Session
from sqlalchemy import event, select

from zone.audit.models import AuditEvent, AuditHead
from zone.database import utcnow
from zone.extensions import db

_PENDING_KEY = "zone_audit_pending"
GENESIS_HASH = ""


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def format_time(value: datetime) -> str:
    """UTC with microseconds; naive values (SQLite) are UTC by convention."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_content(entry: AuditEvent) -> str:
    """The exact text an event's hash covers (besides the previous hash)."""
    content = {
        "seq": entry.seq,
        "at": format_time(entry.at),
        "actor_id": entry.actor_id,
        "actor": entry.actor,
        "ip": entry.ip,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "details": entry.details or {},
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, entry: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + "\n" + canonical_content(entry)).encode("utf-8")).hexdigest()


def _object_ref(obj: Any) -> tuple[str | None, str | None]:
    if obj is None:
        return None, None
    object_type = getattr(obj, "audit_type", None) or getattr(obj, "__tablename__", type(obj).__name__)
    ident = getattr(obj, "audit_id", None) or getattr(obj, "id", None)
    return str(object_type), (str(ident) if ident is not None else None)


def record(action: str, obj: Any = None, *, details: dict | None = None, actor: Any = None,
           actor_label: str | None = None, object_type: str | None = None,
           object_id: Any = None) -> None:
    """Queue an audit event for the current transaction.

    ``action`` is a dotted name such as ``application.submit``; ``obj`` a model instance (its table
    name and id are recorded; flush first if the id is not assigned yet) or pass ``object_type`` and
    ``object_id``; ``actor`` defaults to the signed-in user.
    """
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user
    if obj is not None and getattr(obj, "id", 1) is None:
        db.session.flush()
    ref_type, ref_id = _object_ref(obj)
    entry = {
        "at": utcnow(),
        "actor_id": getattr(actor, "id", None),
        "actor": actor_label or getattr(actor, "email", None) or ("system" if actor is None else str(actor)),
        "ip": request.remote_addr if has_request_context() else None,
        "action": action,
        "object_type": object_type or ref_type,
        "object_id": str(object_id) if object_id is not None else ref_id,
        "details": _jsonable(details or {}),
    }
    db.session.info.setdefault(_PENDING_KEY, []).append(entry)


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    seq, prev = head.seq, head.hash
    for item in pending:
        seq += 1
        entry = AuditEvent(seq=seq, prev_hash=prev, **item)
        entry.hash = chain_hash(prev, entry)
        session.add(entry)
        prev = entry.hash
    head.seq, head.hash = seq, prev
    session.flush()


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    length: int
    head_hash: str
    first_bad_seq: int | None

    def to_dict(self) -> dict:
        return {"ok": self.ok, "length": self.length, "head_hash": self.head_hash,
                "first_bad_seq": self.first_bad_seq}


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain in sequence order and report the first entry that does not fit.

    Detects an edited entry (its hash no longer matches), a deleted or inserted one (a gap or a
    repeated sequence number, or a ``prev_hash`` that does not link), a reordered one, and a head
    that does not match the last entry.
    """
    expected_seq, prev = 1, GENESIS_HASH
    last_seq = 0
    stmt = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch_size)
    for entry in db.session.scalars(stmt):
        if entry.seq != expected_seq or entry.prev_hash != prev or chain_hash(prev, entry) != entry.hash:
            return ChainReport(False, last_seq, prev, expected_seq if entry.seq > expected_seq else entry.seq)
        prev, last_seq, expected_seq = entry.hash, entry.seq, expected_seq + 1
    head = db.session.get(AuditHead, 1)
    if head is None or head.seq != last_seq or head.hash != prev:
        return ChainReport(False, last_seq, prev, last_seq + 1 if head and head.seq > last_seq else last_seq)
    return ChainReport(True, last_seq, prev, None)
