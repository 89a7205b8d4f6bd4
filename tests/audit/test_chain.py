"""The audit chain: written with the commit, gap-free, append-only, and every kind of tampering found
at the right sequence number."""

from __future__ import annotations

import itertools
import math
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy import select, text

from tests.audit.conftest import renumber
from zone.audit.models import AuditEvent, AuditHead
from zone.audit.services import chain_hash, format_time, record, verify_chain
from zone.extensions import db


def _entry(seq: int) -> AuditEvent:
    db.session.expire_all()
    return db.session.get(AuditEvent, seq)


def _result(report) -> tuple:
    return report.ok, report.first_bad_seq, report.problem


# --- writing ----------------------------------------------------------------------------------------

def test_events_are_chained_gap_free_and_the_head_follows(fill_chain):
    fill_chain(6)
    entries = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5, 6]
    assert entries[0].prev_hash == ""
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
        assert after.hash == chain_hash(before.hash, after)
    head = db.session.get(AuditHead, 1)
    assert (head.seq, head.hash) == (6, entries[-1].hash)
    report = verify_chain()
    assert report.ok and report.length == 6 and report.head_hash == entries[-1].hash
    assert report.first_bad_seq is None and report.verified_seq == 6


def test_an_empty_chain_is_intact(ctx):
    assert verify_chain().to_dict() == {"ok": True, "length": 0, "head_hash": "", "first_bad_seq": None,
                                        "problem": None, "verified_seq": 0, "keyed_from": None,
                                        "published_anchor": None}


def test_a_rolled_back_transaction_leaves_no_event(ctx):
    record("test.rolled_back", object_type="thing", object_id=1)
    db.session.rollback()
    record("test.kept", object_type="thing", object_id=2)
    db.session.commit()
    assert db.session.scalars(select(AuditEvent.action)).all() == ["test.kept"]


def test_a_closed_session_does_not_leak_its_events_into_the_next_transaction(ctx):
    db.session.execute(select(1))
    record("test.never_committed")
    db.session.close()
    record("test.committed")
    db.session.commit()
    assert db.session.scalars(select(AuditEvent.action)).all() == ["test.committed"]


def test_a_rolled_back_savepoint_drops_only_its_own_events(ctx):
    record("test.outer_before")
    savepoint = db.session.begin_nested()
    record("test.inside")
    savepoint.rollback()
    with db.session.begin_nested():
        record("test.released")
    record("test.outer_after")
    db.session.commit()
    assert db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all() == [
        "test.outer_before", "test.released", "test.outer_after"]
    assert verify_chain().ok


class Colour(StrEnum):
    RED = "red"


def test_details_of_any_type_survive_the_round_trip_and_verify(ctx):
    record("test.types", object_type="x" * 100, object_id="y" * 200, actor_label="z" * 400,
           details={"amount": Decimal("12.50"), "day": date(2026, 3, 1), "at": datetime(2026, 3, 1, 9, 30),
                    "colour": Colour.RED, "set": {3, 1, 2}, "nan": math.nan, 7: "int key", "nested": [{"a": None}]})
    db.session.commit()
    entry = _entry(1)
    assert entry.details["amount"] == "12.50" and entry.details["day"] == "2026-03-01"
    assert entry.details["colour"] == "red" and entry.details["set"] == [1, 2, 3] and entry.details["nan"] == "nan"
    assert entry.details["7"] == "int key"
    assert len(entry.object_type) == 40 and len(entry.object_id) == 80 and len(entry.actor) == 254
    assert verify_chain().ok


def test_the_signed_in_user_is_the_default_actor(client, login_as, ctx):
    user = login_as("auditor")
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login"))
    assert (entry.actor_id, entry.actor, entry.ip) == (user.id, user.email, "127.0.0.1")


# --- the database refuses changes -------------------------------------------------------------------

@pytest.mark.parametrize("statement", ["UPDATE audit_events SET actor = 'intruder' WHERE seq = 1",
                                       "DELETE FROM audit_events WHERE seq = 1",
                                       "DELETE FROM audit_events"])
def test_the_database_refuses_update_and_delete(fill_chain, statement):
    fill_chain(2)
    with pytest.raises(sa.exc.DBAPIError) as caught:
        db.session.execute(text(statement))
        db.session.flush()
    assert "append-only" in str(caught.value)
    db.session.rollback()
    assert db.session.scalar(select(sa.func.count()).select_from(AuditEvent)) == 2
    assert verify_chain().ok


@pytest.mark.parametrize(("statement", "message"), [
    ("UPDATE audit_head SET seq = seq - 1, hash = 'x' WHERE id = 1", "only moves forward"),
    ("UPDATE audit_head SET hash = 'x' WHERE id = 1", "only moves forward"),
    ("DELETE FROM audit_head", "cannot be deleted"),
])
def test_the_database_refuses_to_wind_back_or_delete_the_head(fill_chain, statement, message):
    fill_chain(3)
    with pytest.raises(sa.exc.DBAPIError) as caught:
        db.session.execute(text(statement))
        db.session.flush()
    assert message in str(caught.value)
    db.session.rollback()
    assert verify_chain().ok
    record("test.still_writable")
    db.session.commit()
    assert verify_chain().length == 4


def test_the_orm_cannot_change_an_entry_either(fill_chain):
    fill_chain(1)
    entry = _entry(1)
    entry.actor = "intruder"
    with pytest.raises(sa.exc.DBAPIError):
        db.session.commit()
    db.session.rollback()
    assert _entry(1).actor == "tester"


# --- tampering, each way, found at the right place ---------------------------------------------------

def test_an_edited_field_is_found(fill_chain, tamper):
    fill_chain(6)
    tamper("UPDATE audit_events SET actor = 'someone else' WHERE seq = 3")
    assert _result(verify_chain()) == (False, 3, "altered")


def test_an_edited_hash_is_found(fill_chain, tamper):
    fill_chain(6)
    tamper("UPDATE audit_events SET hash = :h WHERE seq = 2", h="0" * 64)
    assert _result(verify_chain()) == (False, 2, "altered")


def test_an_entry_edited_and_re_hashed_is_found_by_its_successor(fill_chain, tamper):
    fill_chain(6)
    entry = _entry(3)
    forged = SimpleNamespace(**{c: getattr(entry, c) for c in ("seq", "at", "actor_id", "ip", "action",
                                                                 "object_type", "object_id", "details")},
                             actor="someone else")
    tamper("UPDATE audit_events SET actor = 'someone else', hash = :h WHERE seq = 3",
           h=chain_hash(entry.prev_hash, forged))
    assert _result(verify_chain()) == (False, 3, "rewritten")


def test_a_deleted_entry_is_found(fill_chain, tamper):
    fill_chain(6)
    tamper("DELETE FROM audit_events WHERE seq = 3")
    report = verify_chain()
    assert _result(report) == (False, 3, "missing")
    assert report.verified_seq == 2 and report.length == 5


def test_a_deleted_entry_hidden_by_renumbering_is_found(fill_chain, tamper):
    fill_chain(6)
    tamper("DELETE FROM audit_events WHERE seq = 3", *renumber(4, -1),
           "UPDATE audit_head SET seq = 5 WHERE id = 1")
    assert _result(verify_chain()) == (False, 3, "moved")


def test_the_deleted_last_entry_is_found(fill_chain, tamper):
    fill_chain(6)
    tamper("DELETE FROM audit_events WHERE seq = 6")
    assert _result(verify_chain()) == (False, 6, "missing")


def _forge(seq: int, prev_hash: str, **fields) -> dict:
    entry = SimpleNamespace(seq=seq, at=datetime(2026, 1, 1, 12, 0), actor_id=None, actor="intruder", ip=None,
                            action="user.role_change", object_type="user", object_id="1",
                            details={"from": "auditor", "to": "admin"})
    for name, value in fields.items():
        setattr(entry, name, value)
    values = dict(vars(entry))
    values["hash"] = chain_hash(prev_hash, entry)
    values["prev_hash"] = prev_hash
    values["details"] = '{"from": "auditor", "to": "admin"}'
    return values


INSERT = ("INSERT INTO audit_events (seq, at, actor_id, actor, ip, action, object_type, object_id, details, "
          "prev_hash, hash) VALUES (:seq, :at, :actor_id, :actor, :ip, :action, :object_type, :object_id, "
          "{details}, :prev_hash, :hash)")


def _insert_sql() -> str:
    cast = "CAST(:details AS JSON)" if db.engine.dialect.name == "postgresql" else ":details"
    return INSERT.format(details=cast)


def test_an_inserted_entry_is_found_even_when_its_hash_fits(fill_chain, tamper):
    fill_chain(6)
    forged = _forge(3, _entry(2).hash)
    tamper(*renumber(3, 1), _insert_sql(), "UPDATE audit_head SET seq = 7 WHERE id = 1", **forged)
    assert verify_chain().length == 7
    assert _result(verify_chain()) == (False, 3, "inserted")


def test_an_entry_appended_without_the_head_is_found(fill_chain, tamper):
    fill_chain(6)
    forged = _forge(7, _entry(6).hash)
    tamper(_insert_sql(), **forged)
    assert _result(verify_chain()) == (False, 7, "inserted")


def test_two_reordered_entries_are_found(fill_chain, tamper):
    fill_chain(6)
    tamper("UPDATE audit_events SET seq = -1 WHERE seq = 3", "UPDATE audit_events SET seq = 3 WHERE seq = 4",
           "UPDATE audit_events SET seq = 4 WHERE seq = -1")
    assert _result(verify_chain()) == (False, 3, "moved")


def test_an_edited_last_entry_is_found(fill_chain, tamper):
    fill_chain(6)
    tamper("UPDATE audit_events SET action = 'test.harmless' WHERE seq = 6")
    assert _result(verify_chain()) == (False, 6, "altered")


def test_an_edited_head_is_found(fill_chain, tamper):
    fill_chain(6)
    tamper("UPDATE audit_head SET hash = :h WHERE id = 1", h="f" * 64)
    assert _result(verify_chain()) == (False, 6, "head")


def test_a_last_entry_re_hashed_behind_the_heads_back_is_found(fill_chain, tamper):
    fill_chain(6)
    entry = _entry(6)
    forged = SimpleNamespace(**{c: getattr(entry, c) for c in ("seq", "at", "actor_id", "actor", "ip",
                                                                 "object_type", "object_id", "details")},
                             action="test.harmless")
    tamper("UPDATE audit_events SET action = 'test.harmless', hash = :h WHERE seq = 6",
           h=chain_hash(entry.prev_hash, forged))
    assert _result(verify_chain()) == (False, 6, "head")


def test_recording_continues_after_tampering_and_the_break_stays_visible(fill_chain, tamper):
    fill_chain(4)
    tamper("UPDATE audit_events SET actor = 'x' WHERE seq = 2")
    record("test.after")
    db.session.commit()
    assert _result(verify_chain()) == (False, 2, "altered")
    assert format_time(_entry(5).at).endswith("Z")
