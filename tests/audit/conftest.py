"""Helpers for the audit tests: fill the chain, tamper with it behind the triggers' back, rewrite it as an
intruder would, and hold entries written before the chain was keyed."""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from flask import g
from sqlalchemy import delete as delete_rows
from sqlalchemy import select, text

from zone.audit import ddl
from zone.audit.models import AuditEvent, AuditHead
from zone.audit.services import GENESIS_HASH, plain_hash, record
from zone.database import utcnow
from zone.extensions import db


@pytest.fixture(autouse=True)
def fresh_user_per_request(app):
    """With ``ctx`` held, test requests share one app context and so one ``g``: Flask-Login would keep
    the previous request's user (detached by then). In production every request has its own ``g``."""
    app.teardown_request(lambda _exc: g.pop("_login_user", None))


@pytest.fixture
def fill_chain(ctx):
    """Commit ``n`` events (one transaction each) and return nothing; the chain then has n entries."""

    def _fill(n: int, action: str = "test.event") -> None:
        for i in range(n):
            record(action, object_type="thing", object_id=i + 1, actor_label="tester",
                   details={"i": i + 1, "note": f"событие {i + 1}"})
            db.session.commit()

    return _fill


@contextmanager
def _unguarded():
    """A connection with the append-only triggers out of the way, as an intruder with database rights
    would have it: SQLite drops them (and puts them back), PostgreSQL disables them for the change."""
    db.session.rollback()
    postgresql = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as conn:
        if postgresql:
            conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")
            conn.exec_driver_sql("ALTER TABLE audit_head DISABLE TRIGGER USER")
        else:
            for name in ("audit_events_no_update", "audit_events_no_delete", "audit_head_forward",
                         "audit_head_no_delete"):
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        yield conn
        if postgresql:
            conn.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER USER")
            conn.exec_driver_sql("ALTER TABLE audit_head ENABLE TRIGGER USER")
        else:
            for ddl_statement in ddl.APPEND_ONLY_SQLITE:
                conn.execute(ddl_statement)


@pytest.fixture
def tamper(ctx):
    """Run SQL statements behind the triggers' back (see ``_unguarded``)."""

    def _tamper(*statements: str, **params) -> None:
        with _unguarded() as conn:
            for statement in statements:
                conn.execute(text(statement), params)

    return _tamper


FIELDS = ("seq", "at", "actor_id", "actor", "ip", "action", "object_type", "object_id", "details")


@pytest.fixture
def rewrite_history(ctx):
    """Rewrite the chain from entry ``start`` to its end (or to ``end``, leaving the rest and the head
    alone) as an intruder would: drop the entries in ``delete``, close the gap, apply ``change`` (field
    values) to the first rewritten entry, and re-hash every rewritten entry and the head with
    ``hash_of(prev_hash, entry)``."""

    def _rewrite(*, start: int, hash_of, delete: set[int] = frozenset(), change: dict | None = None,
                 end: int | None = None) -> None:
        assert end is None or not delete, "a gap closed before the end would renumber entries left alone"
        db.session.expire_all()
        last = end if end is not None else db.session.get(AuditHead, 1).seq
        entries = db.session.scalars(select(AuditEvent).where(AuditEvent.seq.between(start, last))
                                     .order_by(AuditEvent.seq)).all()
        prev = db.session.get(AuditEvent, start - 1).hash if start > 1 else GENESIS_HASH
        rows = []
        for seq, entry in enumerate((e for e in entries if e.seq not in delete), start):
            fields = {name: getattr(entry, name) for name in FIELDS} | {"seq": seq}
            if not rows and change:
                fields |= change
            fields["prev_hash"], fields["hash"] = prev, hash_of(prev, SimpleNamespace(**fields))
            rows.append(fields)
            prev = fields["hash"]
        with _unguarded() as conn:
            conn.execute(delete_rows(AuditEvent.__table__).where(AuditEvent.__table__.c.seq.between(start, last)))
            if rows:
                conn.execute(AuditEvent.__table__.insert(), rows)
            if end is None:
                conn.execute(text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"),
                             {"seq": start - 1 + len(rows), "hash": prev})

    return _rewrite


@pytest.fixture
def legacy_chain(ctx):
    """Commit ``n`` entries hashed as before the chain was keyed (plain SHA-256), as an installation
    upgraded from that version holds them. Plain inserts and a forward-moving head are what the
    triggers allow, so no tampering is involved."""

    def _legacy(n: int) -> None:
        head = db.session.get(AuditHead, 1)
        seq, prev = head.seq, head.hash
        for i in range(n):
            seq += 1
            entry = AuditEvent(seq=seq, at=utcnow(), actor_id=None, actor="system", ip=None, action="test.legacy",
                               object_type="thing", object_id=str(i + 1), details={"i": i + 1}, prev_hash=prev)
            entry.hash = plain_hash(prev, entry)
            db.session.add(entry)
            prev = entry.hash
        head.seq, head.hash = seq, prev
        db.session.commit()

    return _legacy


def renumber(start: int, shift: int) -> list[str]:
    """SQL that moves every entry from ``start`` on by ``shift`` (two steps: the seq is a primary key)."""
    return [f"UPDATE audit_events SET seq = -seq WHERE seq >= {start}",
            f"UPDATE audit_events SET seq = -seq + ({shift}) WHERE seq < 0"]
