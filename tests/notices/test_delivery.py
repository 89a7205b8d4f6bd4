"""Signed delivery to real receivers: order, retries with the same id, failures that do not spread."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from zone.database import utcnow


def test_notices_arrive_signed_in_order_with_the_feed_ids(client, receiver, subscribe, emit_events, deliver, admin):
    subscribe(receiver, events=["certificate.issued"])
    ids = emit_events(5)
    assert "delivered 5" in deliver()
    assert [r["id"] for r in receiver.received] == ids
    assert [r["payload"]["id"] for r in receiver.received] == ids
    assert receiver.bad_signatures == 0
    feed = client.get("/api/v1/events", headers=admin).get_json()
    assert [e["id"] for e in feed["items"]] == ids
    assert receiver.received[0]["payload"] == feed["items"][0]
    # Nothing is sent twice once accepted.
    assert "delivered 0" in deliver()
    assert len(receiver.seen) == 5


def test_failing_receiver_is_retried_with_the_same_id_and_loses_nothing(client, receiver, subscribe, emit_events,
                                                                        deliver, admin):
    created = subscribe(receiver, events=["certificate.issued"])
    receiver.mode = "fail"
    ids = emit_events(3)
    assert "failed 1" in deliver()
    assert receiver.seen == [ids[0]]  # the first, alone: the others wait behind it to keep the order
    receiver.mode = "close"
    with time_machine.travel(utcnow() + timedelta(minutes=5), tick=False):
        deliver()
    receiver.mode = "ok"
    with time_machine.travel(utcnow() + timedelta(minutes=20), tick=False):
        deliver()
    assert [r["id"] for r in receiver.received] == ids
    assert set(receiver.seen) == set(ids) and receiver.seen[:2] == [ids[0], ids[0]]
    log = client.get(f"/api/v1/subscriptions/{created['id']}/deliveries", headers=admin).get_json()["items"]
    first = next(d for d in log if d["event"]["id"] == ids[0])
    assert [a["status_code"] for a in first["attempts"]] == [500, None, 204]
    assert first["status"] == "delivered" and first["next_retry_at"] is None


def test_a_receiver_down_for_an_hour_gets_everything_in_order_once_back(receiver, subscribe, emit_events, deliver):
    subscribe(receiver, events=["certificate.issued", "certificate.suspended"])
    receiver.mode = "fail"
    start = utcnow()
    ids = []
    with time_machine.travel(start, tick=False) as clock:
        for minute in range(60):  # an event every few minutes and the worker every minute, for an hour
            if minute % 6 == 0:
                ids += emit_events(1, "certificate.suspended" if minute % 12 else "certificate.issued")
            deliver()
            clock.shift(timedelta(minutes=1))
        assert receiver.received == []
        receiver.mode = "ok"
        for _ in range(15):  # the back-off is at most 10 minutes
            deliver()
            clock.shift(timedelta(minutes=1))
    assert [r["id"] for r in receiver.received] == ids
    assert [r["payload"]["id"] for r in receiver.received] == ids
    assert set(receiver.seen) <= set(ids)


def test_a_hanging_receiver_does_not_hold_up_the_others(app_overrides, make_receiver, subscribe, emit_events,
                                                        deliver):
    hanging, healthy = make_receiver(), make_receiver()
    subscribe(hanging, events=["certificate.issued"], name="hangs")
    subscribe(healthy, events=["certificate.issued"], name="healthy")
    hanging.mode = "hang"
    ids = emit_events(4)
    output = deliver()
    assert "delivered 4, failed 1" in output
    assert [r["id"] for r in healthy.received] == ids
    assert hanging.seen == [ids[0]]


def test_side_and_type_filters(receiver, subscribe, emit_events, deliver):
    subscribe(receiver, events=["certificate.suspended"], side="UZ")
    emit_events(1, "certificate.issued", side="UZ")
    emit_events(1, "certificate.suspended", side="KZ")
    wanted = emit_events(1, "certificate.suspended", side="UZ")
    deliver()
    assert [r["id"] for r in receiver.received] == wanted


def test_replay_sends_the_original_id_again(client, receiver, subscribe, emit_events, deliver, admin):
    created = subscribe(receiver, events=["certificate.issued"])
    ids = emit_events(2)
    deliver()
    log = client.get(f"/api/v1/subscriptions/{created['id']}/deliveries", headers=admin).get_json()["items"]
    first = next(d for d in log if d["event"]["id"] == ids[0])
    response = client.post(f"/api/v1/subscriptions/{created['id']}/deliveries/{first['id']}/replay", headers=admin)
    assert response.status_code == 202
    assert "delivered 1" in deliver()
    assert [r["id"] for r in receiver.received] == [ids[0], ids[1], ids[0]]
    assert receiver.bad_signatures == 0
