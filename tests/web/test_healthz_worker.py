"""``/healthz`` reports the worker beside the database: a stale heartbeat and the oldest pending job show in
their own field, while ``status`` and the 200 stay as long as the database answers (API.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

START = datetime(2026, 3, 2, 9, 0, 30, tzinfo=UTC)


@pytest.fixture
def app_overrides():
    return {"WORKER_STALE_AFTER": 60}


def _health(client) -> dict:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["database"]) == ("ok", "ok")
    return body["worker"]


def test_no_worker_ever_is_stale(client):
    worker = _health(client)
    assert worker == {"status": "stale", "last_beat_s": None, "stale_after_s": 60, "workers": 0,
                      "oldest_pending_s": None, "pending": {"mail": None, "notices": None}}


def test_a_fresh_worker_then_a_stale_one_and_the_oldest_pending_mail(app, client, runner, monkeypatch):
    from zone.extensions import db
    from zone.mail.models import MailMessage
    from zone.worker.registry import JOBS

    monkeypatch.setitem(app.extensions, JOBS, {})  # a round that beats and sends nothing
    with time_machine.travel(START, tick=False) as clock:
        with app.app_context():
            db.session.add(MailMessage(kind="test", recipient="a@example.com", subject="Hi", body="Hi\n"))
            db.session.commit()
        clock.shift(timedelta(seconds=20))
        result = runner.invoke(args=["worker", "--once"])
        assert result.exit_code == 0, (result.output, result.exception)

        clock.shift(timedelta(seconds=15))
        fresh = _health(client)
        assert fresh == {"status": "ok", "last_beat_s": 15.0, "stale_after_s": 60, "workers": 1,
                         "oldest_pending_s": 35.0, "pending": {"mail": 35.0, "notices": None}}

        clock.shift(timedelta(seconds=60))
        stale = _health(client)
        assert (stale["status"], stale["last_beat_s"], stale["workers"]) == ("stale", 75.0, 0)
        assert stale["oldest_pending_s"] == 95.0


def test_a_worker_that_stopped_cleanly_no_longer_counts(app, client, runner, monkeypatch):
    from zone.worker.loop import Worker
    from zone.worker.registry import JOBS

    monkeypatch.setitem(app.extensions, JOBS, {})
    monkeypatch.setattr(Worker, "pause", lambda worker, seconds: worker.request_stop())
    result = runner.invoke(args=["worker"])
    assert result.exit_code == 0, (result.output, result.exception)
    worker = _health(client)
    assert (worker["status"], worker["workers"]) == ("stale", 0)


def test_the_openapi_document_describes_the_worker_field(client):
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert schema["Health"]["properties"]["worker"] == {"$ref": "#/components/schemas/WorkerHealth"}
    assert set(_health(client)) <= set(schema["WorkerHealth"]["properties"])
