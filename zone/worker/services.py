"""The worker's bookkeeping, each step a short transaction of its own: claims of scheduled runs, heartbeats,
and the health ``/healthz`` reports."""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import Select, bindparam, case, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from zone.database import utcnow, write_intent
from zone.extensions import db
from zone.worker.models import DONE, FAILED, RUNNING, JobRun, WorkerHeartbeat
from zone.worker.registry import HEALTH_QUERY, backlogs

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
KEEP_STOPPED = timedelta(days=7)  # heartbeats of copies gone this long are dropped at a copy's start


@dataclass(frozen=True)
class Identity:
    worker_id: str
    host: str
    pid: int

    @classmethod
    def of_this_process(cls) -> Identity:
        host, pid = socket.gethostname()[:255], os.getpid()
        return cls(f"{host[:90]}:{pid}:{secrets.token_hex(4)}", host, pid)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive UTC times; PostgreSQL aware ones."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def due_time(every: timedelta, now: datetime) -> datetime:
    """The start of the period of ``every`` that holds ``now`` (periods counted from a fixed epoch, so every
    copy of the worker names the same run alike)."""
    return EPOCH + ((now - EPOCH) // every) * every


def backoff(failures: int, cap: float) -> float:
    """Seconds to wait after ``failures`` failures in a row: 1, 2, 4, … up to ``cap``."""
    return float(min(cap, 2 ** min(max(failures - 1, 0), 30)))


def claim_run(job: str, due_at: datetime, worker_id: str, lease: timedelta) -> bool:
    """Take the run of ``job`` due at ``due_at``: True for exactly one copy. A run is taken again only once
    it failed and its back-off passed, or its taker's lease ran out (a copy that died mid-run)."""
    now = utcnow()
    with write_intent():
        try:
            db.session.add(JobRun(job=job, due_at=due_at, status=RUNNING, attempts=1, worker_id=worker_id,
                                  started_at=now, retry_at=now + lease))
            db.session.commit()
            return True
        except IntegrityError:  # another copy has (or had) it
            db.session.rollback()
        taken = db.session.execute(
            update(JobRun).where(JobRun.job == job, JobRun.due_at == due_at, JobRun.status != DONE,
                                 JobRun.retry_at <= now)
            .values(status=RUNNING, attempts=JobRun.attempts + 1, worker_id=worker_id, started_at=now,
                    finished_at=None, retry_at=now + lease)).rowcount
        db.session.commit()
    return bool(taken)


def finish_run(job: str, due_at: datetime, worker_id: str, *, error: str | None = None,
               retry_at: datetime | None = None) -> None:
    """Record the end of a claimed run: done, or failed and open to any copy again from ``retry_at``."""
    now = utcnow()
    values: dict = {"status": DONE, "finished_at": now, "error": None}
    if error is not None:
        values = {"status": FAILED, "finished_at": now, "error": error[:1000], "retry_at": retry_at or now}
    with write_intent():
        db.session.execute(update(JobRun).where(JobRun.job == job, JobRun.due_at == due_at,
                                                JobRun.worker_id == worker_id).values(**values))
        db.session.commit()


def beat(identity: Identity, current_job: str | None) -> None:
    """Write this copy's heartbeat: alive now, doing ``current_job`` (None between jobs)."""
    now = utcnow()
    with write_intent():
        found = db.session.execute(
            update(WorkerHeartbeat).where(WorkerHeartbeat.worker_id == identity.worker_id)
            .values(beat_at=now, current_job=current_job, stopped_at=None)).rowcount
        if not found:
            db.session.add(WorkerHeartbeat(worker_id=identity.worker_id, host=identity.host, pid=identity.pid,
                                           started_at=now, beat_at=now, current_job=current_job))
        db.session.commit()


def started(identity: Identity) -> None:
    """A copy starts: forget copies gone for a week, then beat."""
    with write_intent():
        db.session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < utcnow() - KEEP_STOPPED))
        db.session.commit()
    beat(identity, None)


def stopped(identity: Identity) -> None:
    """A copy stops cleanly: its heartbeat says so, and no longer counts as a live worker."""
    with write_intent():
        db.session.execute(update(WorkerHeartbeat).where(WorkerHeartbeat.worker_id == identity.worker_id)
                           .values(stopped_at=utcnow(), current_job=None))
        db.session.commit()


@dataclass
class Health:
    status: str  # "ok" | "stale"
    last_beat_s: float | None
    stale_after_s: int
    workers: int
    oldest_pending_s: float | None
    pending: dict[str, float | None] = field(default_factory=dict)
    depths: dict[str, int] = field(default_factory=dict)  # items waiting per queue (metrics; not in the JSON)

    def to_json(self) -> dict:
        return {"status": self.status, "last_beat_s": self.last_beat_s, "stale_after_s": self.stale_after_s,
                "workers": self.workers, "oldest_pending_s": self.oldest_pending_s, "pending": self.pending}


def _age(moment: datetime | None, now: datetime) -> float | None:
    moment = aware(moment)
    return None if moment is None else round(max((now - moment).total_seconds(), 0.0), 1)


def _health_query(app: Flask) -> Select:
    """One statement for the whole report: the heartbeats and every backlog (built once per app)."""
    query = app.extensions.get(HEALTH_QUERY)
    if query is None:
        recent = WorkerHeartbeat.beat_at >= bindparam("since", type_=WorkerHeartbeat.beat_at.type)
        query = app.extensions[HEALTH_QUERY] = (
            select(func.max(WorkerHeartbeat.beat_at), func.coalesce(func.sum(case((recent, 1), else_=0)), 0),
                   *(backlog.oldest() for backlog in backlogs(app)),
                   *(backlog.depth() for backlog in backlogs(app)))
            .where(WorkerHeartbeat.stopped_at.is_(None)))
    return query


def health(app: Flask) -> Health:
    """The freshest heartbeat of a running copy, whether it is stale, and the age of each backlog's oldest
    pending item and how many wait. No running copy at all counts as stale."""
    now = utcnow()
    stale_after = int(app.config["WORKER_STALE_AFTER"])
    queues = backlogs(app)
    last, fresh, *backlog_columns = db.session.execute(
        _health_query(app), {"since": now - timedelta(seconds=stale_after)}).one()
    oldest, depths = backlog_columns[:len(queues)], backlog_columns[len(queues):]
    pending = {backlog.name: _age(moment, now) for backlog, moment in zip(queues, oldest, strict=True)}
    waiting = {backlog.name: int(depth or 0) for backlog, depth in zip(queues, depths, strict=True)}
    ages = [age for age in pending.values() if age is not None]
    last_beat_s = _age(last, now)
    status = "ok" if last_beat_s is not None and last_beat_s <= stale_after else "stale"
    return Health(status, last_beat_s, stale_after, int(fresh or 0), max(ages) if ages else None, pending, waiting)
