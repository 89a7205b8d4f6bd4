"""Certificates, their status history and the serial counters.

A certificate is a snapshot: the company's name and tax id, the benefits and the signed PDF are
stored as they were issued and never re-rendered. Its lifecycle is in :mod:`.lifecycle`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from zone.accounts.models import User
from zone.applications.models import Application
from zone.companies.models import Company
from zone.database import utcnow
from zone.eligibility.models import EligibilitySnapshot
from zone.extensions import db


class CertificateStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


# A certificate in one of these states still speaks for its application; an application has at most
# one (so also exactly one active), enforced by a partial unique index on both databases.
LIVE_STATUSES = (CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED)
_LIVE_SQL = "status IN ('active', 'suspended')"
_STATUSES_SQL = ", ".join(f"'{s.value}'" for s in CertificateStatus)


class Certificate(db.Model):
    __tablename__ = "certificates"
    audit_type = "certificate"
    __table_args__ = (
        UniqueConstraint("side", "year", "number"),
        CheckConstraint(f"status IN ({_STATUSES_SQL})", name="status_known"),
        CheckConstraint("side IN ('KZ', 'UZ')", name="side_known"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("valid_until >= valid_from", name="validity_ordered"),
        CheckConstraint("size > 0 AND length(sha256) = 64", name="pdf_fingerprinted"),
        db.Index(
            "uq_certificates_live_application",
            "application_id",
            unique=True,
            postgresql_where=text(_LIVE_SQL),
            sqlite_where=text(_LIVE_SQL),
        ),
        db.Index("ix_certificates_company", "company_id", "id"),
        db.Index("ix_certificates_status_side", "status", "side", "id"),
        db.Index("ix_certificates_issued_at", "issued_at", "id"),
        db.Index("ix_certificates_tax_id", "company_tax_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(24), unique=True)  # ICIC-KZ-2026-000042
    side: Mapped[str] = mapped_column(String(2))
    year: Mapped[int]
    number: Mapped[int]
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    status: Mapped[str] = mapped_column(String(12), default=CertificateStatus.ACTIVE)

    # What the certificate says, as issued.
    company_name: Mapped[str] = mapped_column(String(300))
    company_tax_id: Mapped[str] = mapped_column(String(20))
    # casefold()ed name for searching: SQLite's lower() leaves Cyrillic as it is.
    company_name_folded: Mapped[str] = mapped_column(String(300), default="")
    sector: Mapped[str | None] = mapped_column(String(40))
    activity_codes: Mapped[list | None] = mapped_column(JSON)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    valid_from: Mapped[date] = mapped_column(Date)
    # The row keeps last days, as printed ("through"): valid_until and each period's "until" are the
    # last valid day; the API shows the half-open end, the day after (zone.certificates.periods).
    valid_until: Mapped[date] = mapped_column(Date)
    # [{"code", "name": {locale: text}, "reference", "legal_basis": {"ru", "en"},
    #   "periods": [{"from", "until" (last day), "reduction_pct"}]}]
    benefits: Mapped[list] = mapped_column(JSON)
    verify_token: Mapped[str] = mapped_column(String(64), unique=True)

    # The signed original, byte for byte. Deferred: lists never load it.
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]

    # Reissue after an amendment links the two certificates both ways.
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))

    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    suspended_on: Mapped[date | None] = mapped_column(Date)
    suspended_reason: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[date | None] = mapped_column(Date)  # the effective date
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    application: Mapped[Application] = relationship()
    company: Mapped[Company] = relationship()
    issued_by: Mapped[User | None] = relationship()
    supersedes: Mapped[Certificate | None] = relationship(foreign_keys=[supersedes_id], remote_side=[id])
    # post_update: the two rows point at each other, so one link is written after both exist.
    superseded_by: Mapped[Certificate | None] = relationship(
        foreign_keys=[superseded_by_id], remote_side=[id], post_update=True
    )

    def status_on(self, day: date) -> str:
        """The status as the public should read it on ``day``: a live one past its validity is expired."""
        if self.status in LIVE_STATUSES and self.valid_until < day:
            return CertificateStatus.EXPIRED
        return self.status

    def expired_on(self) -> date:
        """The first day the certificate is no longer valid by date."""
        return self.valid_until + timedelta(days=1)

    def __repr__(self) -> str:
        return f"<Certificate {self.serial} {self.status}>"


class CertificateEvent(db.Model):
    """One change of a certificate's status: who, when, from, to, why and from which date."""

    __tablename__ = "certificate_events"
    __table_args__ = (db.Index("ix_certificate_events_certificate", "certificate_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"))
    action: Mapped[str] = mapped_column(String(20))  # issue | suspend | reinstate | revoke | expire | supersede
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    effective_date: Mapped[date] = mapped_column(Date)
    details: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship(lazy="joined")


class SerialCounter(db.Model):
    """The last certificate number given on a side in a year; issuance locks the row (no gaps)."""

    __tablename__ = "certificate_serial_counters"
    __table_args__ = (
        CheckConstraint("side IN ('KZ', 'UZ')", name="side_known"),
        CheckConstraint("last_number >= 0", name="last_number_non_negative"),
    )

    side: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class ProposalStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


_PROPOSAL_STATUSES_SQL = ", ".join(f"'{s.value}'" for s in ProposalStatus)


class ReissueProposal(db.Model):
    """A reissue one staff member proposed and another must confirm before anything is signed.

    It names the stored evaluation the benefits come from (``snapshot_id``: the decision's or an
    amendment's) and the benefits chosen within it; confirming checks them against it again.
    """

    __tablename__ = "certificate_reissue_proposals"
    audit_type = "reissue_proposal"
    __table_args__ = (
        CheckConstraint(f"status IN ({_PROPOSAL_STATUSES_SQL})", name="proposal_status_known"),
        CheckConstraint("basis IN ('decision', 'amendment')", name="proposal_basis_known"),
        # Four eyes: whoever confirms is not whoever proposed.
        CheckConstraint("status <> 'confirmed' OR decided_by_id <> proposed_by_id", name="proposal_four_eyes"),
        db.Index(
            "uq_reissue_proposals_pending",
            "certificate_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"))
    status: Mapped[str] = mapped_column(String(12), default=ProposalStatus.PENDING)
    basis: Mapped[str] = mapped_column(String(12))  # decision | amendment
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("eligibility_snapshots.id"))
    benefits: Mapped[list] = mapped_column(JSON)  # the certificate's shape, as chosen within the snapshot
    valid_until: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    replacement_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))

    certificate: Mapped[Certificate] = relationship(foreign_keys=[certificate_id])
    snapshot: Mapped[EligibilitySnapshot] = relationship()
    replacement: Mapped[Certificate | None] = relationship(foreign_keys=[replacement_id])
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class SanctionProposal(db.Model):
    """A suspension, revocation or reinstatement prepared by one person (or the daily compliance run) that a
    second person decides through the certificate's own action (:mod:`zone.certificates.sanctions`).

    ``proposed_by_id`` is NULL when the system proposed it (a cured breach proposes reinstatement).
    """

    __tablename__ = "certificate_sanction_proposals"
    audit_type = "sanction_proposal"
    __table_args__ = (
        CheckConstraint(f"status IN ({_PROPOSAL_STATUSES_SQL})", name="sanction_status_known"),
        CheckConstraint("action IN ('suspend', 'reinstate', 'revoke')", name="sanction_action_known"),
        # Four eyes: whoever decides is not whoever proposed.
        CheckConstraint("decided_by_id IS NULL OR proposed_by_id IS NULL OR decided_by_id <> proposed_by_id",
                        name="sanction_four_eyes"),
        db.Index(
            "uq_sanction_proposals_pending",
            "certificate_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"))
    action: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12), default=ProposalStatus.PENDING)
    reason: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(40))  # e.g. compliance case 12
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    certificate: Mapped[Certificate] = relationship(foreign_keys=[certificate_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
