"""Compliance cases, the letters sent about them, the stored evaluations and the benefit years withdrawn.

A case is one breached condition of one certificate, open until cured or ended. ``open`` is true on an
open case and NULL on a closed one, so the unique key (certificate, condition, open) lets exactly one open
case exist per condition on SQLite and PostgreSQL alike: two daily runs at once cannot open two. A notice
(the warning, an escalation) is unique per case and kind, so none is mailed twice. Evaluations that
decided something are stored with their rule set and texts: a later rule set never rewrites them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from zone.certificates.models import Certificate, SanctionProposal
from zone.compliance.workflow import Stage
from zone.database import utcnow
from zone.extensions import db


def _values(enum) -> str:
    return ", ".join(f"'{member.value}'" for member in enum)


class ComplianceSnapshot(db.Model):
    """An evaluation that decided something (a case opened, escalated, cured), as it was."""

    __tablename__ = "compliance_snapshots"
    __table_args__ = (db.Index("ix_compliance_snapshots_certificate", "certificate_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"))
    on_date: Mapped[date] = mapped_column(Date)
    rule_set_version: Mapped[str] = mapped_column(String(32))
    rule_set_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12))
    result: Mapped[dict] = mapped_column(JSON)  # {"ru": {...API shape...}, "kk": ..., "uz": ..., "en": ...}
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ComplianceCase(db.Model):
    __tablename__ = "compliance_cases"
    audit_type = "compliance_case"
    __table_args__ = (
        UniqueConstraint("certificate_id", "condition_id", "open", name="uq_compliance_cases_one_open"),
        CheckConstraint(f"stage IN ({_values(Stage)})", name="stage_known"),
        CheckConstraint("side IN ('KZ', 'UZ')", name="side_known"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("cure_due >= opened_on", name="cure_after_opening"),
        db.Index("ix_compliance_cases_queue", "stage", "next_step_on", "id"),
        db.Index("ix_compliance_cases_certificate", "certificate_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    side: Mapped[str] = mapped_column(String(2))
    condition_id: Mapped[str] = mapped_column(String(60))
    stage: Mapped[str] = mapped_column(String(24), default=Stage.WARNED)
    open: Mapped[bool | None] = mapped_column(default=True)  # true while open, NULL once closed
    version: Mapped[int] = mapped_column(default=1)
    opened_on: Mapped[date] = mapped_column(Date)
    cure_due: Mapped[date] = mapped_column(Date)  # the warning's deadline, fixed when the case opened
    revocation_after_days: Mapped[int]  # the rule set's term when the case opened
    escalation_delay_days: Mapped[int]
    next_step_on: Mapped[date | None] = mapped_column(Date)  # when the run escalates next, if uncured
    suspended_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[str | None] = mapped_column(String(40))
    rule_set_version: Mapped[str] = mapped_column(String(32))
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("compliance_snapshots.id"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("certificate_sanction_proposals.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    certificate: Mapped[Certificate] = relationship()
    snapshot: Mapped[ComplianceSnapshot] = relationship()
    proposal: Mapped[SanctionProposal | None] = relationship()


class ComplianceNotice(db.Model):
    """A letter about a case: the mail queued to the company and the zone-signed PDF in its cabinet."""

    __tablename__ = "compliance_notices"
    audit_type = "compliance_notice"
    __table_args__ = (UniqueConstraint("case_id", "kind", name="uq_compliance_notices_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("compliance_cases.id"))
    kind: Mapped[str] = mapped_column(String(24))  # warning | suspension_due | cured | ...
    sent_on: Mapped[date] = mapped_column(Date)
    recipients: Mapped[int] = mapped_column(default=0)
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[ComplianceCase] = relationship()


class BenefitYearResult(db.Model):
    """A benefit that does not apply for one year (KZ: the priority-income share below the minimum), kept as
    decided; unique per certificate, year and benefit."""

    __tablename__ = "compliance_benefit_years"
    __table_args__ = (UniqueConstraint("certificate_id", "year", "code", name="uq_compliance_benefit_years_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"))
    year: Mapped[int]
    code: Mapped[str] = mapped_column(String(40))
    applies: Mapped[bool]
    explanation: Mapped[str] = mapped_column(Text)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("compliance_snapshots.id"))
    decided_on: Mapped[date] = mapped_column(Date)
