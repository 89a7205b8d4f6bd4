"""Users and API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zone.accounts.roles import STAFF_ROLES, Role
from zone.companies.models import Company
from zone.database import utcnow
from zone.extensions import db


def new_session_nonce() -> str:
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role = 'applicant' AND company_id IS NOT NULL) OR (role <> 'applicant' AND company_id IS NULL)",
            name="applicant_has_company",
        ),
        CheckConstraint(
            "role IN ('applicant', 'reviewer', 'approver', 'auditor', 'admin', 'authority')", name="role_known"
        ),
        # An authority serves one side's tax or customs; nobody else has a side.
        CheckConstraint(
            "(role = 'authority' AND side IS NOT NULL AND side IN ('KZ', 'UZ'))"
            " OR (role <> 'authority' AND side IS NULL)",
            name="authority_has_side",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default=Role.APPLICANT, index=True)  # staff lists by role
    full_name: Mapped[str | None] = mapped_column(String(200))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    side: Mapped[str | None] = mapped_column(String(2))  # an authority's side (KZ or UZ); None for the others
    locale: Mapped[str] = mapped_column(String(5), default="ru")
    active: Mapped[bool] = mapped_column(default=True)
    # Rotated on sign-out, password change, role change and disabling: every session and token issued before dies.
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_session_nonce)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    company: Mapped[Company | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login: a disabled account cannot sign in or stay signed in
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The user's session nonce when issued: a password change or disabling revokes every token.
    session_nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")


class FormResume(db.Model):
    """What someone typed into a form when their session had ended (an idle sign-out, an expired cookie or
    form token), kept until they sign in again and send it once more (``zone.accounts.resume``).

    Only the browser that typed it can take it back: ``browser_hash`` is the SHA-256 of a secret in that
    browser's cookie. One use, and gone after ``RESUME_HOURS`` at the latest.
    """

    __tablename__ = "form_resumes"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    browser_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(8), default="POST")
    path: Mapped[str] = mapped_column(String(2000))
    fields: Mapped[list] = mapped_column(JSON)
    files_dropped: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
