"""Applications, their history and their documents."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zone.accounts.models import User
from zone.applications.fields import FIELDS
from zone.applications.workflow import Status
from zone.companies.models import Company
from zone.database import utcnow
from zone.extensions import db

_STATUSES = ", ".join(f"'{s.value}'" for s in Status)


# One nullable column per field of the schema, of the type its kind stores (Numeric(20, 2), String(300), JSON...).
ApplicationFields = type("ApplicationFields", (), {
    name: mapped_column(name, field.kind.column_type(), nullable=True) for name, field in FIELDS.items()})


class Application(ApplicationFields, db.Model):
    __tablename__ = "applications"
    audit_type = "application"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUSES})", name="status_known"),
        CheckConstraint("side IS NULL OR side IN ('KZ', 'UZ')", name="side_known"),
        CheckConstraint("version >= 1", name="version_positive"),
        db.Index("ix_applications_queue", "status", "submitted_at", "id"),
        db.Index("ix_applications_company", "company_id", "id"),
        db.Index("ix_applications_side_status", "side", "status"),
        db.Index("ix_applications_sector", "sector"),
        db.Index("ix_applications_assignee", "assignee_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)  # A-2026-00017, given at submission
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT)
    version: Mapped[int] = mapped_column(default=1)  # bumped by every change; guards concurrent edits

    # The application's facts (API.md) are the columns of ApplicationFields: one per entry of the field
    # schema (zone.applications.fields), typed by its kind. A draft may lack any of them.
    investment_usd: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))  # derived at submission

    # Review
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_deadline: Mapped[date | None] = mapped_column(Date)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    info_deadline: Mapped[date | None] = mapped_column(Date)
    recommendation: Mapped[str | None] = mapped_column(String(10))  # approve | reject
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rejection_grounds: Mapped[list | None] = mapped_column(JSON)  # coded grounds, DOMAIN.md
    decision_comment: Mapped[str | None] = mapped_column(Text)
    granted_benefits: Mapped[list | None] = mapped_column(JSON)

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    company: Mapped[Company] = relationship(lazy="joined", innerjoin=True)
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    recommended_by: Mapped[User | None] = relationship(foreign_keys=[recommended_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.number or 'draft'} {self.status} v{self.version}>"


class ApplicationEvent(db.Model):
    """One step in an application's history: a transition, an edit, a message or an internal note.

    ``version`` is the application's version after the step, so a stale writer can be told exactly
    what happened since the version it saw.
    """

    __tablename__ = "application_events"
    __table_args__ = (db.Index("ix_application_events_app", "application_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    version: Mapped[int]
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))  # transition | edit | message | note | document
    action: Mapped[str | None] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    visible_to_company: Mapped[bool] = mapped_column(default=True)
    details: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship(lazy="joined")


class Document(db.Model):
    """An uploaded file. Every upload is kept; the newest of a kind is the current one."""

    __tablename__ = "documents"
    audit_type = "document"
    __table_args__ = (db.Index("ix_documents_app_kind", "application_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))  # the uploader's name, cleaned, for display only
    storage_name: Mapped[str] = mapped_column(String(80), unique=True)  # server-made
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    apostilled: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    uploaded_by: Mapped[User] = relationship()


class ApplicationCounter(db.Model):
    """The last application number given in a year. Submissions lock the row, so numbers have no gaps."""

    __tablename__ = "application_counters"
    __table_args__ = (CheckConstraint("last_number >= 0", name="last_number_non_negative"),)

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class ApplicationReadMark(db.Model):
    """The newest history entry a company user has seen, so the dashboard can count unread messages."""

    __tablename__ = "application_read_marks"
    __table_args__ = (db.UniqueConstraint("application_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    last_event_id: Mapped[int] = mapped_column(default=0)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
