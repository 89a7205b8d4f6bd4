"""Events written by concurrent transactions are numbered gap-free in commit order (real row locks)."""

from __future__ import annotations

import threading

import pytest


@pytest.mark.postgres_only
def test_concurrent_writers_get_gap_free_numbers_and_a_rollback_leaves_no_hole(app, client, admin):
    from zone.events.services import emit
    from zone.extensions import db

    def writer(index: int) -> None:
        with app.app_context():
            for n in range(10):
                emit("certificate.issued", {"serial": f"S-{index}-{n}", "side": "KZ"})
                if n == 5:
                    db.session.rollback()  # a change that fails: its number goes back to the pool
                else:
                    db.session.commit()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    items = client.get("/api/v1/events?limit=200", headers=admin).get_json()["items"]
    assert len(items) == 36
    with app.app_context():
        from sqlalchemy import select

        from zone.events.models import Event

        assert db.session.scalars(select(Event.seq).order_by(Event.seq)).all() == list(range(1, 37))
