"""The company (legal entity) that applies for residency."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from zone.database import utcnow
from zone.extensions import db


def new_nonce() -> str:
    return secrets.token_hex(16)


class ClaimStatus(StrEnum):
    """A registration's claim on its tax id (see ``zone.companies.claims``)."""

    OPEN = "open"  # the registration holds its claim; disputed while another open claim names the tax id
    MERGED = "merged"  # the same company as another claim: its people and records joined that one
    TRANSFERRED = "transferred"  # its records went to the rightful claimant; its people lost access
    DISABLED = "disabled"  # a false claim: its people lost access, its records stay and are never approved


CLAIM_ACTIONS = {"merge": ClaimStatus.MERGED, "transfer": ClaimStatus.TRANSFERRED, "disable": ClaimStatus.DISABLED}


class Company(db.Model):
    """A registration's company. It claims its (country, tax id); it does not own it: several companies may
    claim one tax id, and an administrator resolves such a dispute."""

    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint("length(registration_country) = 2", name="country_alpha2"),
        CheckConstraint("claim_status IN ('open', 'merged', 'transferred', 'disabled')", name="claim_status_known"),
        db.Index("ix_companies_claim", "registration_country", "tax_id", "claim_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))  # legal name in Russian (or the original)
    name_en: Mapped[str | None] = mapped_column(String(300))
    legal_form: Mapped[str | None] = mapped_column(String(100))
    registration_country: Mapped[str] = mapped_column(String(2))
    tax_id: Mapped[str] = mapped_column(String(20), index=True)
    is_legal_entity: Mapped[bool] = mapped_column(default=True)
    address: Mapped[str | None] = mapped_column(String(500))
    director_name: Mapped[str | None] = mapped_column(String(200))
    contact_person: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254))
    claim_status: Mapped[str] = mapped_column(String(20), default=ClaimStatus.OPEN, server_default=ClaimStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.tax_id}>"


class ClaimProof(db.Model):
    """Proof of a claim by the company's qualified e-signature (see ``zone.companies.proofs``).

    ``statement``: the zone issued a signed statement naming the company and its tax id, and the company
    added its own PAdES signature with a certificate carrying that tax id (``signed_pdf``).
    ``agreement``: the company countersigned its activity agreement (``reference``) the same way.
    A proof counts for the tax id it proved (``tax_id``), not for a tax id corrected later.
    """

    __tablename__ = "company_claim_proofs"
    audit_type = "claim_proof"
    __table_args__ = (
        CheckConstraint("kind IN ('statement', 'agreement')", name="kind_known"),
        CheckConstraint("(proven_at IS NULL) = (signer IS NULL)", name="proof_names_signer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(40))  # the statement's number or the agreement's
    registration_country: Mapped[str] = mapped_column(String(2))
    tax_id: Mapped[str] = mapped_column(String(20))
    statement: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # the zone-signed statement
    statement_sha256: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    signed_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    signed_sha256: Mapped[str | None] = mapped_column(String(64))
    proven_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signer: Mapped[str | None] = mapped_column(String(500))  # the signing certificate's subject
    person_ids: Mapped[list | None] = mapped_column(JSON)  # IIN / PINFL of the person who signed
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    company: Mapped[Company] = relationship()

    def __repr__(self) -> str:
        return f"<ClaimProof {self.id} {self.kind} {self.reference}>"
