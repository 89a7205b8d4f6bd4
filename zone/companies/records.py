"""What people did to companies: administrators' claim resolutions and members' invitations.

These rows name a user, and users name their company, so they live here, above both
``zone.companies.models`` and ``zone.accounts.models`` (no circle between the two).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zone.accounts.models import User
from zone.companies.models import Company, new_nonce
from zone.database import utcnow
from zone.extensions import db


class ClaimResolution(db.Model):
    """An administrator's decision closing a claim: merged into or transferred to ``target``, or disabled."""

    __tablename__ = "company_claim_resolutions"
    audit_type = "claim_resolution"
    __table_args__ = (
        CheckConstraint("action IN ('merge', 'transfer', 'disable')", name="action_known"),
        CheckConstraint("(action = 'disable' AND target_id IS NULL) OR (action <> 'disable' AND target_id IS NOT NULL)",
                        name="target_unless_disabled"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(1000))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    company: Mapped[Company] = relationship(foreign_keys=[company_id])
    target: Mapped[Company | None] = relationship(foreign_keys=[target_id])
    actor: Mapped[User] = relationship()


class Invitation(db.Model):
    """An invitation for a colleague to join the company's account, sent by email.

    The link carries a signed, expiring token naming this row and its nonce; the row says whether it is
    still pending (not accepted, not revoked), so a link works once and can be withdrawn.
    """

    __tablename__ = "company_invitations"
    audit_type = "invitation"
    __table_args__ = (db.Index("ix_company_invitations_company", "company_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    email: Mapped[str] = mapped_column(String(254), index=True)  # lower-case
    nonce: Mapped[str] = mapped_column(String(32), default=new_nonce)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    company: Mapped[Company] = relationship()
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])

    def status(self, now: datetime) -> str:
        """pending | accepted | revoked | expired"""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        expires = self.expires_at if self.expires_at.tzinfo else self.expires_at.replace(tzinfo=now.tzinfo)
        return "expired" if expires <= now else "pending"
