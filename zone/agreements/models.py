"""Activity agreements, their signed revisions, amendments, history and number counters.

An agreement is made at admission and signed by the zone. Every text of it is a *revision*: the
original (revision 1) and one per approved amendment (a supplementary agreement restating the
obligations). A revision keeps the zone-signed PDF and, once the company countersigns it, the concluded
PDF with both signatures; neither is ever rewritten. The agreement row holds the current state: status,
the obligations of its latest revision and the fingerprint of the PDF served as "current".
"""

from __future__ import annotations

from datetime import date, datetime
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
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from zone.accounts.models import User
from zone.applications.models import Application
from zone.certificates.models import Certificate
from zone.companies.models import Company
from zone.database import utcnow
from zone.extensions import db


class AgreementStatus(StrEnum):
    AWAITING_COMPANY_SIGNATURE = "awaiting_company_signature"
    CONCLUDED = "concluded"
    TERMINATED = "terminated"


class AmendmentStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


def _values(enum: type[StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in enum)


class Agreement(db.Model):
    __tablename__ = "agreements"
    audit_type = "agreement"
    __table_args__ = (
        UniqueConstraint("side", "year", "sequence"),
        CheckConstraint(f"status IN ({_values(AgreementStatus)})", name="status_known"),
        CheckConstraint("side IN ('KZ', 'UZ')", name="side_known"),
        CheckConstraint("sequence > 0", name="sequence_positive"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("revision >= 1", name="revision_positive"),
        CheckConstraint("countersign_due >= decided_on", name="due_after_decision"),
        CheckConstraint("size > 0 AND length(sha256) = 64", name="pdf_fingerprinted"),
        db.Index("ix_agreements_company", "company_id", "id"),
        db.Index("ix_agreements_status_side", "status", "side", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)  # AG-KZ-2026-000001
    side: Mapped[str] = mapped_column(String(2))
    year: Mapped[int]
    sequence: Mapped[int]
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    status: Mapped[str] = mapped_column(String(30), default=AgreementStatus.AWAITING_COMPANY_SIGNATURE)
    version: Mapped[int] = mapped_column(default=1)  # bumped by every change; guards concurrent amendments

    # The parties as they were at admission (the PDF prints these).
    company_name: Mapped[str] = mapped_column(String(300))
    company_tax_id: Mapped[str] = mapped_column(String(20))

    decided_on: Mapped[date] = mapped_column(Date)  # the decision date the terms count from
    countersign_due: Mapped[date] = mapped_column(Date)
    rule_set_version: Mapped[str] = mapped_column(String(32))
    # The obligations of the current revision: [{"id", "type", "target", "unit", "due", "tolerance_pct",
    #   "reference", "verified", ...}]
    obligations: Mapped[list] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(default=1)  # the current revision's number

    # The PDF served as current: the latest revision, concluded when the company countersigned it.
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]

    zone_signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    company_signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    application: Mapped[Application] = relationship()
    certificate: Mapped[Certificate] = relationship()
    company: Mapped[Company] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    def __repr__(self) -> str:
        return f"<Agreement {self.number} {self.status} r{self.revision} v{self.version}>"


class AgreementRevision(db.Model):
    """One signed text of an agreement: the original or a supplementary agreement restating it."""

    __tablename__ = "agreement_revisions"
    __table_args__ = (
        UniqueConstraint("agreement_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("zone_size > 0 AND length(zone_sha256) = 64", name="zone_pdf_fingerprinted"),
        CheckConstraint(
            "(company_signed_at IS NULL) = (concluded_sha256 IS NULL)", name="concluded_pdf_with_signature"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    number: Mapped[int]  # 1 = the original; n = supplementary agreement No. n - 1
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("agreement_amendments.id"))
    obligations: Mapped[list] = mapped_column(JSON)

    zone_pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    zone_sha256: Mapped[str] = mapped_column(String(64))
    zone_size: Mapped[int]
    zone_signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # The zone-signed PDF with the company's signature appended (incremental), byte for byte as uploaded.
    concluded_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    concluded_sha256: Mapped[str | None] = mapped_column(String(64))
    concluded_size: Mapped[int | None]
    company_signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    company_signer: Mapped[str | None] = mapped_column(String(500))  # the certificate's subject
    countersigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    amendment: Mapped[AgreementAmendment | None] = relationship(foreign_keys=[amendment_id])

    @property
    def concluded(self) -> bool:
        return self.company_signed_at is not None


class AgreementAmendment(db.Model):
    """A supplementary agreement as staff propose it: changed obligations, a reason, a second person's
    decision. Approving it makes a new revision; the database refuses a decision by the proposer."""

    __tablename__ = "agreement_amendments"
    __table_args__ = (
        UniqueConstraint("agreement_id", "number"),
        CheckConstraint(f"status IN ({_values(AmendmentStatus)})", name="status_known"),
        CheckConstraint("decided_by_id IS NULL OR decided_by_id <> proposed_by_id", name="four_eyes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    number: Mapped[int]  # supplementary agreement No.
    status: Mapped[str] = mapped_column(String(12), default=AmendmentStatus.PROPOSED)
    reason: Mapped[str] = mapped_column(Text)
    base_revision: Mapped[int]
    obligations: Mapped[list] = mapped_column(JSON)  # the whole set as it would read
    changes: Mapped[list] = mapped_column(JSON)  # [{"id", "field", "from", "to"}]
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_comment: Mapped[str | None] = mapped_column(Text)
    revision_number: Mapped[int | None]

    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id], lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], lazy="joined")


class AgreementEvent(db.Model):
    """One step of an agreement's history: who, when, what, and the version after it."""

    __tablename__ = "agreement_events"
    __table_args__ = (db.Index("ix_agreement_events_agreement", "agreement_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    version: Mapped[int]
    action: Mapped[str] = mapped_column(String(30))  # create | countersign | propose | approve | reject
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship(lazy="joined")


class AgreementNumberCounter(db.Model):
    """The last agreement number given on a side in a year; creation locks the row (no gaps)."""

    __tablename__ = "agreement_number_counters"
    __table_args__ = (
        CheckConstraint("side IN ('KZ', 'UZ')", name="side_known"),
        CheckConstraint("last_number >= 0", name="last_number_non_negative"),
    )

    side: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)
