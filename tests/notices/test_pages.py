"""The notices page: admins subscribe and see the secret once; staff see what needs attention."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine

from zone.database import utcnow


def test_admin_subscribes_through_the_page_and_replays(client, login_as, receiver, emit_events, deliver):
    login_as("admin")
    response = client.post("/notices", data={"name": "Налоговая КЗ", "url": receiver.url, "side": "KZ",
                                             "events": ["certificate.issued", "certificate.revoked"]})
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    secret = page.split("<code>", 1)[1].split("</code>", 1)[0]
    assert secret.startswith("whsec_")
    receiver.secret = secret
    ids = emit_events(1)
    deliver()
    assert [r["id"] for r in receiver.received] == ids
    page = client.get("/notices").get_data(as_text=True)
    assert "Налоговая КЗ" in page and secret not in page
    log = client.get("/notices/1")
    assert log.status_code == 200 and ids[0] in log.get_data(as_text=True)
    assert client.post("/notices/1/deliveries/1/replay").status_code == 302
    deliver()
    assert [r["id"] for r in receiver.received] == ids * 2


def test_refused_address_keeps_what_was_typed(client, login_as):
    login_as("admin")
    response = client.post("/notices", data={"name": "Таможня", "url": "https://10.1.2.3/hook",
                                             "events": ["certificate.issued"]})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Таможня" in page and "https://10.1.2.3/hook" in page


def test_staff_see_a_failing_receiver_and_notices_near_their_deadline(client, login_as, receiver, subscribe,
                                                                      emit_events, deliver):
    subscribe(receiver, events=["certificate.issued"], name="Down for days")
    receiver.mode = "fail"
    emit_events(1)
    deliver()
    with time_machine.travel(utcnow() + timedelta(days=2), tick=False):
        login_as("reviewer")
        page = client.get("/notices").get_data(as_text=True)
        assert client.post("/notices", data={"name": "x"}).status_code == 403
    assert page.count("Down for days") == 3  # failing, near the deadline, and the list


def test_the_staff_dashboard_has_a_tile_of_notices_that_need_a_person(client, login_as, receiver, subscribe,
                                                                     emit_events, deliver):
    subscribe(receiver, events=["certificate.issued"], name="Down for days")
    receiver.mode = "fail"
    emit_events(1)
    deliver()
    with time_machine.travel(utcnow() + timedelta(days=2), tick=False):
        login_as("reviewer")
        page = client.get("/review/dashboard?lang=en").get_data(as_text=True)
    tile = page[page.index('id="chart-notices-caption"'):]
    tile = tile[:tile.index("</figure>")]
    assert "<svg" in tile and "Notices to the authorities that need a person" in tile
    assert "1 notices are not delivered close to their deadline" in tile.replace("\u00a0", " ")
    assert re.search(r"Notices near or past their deadline — Kazakh side \(KZ\): 1<", tile)
    assert re.search(r"Receivers failing for days — Both sides: 1<", tile)
    assert 'href="/notices/"' in page or 'href="/notices"' in page


def test_the_dashboard_tile_counts_in_the_database_whatever_the_backlog(app, client, login_as, receiver, subscribe,
                                                                      emit_events, deliver):
    """The tile's numbers are grouped counts: the same queries for 2 late notices as for 6, each side's
    number exact (no row is loaded to be counted, none is left out by a cap)."""
    from sqlalchemy import event

    from zone.extensions import db

    subscribe(receiver, events=["certificate.issued"], name="Down for days")
    receiver.mode = "fail"

    def dashboard() -> tuple[str, int]:
        statements = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        with time_machine.travel(utcnow() + timedelta(days=3), tick=False):
            login_as("reviewer")
            client.get("/review/dashboard")  # the first visit of the day may do the day's work
            event.listen(engine, "before_cursor_execute", listener)
            try:
                page = client.get("/review/dashboard?lang=en").get_data(as_text=True)
            finally:
                event.remove(engine, "before_cursor_execute", listener)
        tile = page[page.index('id="chart-notices-caption"'):]
        return tile[:tile.index("</figure>")], len(statements)

    emit_events(2)
    deliver()
    _, few = dashboard()
    emit_events(3)
    emit_events(1, side="UZ")
    deliver()
    tile, many = dashboard()
    assert many == few
    assert re.search(r"Notices near or past their deadline — Kazakh side \(KZ\): 5<", tile)
    assert re.search(r"Notices near or past their deadline — Uzbek side \(UZ\): 1<", tile)
