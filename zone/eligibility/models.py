"""Rule-set versions uploaded by admins, and immutable eligibility snapshots of applications."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zone.accounts.models import User
from zone.database import utcnow
from zone.extensions import db


class RuleSetStatus(StrEnum):
    DRAFT = "draft"  # uploaded and valid; may be inspected, tested, compared
    PENDING_ACTIVATION = "pending_activation"  # an admin asked; a second admin must activate
    ACTIVE = "active"  # in the registry: used from its effective date on
    RETIRED = "retired"  # no longer used for new evaluations (snapshots keep their version)


class SnapshotKind(StrEnum):
    SUBMISSION = "submission"
    RESUBMISSION = "resubmission"
    RECOMMENDATION = "recommendation"
    DECISION = "decision"
    AMENDMENT = "amendment"


_STATUSES = ", ".join(f"'{s.value}'" for s in RuleSetStatus)
_KINDS = ", ".join(f"'{k.value}'" for k in SnapshotKind)


class RuleSetVersion(db.Model):
    """A rule set uploaded as YAML. The shipped rule sets live in files, not in this table."""

    __tablename__ = "rule_set_versions"
    audit_type = "rule_set"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUSES})", name="rule_set_status_known"),
        # Four eyes: the admin who activates is not the one who asked for activation.
        CheckConstraint(
            "activated_by_id IS NULL OR activated_by_id <> activation_requested_by_id", name="rule_set_four_eyes"
        ),
        CheckConstraint("status <> 'active' OR activated_by_id IS NOT NULL", name="rule_set_active_has_activator"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(32), unique=True)
    source: Mapped[str] = mapped_column(Text)  # the YAML text exactly as uploaded
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default=RuleSetStatus.DRAFT)
    effective_from: Mapped[date] = mapped_column(Date)
    cases_source: Mapped[str | None] = mapped_column(Text)  # the case file uploaded with it, if any
    cases_report: Mapped[dict | None] = mapped_column(JSON)  # CaseReport.to_dict() of the last run
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    activation_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    activation_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    activated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    uploaded_by: Mapped[User] = relationship(foreign_keys=[uploaded_by_id])
    activation_requested_by: Mapped[User | None] = relationship(foreign_keys=[activation_requested_by_id])
    activated_by: Mapped[User | None] = relationship(foreign_keys=[activated_by_id])

    @property
    def audit_id(self) -> str:
        return self.version

    def __repr__(self) -> str:
        return f"<RuleSetVersion {self.version} {self.status}>"


class EligibilitySnapshot(db.Model):
    """The facts, rule-set version and result of one evaluation of an application, frozen.

    ``result`` is :meth:`Evaluation.to_snapshot`: it holds the explanations in every language, so a
    stored decision reads the same after any later rule change. Rows are never updated or deleted.
    """

    __tablename__ = "eligibility_snapshots"
    audit_type = "eligibility_snapshot"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KINDS})", name="snapshot_kind_known"),
        db.Index("ix_eligibility_snapshots_app", "application_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    kind: Mapped[str] = mapped_column(String(20))
    rule_set_version: Mapped[str] = mapped_column(String(32))
    on_date: Mapped[date] = mapped_column(Date)
    facts: Mapped[dict] = mapped_column(JSON)
    result: Mapped[dict] = mapped_column(JSON)
    admitted: Mapped[bool]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    created_by: Mapped[User | None] = relationship()


class ImmutableRowError(RuntimeError):
    """Raised on any attempt to change or delete a stored snapshot."""


@event.listens_for(EligibilitySnapshot, "before_update")
def _refuse_update(_mapper, _connection, target):
    raise ImmutableRowError(f"eligibility snapshot {target.id} is immutable")


@event.listens_for(EligibilitySnapshot, "before_delete")
def _refuse_delete(_mapper, _connection, target):
    raise ImmutableRowError(f"eligibility snapshot {target.id} is immutable")
