"""Reports, their history, their documents and the reminders sent about them.

A report belongs to an activity agreement and one period (``2027-Q1`` or ``2027``). A correction of a
filed report is a new row (``revision`` + 1, ``supersedes_id`` the old one); the old row is kept as it
was. ``head`` is true on the newest version of a period and NULL on the ones it replaced, so the unique
constraint on (agreement, period, head) lets exactly one chain head exist per period on SQLite and on
PostgreSQL alike (NULLs are never equal): a second report for a period fails in the database too.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from zone.accounts.models import User
from zone.agreements.models import Agreement
from zone.companies.models import Company
from zone.database import utcnow
from zone.extensions import db
from zone.reports.workflow import OPEN, Kind, Status

MONEY = Numeric(20, 2)


def _values(enum) -> str:
    return ", ".join(f"'{member.value}'" for member in enum)


class Report(db.Model):
    __tablename__ = "reports"
    audit_type = "report"
    __table_args__ = (
        UniqueConstraint("agreement_id", "period", "head", name="uq_reports_period_head"),
        CheckConstraint(f"status IN ({_values(Status)})", name="status_known"),
        CheckConstraint(f"kind IN ({_values(Kind)})", name="kind_known"),
        CheckConstraint("side IN ('KZ', 'UZ')", name="side_known"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("revision >= 1", name="revision_positive"),
        CheckConstraint("jobs_local IS NULL OR jobs_total IS NULL OR jobs_local <= jobs_total",
                        name="local_jobs_within_total"),
        CheckConstraint("revenue_priority IS NULL OR revenue_total IS NULL OR revenue_priority <= revenue_total",
                        name="priority_revenue_within_total"),
        CheckConstraint("(revision = 1) = (supersedes_id IS NULL)", name="correction_names_its_original"),
        # ``in_queue`` is true exactly for the current version of an open report (draft, submitted, returned):
        # the queue's open tab walks (in_queue, due, id) in order instead of sorting every open report
        CheckConstraint(f"in_queue = (head IS NOT NULL AND status IN ({_values(OPEN)}))", name="in_queue_derived"),
        # status tabs and per-status counts read (status, in_queue) ranges in due order without the table;
        # the open and overdue tabs read (in_queue, due, id), their counts with the status from the index
        db.Index("ix_reports_queue", "status", "in_queue", "due", "id"),
        db.Index("ix_reports_open_queue", "in_queue", "due", "id", "status"),
        db.Index("ix_reports_due", "due", "id"),
        db.Index("ix_reports_company", "company_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    side: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(10))
    period: Mapped[str] = mapped_column(String(7))  # 2027-Q1 | 2027
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=Status.DRAFT)
    version: Mapped[int] = mapped_column(default=1)  # bumped by every change; guards concurrent saves
    revision: Mapped[int] = mapped_column(default=1)  # 1 = the original, n = the (n-1)th correction
    head: Mapped[bool | None] = mapped_column(default=True)  # true on the newest version, NULL on replaced ones
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    in_queue: Mapped[bool] = mapped_column(default=False, server_default=false())  # kept by _keep_in_queue
    correction_reason: Mapped[str | None] = mapped_column(Text)

    # The figures (API.md "Reports"). A draft may lack any of them.
    currency: Mapped[str | None] = mapped_column(String(3))
    investment_own: Mapped[Decimal | None] = mapped_column(MONEY)
    investment_borrowed: Mapped[Decimal | None] = mapped_column(MONEY)
    investment_foreign: Mapped[Decimal | None] = mapped_column(MONEY)
    investment_cumulative: Mapped[Decimal | None] = mapped_column(MONEY)  # since the start, at period end
    jobs_total: Mapped[int | None]
    jobs_local: Mapped[int | None]
    jobs_foreign: Mapped[int | None]
    payroll: Mapped[Decimal | None] = mapped_column(MONEY)
    revenue_total: Mapped[Decimal | None] = mapped_column(MONEY)
    revenue_priority: Mapped[Decimal | None] = mapped_column(MONEY)
    revenue_export: Mapped[Decimal | None] = mapped_column(MONEY)
    sales_to_other_side: Mapped[Decimal | None] = mapped_column(MONEY)
    purchases_from_other_side: Mapped[Decimal | None] = mapped_column(MONEY)
    taxes_paid: Mapped[Decimal | None] = mapped_column(MONEY)
    benefits_used: Mapped[dict | None] = mapped_column(JSON)  # {"KZ_CIT": "125000.00"}
    output: Mapped[list | None] = mapped_column(JSON)  # [{"hs_code", "quantity", "unit", "value"}]
    auditor_name: Mapped[str | None] = mapped_column(String(300))  # annual only
    audit_opinion: Mapped[str | None] = mapped_column(String(12))  # annual only

    # The exchange with the zone
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    question: Mapped[str | None] = mapped_column(Text)  # the staff's last question
    answer: Mapped[str | None] = mapped_column(Text)  # the company's last answer
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    agreement: Mapped[Agreement] = relationship(lazy="joined", innerjoin=True)
    company: Mapped[Company] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    @validates("status", "head")
    def _keep_in_queue(self, key: str, value):
        status = value if key == "status" else self.status
        head = value if key == "head" else self.head
        self.in_queue = head is not None and status in OPEN
        return value

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.period} {self.status} r{self.revision} v{self.version}>"


@event.listens_for(Report, "before_insert")
def _defaults_before_insert(_mapper, _connection, report: Report) -> None:
    """A new report left without a status or head is a draft and the head of its period (the columns'
    defaults), set here so that ``in_queue`` is derived from them too."""
    if report.status is None:
        report.status = Status.DRAFT
    if report.head is None and report.supersedes_id is None:
        report.head = True


class ReportEvent(db.Model):
    """One step of a report's history; ``version`` is the report's version after it (for 409 messages)."""

    __tablename__ = "report_events"
    __table_args__ = (db.Index("ix_report_events_report", "report_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    version: Mapped[int]
    action: Mapped[str] = mapped_column(String(20))  # create | edit | submit | return | resubmit | accept | ...
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str | None] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship(lazy="joined")


class ReportDocument(db.Model):
    """An uploaded file of a report (the annual audited statements). Every upload is kept."""

    __tablename__ = "report_documents"
    audit_type = "report_document"
    __table_args__ = (db.Index("ix_report_documents_report_kind", "report_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    storage_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReportReminder(db.Model):
    """A reminder mailed about one period of one agreement; the unique key makes reminding idempotent."""

    __tablename__ = "report_reminders"
    __table_args__ = (UniqueConstraint("agreement_id", "period", "kind", name="uq_report_reminders_once"),
                      CheckConstraint("kind IN ('before_due', 'overdue')", name="kind_known"))

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    period: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(12))
    due: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recipients: Mapped[int] = mapped_column(default=0)
