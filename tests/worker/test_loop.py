"""The worker through ``flask worker``: a failing job is retried with back-off while the others go on; a
database outage is waited out, longer each time, and the process lives on; scheduled runs are claimed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from tests.conftest import read_outbox
from tests.worker.conftest import START, job_runs, queue_plain_mail


def _work(runner, interval: int = 1) -> str:
    result = runner.invoke(args=["worker", "--interval", str(interval)])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_a_failing_job_is_retried_later_and_the_loop_goes_on(app, runner, pauses, only_jobs, outbox_dir):
    from zone.worker.registry import register_job

    only_jobs("mail.send")
    calls = {"flaky": 0, "hourly": 0}

    def flaky():
        calls["flaky"] += 1
        if calls["flaky"] <= 2:
            raise RuntimeError("receiver away")

    def hourly():
        calls["hourly"] += 1
        if calls["hourly"] == 1:
            raise ConnectionError("network down")

    register_job(app, "test.flaky", flaky, every=timedelta(seconds=1), drains_queue=True)
    register_job(app, "test.hourly", hourly, every=timedelta(hours=1))
    queue_plain_mail(app, 2)

    assert "worker stopped" in _work(runner)

    # flaky: fails at 0 s, waits 1 s, fails at 1 s, waits 2 s, then runs every round it is due
    assert calls["flaky"] >= 4
    # the scheduled run failed once, was taken up again after its back-off, and is done: one run, two attempts
    assert calls["hourly"] == 2
    [run] = job_runs(app, "test.hourly")
    assert (run.status, run.attempts, run.error) == ("done", 2, None)
    assert run.due_at.replace(tzinfo=None) == START.replace(minute=0, second=0, tzinfo=None)
    # the other job was not held up by the failing ones
    assert sorted(mail["to"] for mail in read_outbox(outbox_dir)) == ["person0@example.com", "person1@example.com"]
    assert set(pauses) == {1.0}  # no round failed: the database was there all along


def test_a_scheduled_run_happens_once_per_period(app, runner, pauses, only_jobs):
    from zone.worker.registry import register_job

    only_jobs()
    ran = []
    register_job(app, "test.hourly", lambda: ran.append(1), every=timedelta(hours=1))
    pauses.stop_after = 30  # 30 minutes of one-minute rounds, across no hour
    _work(runner, interval=60)
    assert len(ran) == 1
    pauses.clear()
    pauses.stop_after = 60  # an hour later: the next period's run, once
    _work(runner, interval=60)
    assert len(ran) == 2
    assert [run.status for run in job_runs(app, "test.hourly")] == ["done", "done"]


def test_a_database_outage_is_survived_with_backoff(app, runner, pauses, only_jobs, outbox_dir):
    from zone.extensions import db

    only_jobs("mail.send")
    queue_plain_mail(app, 1)
    with app.app_context():
        engine = db.engine
    failures = {"left": 4}

    def connect(dialect, record, cargs, cparams):
        if failures["left"]:
            failures["left"] -= 1
            raise dialect.loaded_dbapi.OperationalError("could not connect to server: Connection refused")
        return None  # connect as usual

    engine.dispose()  # every round from now on needs a new connection
    event.listen(engine, "do_connect", connect)
    try:
        pauses.stop_after = 7
        assert "worker stopped" in _work(runner)
    finally:
        event.remove(engine, "do_connect", connect)

    # four failed rounds waited 1, 2, 4, 8 s; then the rounds came back to the interval
    assert pauses[:5] == [1.0, 2.0, 4.0, 8.0, 1.0]
    assert [mail["to"] for mail in read_outbox(outbox_dir)] == ["person0@example.com"]


def test_once_runs_one_round_and_leaves_a_heartbeat(app, runner, clock, only_jobs):
    from zone.worker.models import WorkerHeartbeat

    only_jobs("certificates.expire")
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, (result.output, result.exception)
    assert [run.status for run in job_runs(app, "certificates.expire")] == ["done"]
    with app.app_context():
        from zone.extensions import db

        [beat] = db.session.query(WorkerHeartbeat).all()
        assert beat.current_job is None and beat.stopped_at is None
