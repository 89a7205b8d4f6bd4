"""Administrators' changes to a side's official calendar: an extra day off or an extra working day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zone.accounts.models import User
from zone.database import utcnow
from zone.extensions import db


class CalendarOverride(db.Model):
    """One day of one side whose status differs from the official calendar (e.g. a transferred Saturday)."""

    __tablename__ = "calendar_overrides"
    audit_type = "calendar_override"
    __table_args__ = (
        UniqueConstraint("side", "day", name="uq_calendar_overrides_side_day"),
        CheckConstraint("side IN ('KZ', 'UZ')", name="side_known"),
        CheckConstraint("kind IN ('day_off', 'working_day')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    side: Mapped[str] = mapped_column(String(2))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    created_by: Mapped[User | None] = relationship(lazy="joined")
