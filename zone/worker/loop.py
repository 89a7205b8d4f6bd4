"""The worker's loop: round after round, run what is due; survive failures; stop cleanly when asked.

A job that raises is logged and tried again after an exponential back-off (its scheduled run is marked
failed, so any copy may take it up then). When the database itself is unreachable (the heartbeat or a
claim fails) the whole round waits, longer each time up to ``WORKER_MAX_BACKOFF``, and the process lives
on. :meth:`Worker.request_stop` (SIGTERM, SIGINT) lets the current job finish, then the loop ends.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from flask import Flask

from zone.database import utcnow
from zone.extensions import db
from zone.observability.logs import job_context
from zone.worker import services
from zone.worker.registry import Job, jobs

log = logging.getLogger(__name__)

RECHECK = timedelta(minutes=1)  # how soon a copy looks again at a run another copy holds


class Worker:
    """One copy of the worker. ``run()`` loops until :meth:`request_stop`; ``round()`` is one pass."""

    def __init__(self, app: Flask, *, interval: float | None = None,
                 identity: services.Identity | None = None) -> None:
        self.app = app
        self.interval = float(interval if interval is not None else app.config["WORKER_INTERVAL"])
        self.max_backoff = float(app.config["WORKER_MAX_BACKOFF"])
        self.lease = timedelta(seconds=int(app.config["WORKER_JOB_LEASE"]))
        self.identity = identity or services.Identity.of_this_process()
        self.stopping = threading.Event()
        self.next_at: dict[str, datetime] = {}
        self.failures: dict[str, int] = {}
        self.outages = 0
        self.current_job: str | None = None

    def request_stop(self, *_signal) -> None:
        """Finish the current job, then stop (a signal handler)."""
        self.stopping.set()

    def pause(self, seconds: float) -> None:
        """Wait between rounds; a stop request ends the wait at once."""
        self.stopping.wait(seconds)

    def run(self) -> None:
        """Loop until asked to stop. Never ends on an error: each one is logged and waited out."""
        log.info("Worker %s started: %s", self.identity.worker_id,
                 ", ".join(job.name for job in jobs(self.app)) or "no job")
        first = True
        while not self.stopping.is_set():
            try:
                if first:
                    services.started(self.identity)
                    first = False
                self.round()
            except Exception:  # the database or the network is down: wait, then try the whole round again
                self.outages += 1
                wait = services.backoff(self.outages, self.max_backoff)
                log.exception("Worker round failed (%s in a row); trying again in %s s", self.outages, wait)
                _reset_session()
            else:
                self.outages = 0
                wait = self.interval
            if not self.stopping.is_set():
                self.pause(wait)
        try:
            services.stopped(self.identity)
        except Exception:  # stopping must not fail on a database that is away; the heartbeat goes stale
            log.exception("Could not record that worker %s stopped", self.identity.worker_id)
            _reset_session()
        log.info("Worker %s stopped", self.identity.worker_id)

    def round(self) -> None:
        """Beat, then run every job that is due (in registration order) unless a stop was asked; beat again
        after a job ran, so the heartbeat never names a job that is over."""
        services.beat(self.identity, None)
        ran = False
        for job in jobs(self.app):
            if self.stopping.is_set():
                break
            now = utcnow()
            if self.next_at.get(job.name, now) > now:
                continue
            if job.drains_queue:
                self.next_at[job.name] = now + job.every
                self._run(job, None)
                ran = True
                continue
            due_at = services.due_time(job.every, now)
            if not services.claim_run(job.name, due_at, self.identity.worker_id, self.lease):
                self.next_at[job.name] = min(due_at + job.every, now + RECHECK)
                continue
            self.next_at[job.name] = due_at + job.every
            self._run(job, due_at)
            ran = True
        if ran:
            services.beat(self.identity, None)

    def _run(self, job: Job, due_at: datetime | None) -> None:
        self.current_job = job.name
        services.beat(self.identity, job.name)
        with job_context(job.name):  # every line of the job, its failure too, names it
            try:
                job.run()
            except Exception as error:
                failures = self.failures[job.name] = self.failures.get(job.name, 0) + 1
                wait = services.backoff(failures, self.max_backoff)
                log.exception("Job %s failed (%s in a row); trying again in %s s", job.name, failures, wait)
                _reset_session()
                retry_at = utcnow() + timedelta(seconds=wait)
                self.next_at[job.name] = retry_at
                if due_at is not None:
                    services.finish_run(job.name, due_at, self.identity.worker_id,
                                        error=f"{type(error).__name__}: {error}", retry_at=retry_at)
            else:
                self.failures.pop(job.name, None)
                if due_at is not None:
                    services.finish_run(job.name, due_at, self.identity.worker_id)
            finally:
                self.current_job = None


def _reset_session() -> None:
    """Drop whatever the failed work left in the session (its connection may be dead too)."""
    try:
        db.session.rollback()
    except Exception:  # a connection already gone cannot roll back; removing the session is enough
        log.debug("Rollback after a failure failed as well", exc_info=True)
    db.session.remove()
