"""Helpers for the audit tests: fill the chain, and tamper with it behind the triggers' back."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import text

from zone.audit import ddl
from zone.audit.services import record
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


@pytest.fixture
def tamper(ctx):
    """Run SQL statements with the append-only triggers out of the way, as an intruder with database
    rights would: SQLite drops them (and puts them back), PostgreSQL disables them for the change."""

    def _tamper(*statements: str, **params) -> None:
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
            for statement in statements:
                conn.execute(text(statement), params)
            if postgresql:
                conn.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER USER")
                conn.exec_driver_sql("ALTER TABLE audit_head ENABLE TRIGGER USER")
            else:
                for ddl_statement in ddl.APPEND_ONLY_SQLITE:
                    conn.execute(ddl_statement)

    return _tamper


def renumber(start: int, shift: int) -> list[str]:
    """SQL that moves every entry from ``start`` on by ``shift`` (two steps: the seq is a primary key)."""
    return [f"UPDATE audit_events SET seq = -seq WHERE seq >= {start}",
            f"UPDATE audit_events SET seq = -seq + ({shift}) WHERE seq < 0"]
