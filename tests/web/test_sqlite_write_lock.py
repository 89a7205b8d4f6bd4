"""On SQLite, a request that writes holds the database's write lock from its start.

SQLite has one writer at a time. A request that reads first and writes later (a GET that records an
audited download, a chain check, an anchor) must not start as a reader: if another request commits in
between, its write is refused with "database is locked" (a 500). So every request that may write starts
with ``BEGIN IMMEDIATE`` (zone/database.py): non-GET requests always, GET views marked ``@writes``.

``test_every_get_that_writes_holds_the_write_lock`` walks the URL map as every kind of caller. Right
before a GET request's first write statement, another connection tries to commit a write of its own
without waiting: it must find the database locked by the request. A GET that writes without declaring
it lets the other write in and is reported (and usually also fails with a 500, which is reported too).
The threaded test then runs readers of those routes against committing writers: no 5xx (on both
databases).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from tests.conftest import BACKEND, PASSWORD
from tests.test_access_matrix import (  # noqa: F401 - fixtures used by name
    CALLERS,
    Caller,
    _rules,
    build_target,
    fresh_user_per_request,
    world,
)

sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's single write lock; PostgreSQL locks rows")

WRITE_STATEMENT = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
READ_METHODS = ("GET", "HEAD")


def _database_path(app) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database


@pytest.fixture
def interloper(app):
    """Commits a write of its own just before a GET request's first write, if the database lets it."""
    from flask import has_request_context, request

    from zone.extensions import db

    other = sqlite3.connect(_database_path(app), timeout=0, isolation_level=None)
    other.execute("CREATE TABLE IF NOT EXISTS interloper (n INTEGER)")
    state = SimpleNamespace(armed=False, got_in=[])

    def before_write(_conn, _cursor, statement, _parameters, _context, _executemany):
        if not state.armed or not WRITE_STATEMENT.match(statement):
            return
        if not has_request_context() or request.method not in READ_METHODS:
            return
        state.armed = False  # once per request: its first write
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # "database is locked": the request holds the write lock
            return
        other.execute("INSERT INTO interloper (n) VALUES (1)")
        other.execute("COMMIT")
        state.got_in.append(f"{request.method} {request.full_path.rstrip('?')} [{request.endpoint}]")

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before_write)
    yield state
    with app.app_context():
        event.remove(db.engine, "before_cursor_execute", before_write)
    other.close()


@sqlite_only
@pytest.mark.parametrize("caller_name", CALLERS)
def test_every_get_that_writes_holds_the_write_lock(app, world, interloper, caller_name):
    caller = Caller(app, caller_name, world.users.get(caller_name))
    failures = []
    for rule, method in _rules(app):
        if method != "GET":
            continue
        target = build_target(rule, method, world.ids)
        interloper.armed = True
        response = caller.call(method, target.path)
        interloper.armed = False
        if response.status_code >= 500:
            failures.append(f"GET {target.path} [{rule.endpoint}]: {response.status_code}")
        response.close()
    undeclared = [f"{entry}: writes without holding the write lock (mark the view @writes)"
                  for entry in interloper.got_in]
    assert not undeclared + failures, "\n".join(undeclared + failures)


# --- concurrent readers and writers on one SQLite file -------------------------------------------------

READER_ROUNDS = 12
WRITER_ROUNDS = 15


def test_concurrent_reads_that_write_and_writes_never_fail(app, world):
    """Readers of the chain check, the anchor and a download race writers that commit all the time.

    On SQLite (a file database, as ``make run`` serves) and on PostgreSQL alike.
    """
    from tests.test_access_matrix import Caller as SignedInCaller

    auditor = SignedInCaller(app, "auditor", world.users["auditor"])
    owner = SignedInCaller(app, "applicant_a", world.users["applicant_a"])
    document = f"/api/v1/applications/{world.ids.application}/documents/{world.ids.document}"
    reads = [
        (auditor, "/api/v1/audit/verify"),
        (auditor, "/api/v1/audit/anchor"),
        (owner, document),
        (auditor, document),
    ]
    writers = [world.users["reviewer"], world.users["approver"]]
    start = threading.Barrier(len(reads) + len(writers))
    errors: list[str] = []

    def read(caller, path):
        client = app.test_client()
        start.wait()
        for _ in range(READER_ROUNDS):
            response = client.get(path, headers=caller.headers)
            if response.status_code != 200:
                errors.append(f"GET {path}: {response.status_code} {response.get_data(as_text=True)[:200]}")
            response.close()

    def write(user):
        client = app.test_client()
        start.wait()
        for n in range(WRITER_ROUNDS):
            # a token (a row and an audit entry) and a failed sign-in (an audit entry): both commit
            response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
            if response.status_code != 201:
                errors.append(f"POST /api/v1/tokens: {response.status_code}")
            response = client.post("/api/v1/tokens", json={"email": f"nobody{n}@example.com", "password": "x" * 12})
            if response.status_code != 401:
                errors.append(f"POST /api/v1/tokens (wrong): {response.status_code}")

    threads = [threading.Thread(target=read, args=pair) for pair in reads]
    threads += [threading.Thread(target=write, args=(user,)) for user in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, "\n".join(errors[:20])
    verify = app.test_client().get("/api/v1/audit/verify", headers=auditor.headers).get_json()
    assert verify["ok"] is True
