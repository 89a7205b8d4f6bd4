"""Sites (plots and ready buildings of each side) and their leases.

A site is free, reserved (held by the administration, e.g. while its auction runs) or leased. A lease is
made at admission, in the approval's transaction, and holds the rent and the cooperation reduction as
they were granted; the database allows one live lease per site (a partial unique index), so two
approvals can never both lease one site.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    LargeBinary,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from zone.accounts.models import User
from zone.applications.models import Application
from zone.companies.models import Company
from zone.database import utcnow
from zone.extensions import db


class SiteKind(StrEnum):
    PLOT = "plot"
    BUILDING = "building"


class SiteStatus(StrEnum):
    FREE = "free"
    RESERVED = "reserved"
    LEASED = "leased"


class LeaseStatus(StrEnum):
    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"
    LAPSED = "lapsed"
    RELEASED = "released"


LIVE_LEASE = (LeaseStatus.AWAITING_SIGNATURE, LeaseStatus.SIGNED)


def _values(enum: type[StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in enum)


class Site(db.Model):
    __tablename__ = "sites"
    audit_type = "site"
    __table_args__ = (
        CheckConstraint("side IN ('KZ', 'UZ')", name="side_known"),
        CheckConstraint(f"kind IN ({_values(SiteKind)})", name="kind_known"),
        CheckConstraint(f"status IN ({_values(SiteStatus)})", name="status_known"),
        CheckConstraint("currency IN ('USD', 'KZT', 'UZS')", name="currency_known"),
        CheckConstraint("area_m2 > 0", name="area_positive"),
        CheckConstraint("power_kw >= 0 AND water_m3_day >= 0 AND gas_m3_h >= 0", name="utilities_non_negative"),
        CheckConstraint("rent_per_m2_year >= 0", name="rent_non_negative"),
        CheckConstraint("version >= 1", name="version_positive"),
        db.Index("ix_sites_side_status", "side", "status", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    side: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200), default="")
    area_m2: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    power_kw: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(0))
    water_m3_day: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(0))
    gas_m3_h: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(0))
    rent_per_m2_year: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(10), default=SiteStatus.FREE)
    # The outline on the side's plan, in plan metres: [[x, y], ...], at least three points, not closed.
    outline: Mapped[list] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<Site {self.code} {self.side} {self.status}>"

    @property
    def utilities(self) -> dict[str, Decimal]:
        return {"power_kw": self.power_kw, "water_m3_day": self.water_m3_day, "gas_m3_h": self.gas_m3_h}


class Lease(db.Model):
    """A site leased to a resident at admission, with the rent and reduction it was granted."""

    __tablename__ = "site_leases"
    audit_type = "lease"
    __table_args__ = (
        CheckConstraint(f"status IN ({_values(LeaseStatus)})", name="status_known"),
        CheckConstraint("reduction_pct >= 0 AND reduction_pct <= 100", name="reduction_in_range"),
        CheckConstraint("rent_per_m2_year >= 0", name="rent_non_negative"),
        CheckConstraint("sign_by >= starts_on", name="sign_after_start"),
        # One live lease per site: the database decides a race the application code lost.
        db.Index("uq_site_leases_live_site", "site_id", unique=True,
                 sqlite_where=text("status IN ('awaiting_signature', 'signed')"),
                 postgresql_where=text("status IN ('awaiting_signature', 'signed')")),
        db.Index("ix_site_leases_company", "company_id", "id"),
        db.Index("ix_site_leases_status_sign_by", "status", "sign_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    certificate_serial: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=LeaseStatus.AWAITING_SIGNATURE)
    area_m2: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    rent_per_m2_year: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    reduction_pct: Mapped[int] = mapped_column(default=0)
    reduction_until: Mapped[date | None] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    sign_by: Mapped[date] = mapped_column(Date)
    rule_set_version: Mapped[str] = mapped_column(String(32))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(Text)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    site: Mapped[Site] = relationship(lazy="joined")
    application: Mapped[Application] = relationship()
    company: Mapped[Company] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def live(self) -> bool:
        return self.status in LIVE_LEASE
