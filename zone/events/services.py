"""``emit(type, data)``: add an event to the outbox in the caller's transaction.

The caller (certificates, admission, agreements, compliance) builds ``data``; this floor only numbers and
stores it. If the change rolls back, so does the event and its number; if it commits, the notices worker
delivers it and the feed shows it.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select, text

from zone.database import utcnow
from zone.events.models import EVENT_TYPES, Event, EventHead
from zone.extensions import db


def emit(type_: str, data: dict, *, occurred_at: datetime | None = None) -> Event:
    """Number and store one event of ``type_`` (one of ``EVENT_TYPES``); ``data`` must name its ``side`` and
    ``serial``. The head row is locked until the transaction ends, so numbers follow commit order."""
    if type_ not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type_!r}")
    head = _locked_head()
    if head is None:
        # A database whose seed row is gone (emptied tables): put it back once, whoever gets there first.
        db.session.execute(text("INSERT INTO event_head (id, seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING"))
        head = _locked_head()
    head.seq += 1
    event = Event(seq=head.seq, id=f"evt_{secrets.token_hex(12)}", type=type_, side=data["side"],
                  subject=str(data.get("serial") or "")[:40], occurred_at=occurred_at or utcnow(), data=data)
    db.session.add(event)
    db.session.flush()
    return event


def _locked_head() -> EventHead | None:
    # populate_existing: after waiting for the lock, take the number the other writer committed.
    return db.session.scalars(select(EventHead).where(EventHead.id == 1).with_for_update()
                              .execution_options(populate_existing=True)).one_or_none()


def head_seq() -> int:
    """The number of the last committed (or own pending) event; 0 when there is none."""
    return db.session.scalar(select(EventHead.seq).where(EventHead.id == 1)) or 0
