"""Two copies of the worker at once on PostgreSQL (real row locks): each scheduled run happens once (claimed
under a unique key), each mail is sent once (the outbox rows are taken with FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.conftest import read_outbox
from tests.worker.conftest import job_runs, queue_plain_mail

ROUNDS = 40


def _copy(app, name: str, barrier: threading.Barrier, errors: list):
    from zone.worker.loop import Worker
    from zone.worker.services import Identity

    worker = Worker(app, interval=0.01, identity=Identity(f"test:{name}", "test", 0))
    rounds = {"n": 0}

    def pause(seconds: float) -> None:
        rounds["n"] += 1
        if rounds["n"] >= ROUNDS:
            worker.request_stop()
        worker.stopping.wait(0.01)

    worker.pause = pause

    def run() -> None:
        try:
            with app.app_context():
                barrier.wait()
                worker.run()
                assert worker.outages == 0
        except BaseException as error:  # an assertion or error of a thread: the test reports it
            errors.append(error)

    return threading.Thread(target=run, name=f"worker-{name}"), worker


@pytest.mark.postgres_only
def test_two_copies_run_each_scheduled_run_once_and_send_each_mail_once(app, only_jobs, outbox_dir):
    from zone.extensions import db
    from zone.mail.models import MailMessage
    from zone.worker.registry import register_job

    only_jobs("mail.send")
    calls: list[str] = []
    lock = threading.Lock()

    def counted(name):
        def job():
            with lock:
                calls.append(name)
        return job

    for name in ("test.hourly", "test.daily", "test.minutely"):
        every = {"test.hourly": timedelta(hours=1), "test.daily": timedelta(days=1),
                 "test.minutely": timedelta(minutes=1)}[name]
        register_job(app, name, counted(name), every=every)

    barrier = threading.Barrier(2)
    errors: list = []
    copies = [_copy(app, name, barrier, errors) for name in ("a", "b")]
    # a clock that runs from well inside an hour, so every period's boundary is known
    with time_machine.travel(datetime(2026, 3, 2, 9, 10, 5, tzinfo=UTC), tick=True):
        queue_plain_mail(app, 60)
        for thread, _worker in copies:
            thread.start()
        for thread, _worker in copies:
            thread.join(timeout=120)
    assert not errors, errors

    assert calls.count("test.hourly") == 1 and calls.count("test.daily") == 1
    minutely = job_runs(app, "test.minutely")
    assert calls.count("test.minutely") == len(minutely) and len({run.due_at for run in minutely}) == len(minutely)
    for name in ("test.hourly", "test.daily", "test.minutely"):
        assert all(run.status == "done" and run.attempts == 1 for run in job_runs(app, name))

    mails = read_outbox(outbox_dir)
    assert sorted(mail["to"] for mail in mails) == sorted(f"person{n}@example.com" for n in range(60))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MailMessage)
                                 .where(MailMessage.status == "sent", MailMessage.attempts == 1)) == 60


@pytest.mark.postgres_only
def test_two_copies_deliver_each_notice_once(app, only_jobs, make_receiver, subscribe, emit_events):
    from zone.extensions import db
    from zone.notices.models import Delivery, DeliveryAttempt

    only_jobs("notices.deliver")
    receivers = [make_receiver() for _ in range(3)]
    for number, receiver in enumerate(receivers):
        subscribe(receiver, name=f"Receiver {number}")
    ids = emit_events(15)

    barrier = threading.Barrier(2)
    errors: list = []
    copies = [_copy(app, name, barrier, errors) for name in ("a", "b")]
    for thread, _worker in copies:
        thread.start()
    for thread, _worker in copies:
        thread.join(timeout=120)
    assert not errors, errors

    for receiver in receivers:
        assert [entry["id"] for entry in receiver.received] == ids  # each once, in order
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Delivery)
                                 .where(Delivery.status == "delivered", Delivery.attempts == 1)) == 45
        assert db.session.scalar(select(func.count()).select_from(DeliveryAttempt)) == 45
