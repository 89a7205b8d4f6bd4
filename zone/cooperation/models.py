"""Offers (what a resident makes), needs (what it buys) and contact requests between residents.

Offers and needs keep their HS code at the 6-digit level with its heading and chapter beside it, so
matching is three indexed equality joins on prefixes, done by the database. ``side`` is the side of the
company's certificate when the row was made: matching pairs rows of different sides.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zone.companies.models import Company
from zone.cooperation.workflow import State
from zone.database import utcnow
from zone.extensions import db

VOLUME = Numeric(20, 3)
MONEY = Numeric(20, 2)


def _values(enum) -> str:
    return ", ".join(f"'{member.value}'" for member in enum)


class HsCoded:
    """The HS code columns shared by offers and needs: the 6-digit subheading, its heading and chapter."""

    hs_code: Mapped[str] = mapped_column(String(6))
    hs_heading: Mapped[str] = mapped_column(String(4))
    hs_chapter: Mapped[str] = mapped_column(String(2))

    def set_code(self, code: str) -> None:
        self.hs_code, self.hs_heading, self.hs_chapter = code, code[:4], code[:2]


class Offer(HsCoded, db.Model):
    """A product the resident makes, with its yearly capacity."""

    __tablename__ = "cooperation_offers"
    audit_type = "cooperation_offer"
    __table_args__ = (
        CheckConstraint("side IN ('KZ', 'UZ')", name="side_known"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("length(hs_code) = 6", name="hs_code_six_digits"),
        db.Index("ix_cooperation_offers_heading", "hs_heading", "side", "active"),
        db.Index("ix_cooperation_offers_chapter", "hs_chapter", "side", "active"),
        db.Index("ix_cooperation_offers_company", "company_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    side: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[Decimal] = mapped_column(VOLUME)  # a year
    unit: Mapped[str] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(12), default="resident")  # application | resident
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    company: Mapped[Company] = relationship()


class Need(HsCoded, db.Model):
    """An input the resident buys: how much a year, at which price, with which certificates."""

    __tablename__ = "cooperation_needs"
    audit_type = "cooperation_need"
    __table_args__ = (
        CheckConstraint("side IN ('KZ', 'UZ')", name="side_known"),
        CheckConstraint("annual_volume > 0", name="volume_positive"),
        CheckConstraint("target_price IS NULL OR target_price > 0", name="price_positive"),
        CheckConstraint("length(hs_code) = 6", name="hs_code_six_digits"),
        db.Index("ix_cooperation_needs_heading", "hs_heading", "side", "active"),
        db.Index("ix_cooperation_needs_chapter", "hs_chapter", "side", "active"),
        db.Index("ix_cooperation_needs_company", "company_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    side: Mapped[str] = mapped_column(String(2))
    description: Mapped[str] = mapped_column(String(500))
    annual_volume: Mapped[Decimal] = mapped_column(VOLUME)
    unit: Mapped[str] = mapped_column(String(30))
    target_price: Mapped[Decimal | None] = mapped_column(MONEY)  # per unit
    price_currency: Mapped[str | None] = mapped_column(String(3))
    certificates_required: Mapped[list] = mapped_column(JSON, default=list)  # ["ISO 9001", "EAC"]
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    company: Mapped[Company] = relationship()


class ContactRequest(db.Model):
    """A message from one resident to a resident of the other side about a match, and what came of it."""

    __tablename__ = "cooperation_requests"
    audit_type = "cooperation_request"
    __table_args__ = (
        CheckConstraint(f"state IN ({_values(State)})", name="state_known"),
        CheckConstraint("sender_company_id <> recipient_company_id", name="two_companies"),
        CheckConstraint("sender_side <> recipient_side", name="across_the_border"),
        CheckConstraint("contract_volume IS NULL OR contract_volume > 0", name="contract_volume_positive"),
        CheckConstraint("contract_value_usd IS NULL OR contract_value_usd >= 0", name="contract_value_positive"),
        CheckConstraint("version >= 1", name="version_positive"),
        db.Index("ix_cooperation_requests_sender", "sender_company_id", "id"),
        db.Index("ix_cooperation_requests_recipient", "recipient_company_id", "id"),
        db.Index("ix_cooperation_requests_state", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    recipient_company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    sender_side: Mapped[str] = mapped_column(String(2))
    recipient_side: Mapped[str] = mapped_column(String(2))
    need_id: Mapped[int | None] = mapped_column(ForeignKey("cooperation_needs.id"))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("cooperation_offers.id"))
    hs_code: Mapped[str] = mapped_column(String(6))
    message: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default=State.SENT)
    version: Mapped[int] = mapped_column(default=1)
    response: Mapped[str | None] = mapped_column(Text)  # the recipient's answer
    meeting_on: Mapped[date | None] = mapped_column(Date)
    contract_on: Mapped[date | None] = mapped_column(Date)
    contract_volume: Mapped[Decimal | None] = mapped_column(VOLUME)  # a year
    contract_unit: Mapped[str | None] = mapped_column(String(30))
    contract_value_usd: Mapped[Decimal | None] = mapped_column(MONEY)  # a year
    outcome_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sender: Mapped[Company] = relationship(foreign_keys=[sender_company_id])
    recipient: Mapped[Company] = relationship(foreign_keys=[recipient_company_id])
    need: Mapped[Need | None] = relationship()
    offer: Mapped[Offer | None] = relationship()
