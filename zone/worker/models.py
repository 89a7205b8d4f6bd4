"""The worker's tables: one heartbeat row per running copy, one claim per scheduled run."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zone.database import utcnow
from zone.extensions import db

RUNNING, DONE, FAILED = "running", "done", "failed"


class WorkerHeartbeat(db.Model):
    """A worker copy says it is alive, and what it is doing, between jobs."""

    __tablename__ = "worker_heartbeats"

    worker_id: Mapped[str] = mapped_column(String(120), primary_key=True)  # host:pid:random
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    current_job: Mapped[str | None] = mapped_column(String(60))
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class JobRun(db.Model):
    """One scheduled run of a job, claimed by the copy that inserts it: the unique key lets one copy win."""

    __tablename__ = "worker_job_runs"
    __table_args__ = (
        UniqueConstraint("job", "due_at"),
        CheckConstraint("status IN ('running', 'done', 'failed')", name="job_run_status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(10), default=RUNNING)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    worker_id: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Until then nobody else may take the run: the lease of a running one, the back-off of a failed one.
    retry_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(String(1000))
