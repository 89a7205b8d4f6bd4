"""Worker tests: a fake clock the worker's waits are spent on, and the app's jobs narrowed to the ones a
test looks at (plus its own, registered with ``register_job``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

# The notices' receiver and helpers, for worker copies delivering notices.
from tests.notices.conftest import admin, emit_events, make_receiver, subscribe  # noqa: F401

START = datetime(2026, 3, 2, 9, 0, 30, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


class Pauses(list):
    """The worker's waits between rounds, in seconds; it is asked to stop after ``stop_after`` of them."""

    stop_after = 8


@pytest.fixture
def pauses(monkeypatch, clock):
    from zone.worker.loop import Worker

    waits = Pauses()

    def pause(worker, seconds):
        waits.append(seconds)
        clock.shift(timedelta(seconds=seconds))
        if len(waits) >= waits.stop_after:
            worker.request_stop()

    monkeypatch.setattr(Worker, "pause", pause)
    return waits


@pytest.fixture
def only_jobs(app, monkeypatch):
    """``only_jobs("mail.send")`` keeps just those of the registered jobs for this test."""
    from zone.worker.registry import JOBS

    def keep(*names: str) -> None:
        registered = app.extensions[JOBS]
        monkeypatch.setitem(app.extensions, JOBS, {name: registered[name] for name in names})

    return keep


def queue_plain_mail(app, count: int) -> None:
    from zone.extensions import db
    from zone.mail.models import MailMessage

    with app.app_context():
        for n in range(count):
            db.session.add(MailMessage(kind="test", recipient=f"person{n}@example.com", subject=f"Mail {n}",
                                       body="Hello\n"))
        db.session.commit()


def job_runs(app, job: str) -> list:
    from sqlalchemy import select

    from zone.extensions import db
    from zone.worker.models import JobRun

    with app.app_context():
        rows = db.session.scalars(select(JobRun).where(JobRun.job == job).order_by(JobRun.due_at)).all()
        for row in rows:
            db.session.expunge(row)
        return rows
