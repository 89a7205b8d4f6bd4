"""Subscriptions of the authorities' receivers, the deliveries of each event to each, and every attempt.

A subscription takes the events of its types (and side) numbered after the one current when it was made;
``fanned_through`` is the last event sequence number already turned into its deliveries. Deliveries go out
one at a time per subscription, oldest event first, so a receiver sees them in order.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zone.database import utcnow
from zone.events.models import SEQUENCE, Event
from zone.extensions import db


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"


class Subscription(db.Model):
    __tablename__ = "notice_subscriptions"
    audit_type = "subscription"
    __table_args__ = (
        CheckConstraint("side IS NULL OR side IN ('KZ', 'UZ')", name="subscription_side_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(2000))
    side: Mapped[str | None] = mapped_column(String(2))
    events: Mapped[list] = mapped_column(JSON)
    secret: Mapped[str] = mapped_column(String(100))  # whsec_<base64>: the receiver verifies with it
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    fanned_through: Mapped[int] = mapped_column(SEQUENCE, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A worker serving this receiver holds it until then: two workers never post its notices at once.
    leased_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def takes(self, event: Event) -> bool:
        return event.type in (self.events or ()) and (self.side is None or self.side == event.side)


class Delivery(db.Model):
    __tablename__ = "notice_deliveries"
    audit_type = "delivery"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_seq", name="uq_notice_deliveries_event"),
        CheckConstraint("status IN ('pending', 'delivered')", name="delivery_status_known"),
        CheckConstraint("attempts >= 0", name="delivery_attempts_counted"),
        db.Index("ix_notice_deliveries_queue", "subscription_id", "status", "event_seq"),
        db.Index("ix_notice_deliveries_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("notice_subscriptions.id"))
    event_seq: Mapped[int] = mapped_column(SEQUENCE, ForeignKey("events.seq"))
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_on: Mapped[date] = mapped_column(Date)  # the side's deadline: 2 working days after the event
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    subscription: Mapped[Subscription] = relationship()
    event: Mapped[Event] = relationship()


class DeliveryAttempt(db.Model):
    """One POST to a receiver and what came back: the delivery log."""

    __tablename__ = "notice_delivery_attempts"
    __table_args__ = (db.Index("ix_notice_delivery_attempts_delivery", "delivery_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("notice_deliveries.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    replay: Mapped[bool] = mapped_column(Boolean, default=False)


class NoticeLetter(db.Model):
    """The zone-signed bilingual PDF of one event, for an authority without a receiver; its sending recorded."""

    __tablename__ = "notice_letters"
    audit_type = "notice_letter"
    __table_args__ = (CheckConstraint("size > 0 AND length(sha256) = 64", name="letter_fingerprinted"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_seq: Mapped[int] = mapped_column(SEQUENCE, ForeignKey("events.seq"), unique=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_to: Mapped[str | None] = mapped_column(String(300))  # the authority and how (post, courier, e-mail)

    event: Mapped[Event] = relationship()
