"""The backlogs /healthz reports: the oldest event a receiver still waits for, queued for it or not yet, and
nothing once the worker delivered it."""

from __future__ import annotations

from datetime import timedelta


def _notices_age(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    return response.get_json()["worker"]["pending"]["notices"]


def test_the_oldest_notice_a_receiver_waits_for(app, client, runner, clock, make_receiver, subscribe,
                                                 emit_events, only_jobs):
    receiver = make_receiver()
    subscribe(receiver)
    emit_events(2)  # events not queued for the receiver yet: they wait all the same
    clock.shift(timedelta(seconds=40))
    assert _notices_age(client) == 40.0

    receiver.mode = "fail"  # queued and tried, not delivered: still waiting
    result = runner.invoke(args=["notices", "deliver"])
    assert result.exit_code == 0, result.output
    clock.shift(timedelta(seconds=5))
    assert _notices_age(client) == 45.0

    receiver.mode = "ok"
    only_jobs("notices.deliver")
    clock.shift(timedelta(minutes=5))  # past the receiver's back-off
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert len(receiver.received) == 2
    assert _notices_age(client) is None
