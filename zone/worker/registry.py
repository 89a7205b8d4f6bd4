"""What the worker runs, registered by each domain's hooks at app creation, so the worker imports none.

A **scheduled** job runs once per period of ``every`` across all copies of the worker: each run is
claimed per (job, due time) under a unique key. A job that **drains a queue** (``drains_queue=True``:
mail, notices) runs in every copy every ``every``, because it claims its own rows (``FOR UPDATE SKIP
LOCKED``, leases). A **backlog** gives ``/healthz`` the SQL for when the oldest thing waiting for the worker was
queued, and how many items wait (all of them are read in one statement with the heartbeat, so the check stays
cheap; ``/metrics`` reads the same statement).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import ScalarSelect

JOBS = "worker_jobs"
BACKLOGS = "worker_backlogs"
HEALTH_QUERY = "worker_health_query"  # built from the backlogs on first use


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]
    every: timedelta
    drains_queue: bool = False


@dataclass(frozen=True)
class Backlog:
    name: str
    oldest: Callable[[], ScalarSelect]
    depth: Callable[[], ScalarSelect]


def register_job(app: Flask, name: str, run: Callable[[], object], *, every: timedelta,
                 drains_queue: bool = False) -> None:
    """Have the worker call ``run()`` (in an app context) every ``every``; see the module doc for the kinds."""
    if every <= timedelta(0):
        raise ValueError(f"job {name!r} needs a positive period")
    registered = app.extensions.setdefault(JOBS, {})
    if name in registered:
        raise ValueError(f"a worker job named {name!r} is already registered")
    registered[name] = Job(name, run, every, drains_queue)


def register_backlog(app: Flask, name: str, oldest: Callable[[], ScalarSelect],
                     depth: Callable[[], ScalarSelect]) -> None:
    """Have ``/healthz`` report the age of what ``oldest()`` selects: when the oldest pending item was queued
    (a scalar subquery, NULL when nothing waits); and ``/metrics`` that too and how many items wait, which
    ``depth()`` counts (a scalar subquery)."""
    registered = app.extensions.setdefault(BACKLOGS, {})
    if name in registered:
        raise ValueError(f"a worker backlog named {name!r} is already registered")
    registered[name] = Backlog(name, oldest, depth)
    app.extensions.pop(HEALTH_QUERY, None)


def jobs(app: Flask) -> list[Job]:
    return list(app.extensions.get(JOBS, {}).values())


def backlogs(app: Flask) -> list[Backlog]:
    return list(app.extensions.get(BACKLOGS, {}).values())
