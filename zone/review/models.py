"""Review data that is not part of the application itself: the checklist.

Internal notes and messages to the company are ``ApplicationEvent`` rows (kinds ``note`` and
``message``), so they appear in the one history of the application.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zone.accounts.models import User
from zone.applications.models import Application
from zone.database import utcnow
from zone.extensions import db


class ChecklistItem(db.Model):
    """One ticked (or unticked) point of an application's review checklist."""

    __tablename__ = "review_checklist_items"
    audit_type = "checklist_item"
    __table_args__ = (UniqueConstraint("application_id", "item", name="uq_review_checklist_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    item: Mapped[str] = mapped_column(String(40))
    checked: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str | None] = mapped_column(String(500))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    updated_by: Mapped[User | None] = relationship(lazy="joined")


# The queue's default order (oldest or newest submission first) walks this index and stops after one page
# instead of sorting every open application. Declared with the queue that needs it; it lives on the
# applications table, so the lead's migration for this domain must create it.
QUEUE_ORDER_INDEX = Index("ix_applications_submitted_order", Application.submitted_at, Application.id)
