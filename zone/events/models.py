"""The event outbox and its head.

``events`` is the ordered, gap-free list of what the authorities must learn (inclusions, suspensions,
reinstatements, revocations, expiries, lost benefit years, agreements). ``event_head`` is one row holding
the last sequence number: a writer locks it, so sequence numbers are handed out in commit order, without
gaps, and a reader who sees event ``n`` has already been able to see every event before it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, DateTime, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.schema import DDL

from zone.database import utcnow
from zone.extensions import db

EVENT_TYPES = (
    "certificate.issued",
    "certificate.suspended",
    "certificate.reinstated",
    "certificate.revoked",
    "certificate.expired",
    "certificate.superseded",
    "agreement.concluded",
    "agreement.terminated",
    "benefit.year_not_applicable",
)
SEQUENCE = BigInteger().with_variant(Integer, "sqlite")


class Event(db.Model):
    __tablename__ = "events"
    audit_type = "event"
    __table_args__ = (
        CheckConstraint("seq > 0", name="event_seq_positive"),
        CheckConstraint("side IN ('KZ', 'UZ')", name="event_side_known"),
        db.Index("ix_events_type_seq", "type", "seq"),
    )

    seq: Mapped[int] = mapped_column(SEQUENCE, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(40), unique=True)  # evt_…: the webhook-id and the feed's id
    type: Mapped[str] = mapped_column(String(40))
    side: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(40), index=True)  # the certificate's serial
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    data: Mapped[dict] = mapped_column(JSON)

    def payload(self) -> dict:
        """The notice as it is sent and as the feed shows it; the same bytes on every retry."""
        return {"id": self.id, "type": self.type, "occurred_at": _iso(self.occurred_at), "data": self.data}


class EventHead(db.Model):
    __tablename__ = "event_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(SEQUENCE, default=0)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back the stored UTC time without its zone
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


event.listen(EventHead.__table__, "after_create", DDL("INSERT INTO event_head (id, seq) VALUES (1, 0)"))
