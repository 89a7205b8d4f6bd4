"""The auditor's pages: the trail with filters and keyset pages, an object's history, one entry, the
"verify now" check and the streamed CSV export."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from zone.audit.models import AuditEvent
from zone.audit.services import format_time
from zone.calendar import local_date
from zone.calendar import today as zone_today
from zone.extensions import db


def _seqs(page: str) -> list[int]:
    return [int(s) for s in re.findall(r'href="/audit/events/(\d+)"', page)]


def test_only_auditors_and_admins_open_the_trail(client, login_as, make_user, login):
    assert client.get("/audit").status_code == 302  # anonymous: to the sign-in page
    for role in ("applicant", "reviewer", "approver"):
        login(make_user(role))
        assert client.get("/audit").status_code == 403, role
        client.post("/logout")
    for role in ("auditor", "admin"):
        login(make_user(role))
        assert client.get("/audit").status_code == 200, role
        client.post("/logout")


def test_trail_pages_newest_first_with_keyset_pagination(client, login_as, fill_chain):
    fill_chain(120)
    login_as("auditor")  # adds auth.login: 121 entries
    page = client.get("/audit").get_data(as_text=True)
    first = _seqs(page)
    assert first == list(range(121, 71, -1))
    older = re.search(r'href="(/audit\?before=\d+[^"]*)"', page).group(1)
    second = _seqs(client.get(older.replace("&amp;", "&")).get_data(as_text=True))
    assert second == list(range(71, 21, -1))
    third_page = client.get("/audit?before=22").get_data(as_text=True)
    assert _seqs(third_page) == list(range(21, 0, -1))
    assert "before=" not in third_page.split('aria-label="Pages"')[-1].split("Newest")[-1]


def test_trail_filters_by_actor_action_object_and_time(client, login_as, fill_chain, tamper):
    fill_chain(5)
    auditor = login_as("auditor")
    # move entry 2 into the past, as if recorded last year (the chain breaks, the filter still works)
    last_year = datetime.now(UTC) - timedelta(days=400)
    tamper("UPDATE audit_events SET at = :at WHERE seq = 2", at=last_year.replace(tzinfo=None))
    assert _seqs(client.get(f"/audit?actor={auditor.email.upper()}").get_data(as_text=True)) == [6]
    assert _seqs(client.get(f"/audit?actor={auditor.id}").get_data(as_text=True)) == [6]
    assert _seqs(client.get("/audit?action=auth.login").get_data(as_text=True)) == [6]
    assert _seqs(client.get("/audit?action=auth.*").get_data(as_text=True)) == [6]
    assert _seqs(client.get("/audit?action=test.").get_data(as_text=True)) == [5, 4, 3, 2, 1]
    assert _seqs(client.get("/audit?object_type=thing&object_id=3").get_data(as_text=True)) == [3]
    day = local_date(last_year).isoformat()  # the filter's days are the zone's, not UTC's
    assert _seqs(client.get(f"/audit?date_from={day}&date_to={day}").get_data(as_text=True)) == [2]
    recent = (zone_today() - timedelta(days=2)).isoformat()
    assert 2 not in _seqs(client.get(f"/audit?date_from={recent}").get_data(as_text=True))


def test_an_invalid_date_is_shown_and_ignored(client, login_as, fill_chain):
    fill_chain(2)
    login_as("admin")
    response = client.get("/audit?date_from=31.02.2026")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and _seqs(page) == [3, 2, 1]


def test_object_history_lists_every_event_of_the_object(client, login_as, fill_chain):
    fill_chain(3)
    from zone.audit.services import record

    record("test.again", object_type="thing", object_id=2, details={"why": "second look"})
    db.session.commit()
    login_as("auditor")
    page = client.get("/audit").get_data(as_text=True)
    assert 'href="/audit/objects/thing/2"' in page
    response = client.get("/audit/objects/thing/2")
    assert response.status_code == 200
    history = response.get_data(as_text=True)
    assert re.findall(r'href="/audit/events/(\d+)"', history) == ["2", "4"]
    assert "second look" in history
    empty = client.get("/audit/objects/thing/999")
    assert empty.status_code == 200 and "/audit/events/" not in empty.get_data(as_text=True)


def test_one_entry_shows_its_hashes_and_whether_it_is_intact(client, login_as, fill_chain, tamper):
    fill_chain(3)
    login_as("auditor")
    entry = db.session.get(AuditEvent, 2)
    page = client.get("/audit/events/2").get_data(as_text=True)
    assert entry.hash in page and entry.prev_hash in page and 'class="pass"' in page
    tamper("UPDATE audit_events SET actor = 'x' WHERE seq = 2")
    assert 'class="fail"' in client.get("/audit/events/2").get_data(as_text=True)
    assert client.get("/audit/events/999").status_code == 404


def test_an_entry_hashed_before_keying_is_shown_as_such(client, login_as, legacy_chain):
    legacy_chain(2)
    login_as("auditor")
    page = client.get("/audit/events/2?lang=en").get_data(as_text=True)
    assert "computed without the chain key" in page and 'class="pass"' not in page and 'class="fail"' not in page


def test_verify_now_reports_intact_then_the_first_altered_entry(client, login_as, fill_chain, tamper):
    fill_chain(5)
    login_as("auditor")
    page = client.get("/audit/verify").get_data(as_text=True)
    assert "flash-success" in page
    tamper("DELETE FROM audit_events WHERE seq = 4")
    page = client.get("/audit/verify").get_data(as_text=True)
    assert "flash-error" in page and ">4<" not in page
    assert re.search(r"\b4\b", page.split("flash-error")[1].split("</div>")[0])
    checks = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.verify")
                                .order_by(AuditEvent.seq)).all()
    assert [c.details["ok"] for c in checks] == [True, False]
    assert checks[-1].details["first_bad_seq"] == 4 and checks[-1].details["problem"] == "missing"
    # the trail page shows the last recorded check
    assert "flash-error" in client.get("/audit").get_data(as_text=True)


def test_csv_export_is_streamed_audited_and_parses_back(client, login_as, fill_chain):
    fill_chain(30)
    auditor = login_as("auditor")
    response = client.get("/audit/export.csv?action=test.*&header=machine")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    db.session.expire_all()
    entries = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "test.event")
                                 .order_by(AuditEvent.seq)).all()
    assert [int(r["seq"]) for r in rows] == [e.seq for e in entries]
    for row, entry in zip(rows, entries, strict=True):
        assert row["hash"] == entry.hash and row["prev_hash"] == entry.prev_hash
        assert row["at"] == format_time(entry.at) and json.loads(row["details"]) == entry.details
        assert row["actor"] == "tester" and row["object_id"] == entry.object_id
    export = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.export"))
    assert export.actor_id == auditor.id
    assert export.details == {"format": "csv", "filter": {"action": "test.*"}}


def _recorded_export(ctx) -> None:
    from zone.audit.services import record

    record("register.export", object_type="certificate_register", actor_label="tester",
           details={"format": "csv", "rows": 3, "filter": {"status": "suspended"}, "as_of": "2026-03-01"})
    db.session.commit()


def _text(page: str) -> str:
    """What a reader sees: the page without its tags (attributes such as title= gone too)."""
    return re.sub(r"<[^>]+>", "", page)


def test_the_trail_speaks_words_and_keeps_the_codes_for_auditors(client, login_as, ctx):
    _recorded_export(ctx)
    login_as("auditor")
    page = client.get("/audit?lang=ru").get_data(as_text=True)
    text = _text(page)
    assert "Реестр свидетельств выгружен" in text and "Реестр свидетельств" in text
    assert "Вход в систему" in text  # the auditor's own sign-in
    assert "register.export" not in text and "certificate_register" not in text and "auth.login" not in text
    assert 'title="register.export"' in page  # the code, unobtrusively, for correlating with the CSV
    assert "Формат: csv" in text and "Строк: 3" in text and "Фильтры: Статус: suspended" in text
    entry = client.get("/audit/events/1?lang=ru").get_data(as_text=True)
    assert "Реестр свидетельств выгружен" in entry and "<code>register.export</code>" in entry
    assert "<code>certificate_register</code>" in entry and "1 мар. 2026" in entry


def test_an_object_history_names_the_object_and_its_events(client, login_as, fill_chain):
    from zone.audit.services import record

    record("certificate.suspend", object_type="certificate", object_id="ZN-KZ-2026-000012",
           details={"serial": "ZN-KZ-2026-000012", "reason": "нарушение", "ok": False})
    db.session.commit()
    login_as("auditor")
    text = _text(client.get("/audit/objects/certificate/ZN-KZ-2026-000012?lang=ru").get_data(as_text=True))
    assert "Свидетельство ZN-KZ-2026-000012" in text and "Свидетельство приостановлено" in text
    assert "Основание: нарушение" in text and "Нет" in text and "certificate.suspend" not in text


def test_an_unlabelled_code_of_an_older_entry_is_shown_humanized(client, login_as, fill_chain):
    fill_chain(1, action="legacy.thing_done")
    login_as("auditor")
    response = client.get("/audit?lang=en")
    assert response.status_code == 200
    assert "Legacy: thing done" in _text(response.get_data(as_text=True))
    assert client.get("/audit/events/1?lang=en").status_code == 200


def test_the_filters_are_menus_whose_chosen_value_filters(client, login_as, fill_chain, ctx):
    fill_chain(2)
    _recorded_export(ctx)
    login_as("auditor")
    page = client.get("/audit?lang=ru&action=register.export").get_data(as_text=True)
    action_menu = re.search(r'<select id="action" name="action">(.*?)</select>', page, re.S).group(1)
    assert re.search(r'<option value="">[^<]+</option>', action_menu)  # "all" first
    assert '<optgroup label="Реестры">' in action_menu
    assert re.search(r'<option value="register.export" title="register.export" selected>'
                     r"Реестр свидетельств выгружен</option>", action_menu)
    assert '<option value="auth.*"' in action_menu  # a whole domain at once
    assert _seqs(page) == [3]
    type_menu = re.search(r'<select id="object_type" name="object_type">(.*?)</select>', page, re.S).group(1)
    assert '<option value="certificate_register" title="certificate_register">Реестр свидетельств</option>' \
        in type_menu
    assert '<option value="thing"' in type_menu  # a type found in the trail without a label stays choosable
    page = client.get("/audit?object_type=thing&action=test.").get_data(as_text=True)
    assert _seqs(page) == [2, 1] and re.search(r'<option value="test\." [^>]*selected>', page)


def test_the_csv_from_the_page_is_headed_in_the_readers_language(client, login_as, fill_chain):
    fill_chain(2)
    login_as("auditor")
    page = client.get("/audit?lang=ru&action=test.*").get_data(as_text=True)
    assert 'href="/audit/export.csv?header=machine&amp;action=test.*"' in page
    spoken = list(csv.reader(io.StringIO(client.get("/audit/export.csv?lang=ru&action=test.*")
                                         .get_data().decode("utf-8-sig"))))
    machine = list(csv.reader(io.StringIO(client.get("/audit/export.csv?lang=ru&action=test.*&header=machine")
                                          .get_data().decode("utf-8-sig"))))
    assert spoken[0][:6] == ["№", "Время (UTC)", "Пользователь №", "Кто", "Адрес", "Действие"]
    assert machine[0] == ["seq", "at", "actor_id", "actor", "ip", "action", "object_type", "object_id", "details",
                          "prev_hash", "hash"]
    assert spoken[1:] == machine[1:] and [row[5] for row in spoken[1:]] == ["test.event", "test.event"]
