"""Database plumbing shared by every domain: time, locking and SQLite transaction mode.

PostgreSQL gives row locks (``SELECT ... FOR UPDATE``). SQLite has none, so every transaction that may
write starts with ``BEGIN IMMEDIATE``: writers are serialised by the database file lock and a read-then-
write sequence can never interleave with another writer. A transaction that starts as a reader cannot
safely become a writer: if another writer commits meanwhile, SQLite refuses the upgrade ("database is
locked") however long it waits.

Which transactions take the lock is decided when they begin, from what the request declares, never from
what the view does later (the signed-in user is loaded, and a transaction begun, before the view runs):
non-GET requests always; GET/HEAD requests to a view marked ``@writes`` (an audited download, a chain
check); CLI commands always; other code that writes outside a request uses ``with write_intent():``.
tests/web/test_sqlite_write_lock.py walks the URL map and fails on a GET that writes without ``@writes``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import click
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.engine import Engine, make_url

from zone.extensions import db

T = TypeVar("T")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow() -> datetime:
    """The current time, timezone-aware UTC. Store and compare times only in UTC."""
    return datetime.now(UTC)


def is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def writes(view):
    """Declare that a GET view writes (e.g. an audited download): on SQLite its request's transaction
    takes the write lock from the start. Decorators that wrap the view with ``functools.wraps`` keep it.
    """
    view.zone_writes = True
    return view


def declares_writes(view) -> bool:
    """Whether ``view`` (or a function it wraps) is marked ``@writes``."""
    while view is not None:
        if getattr(view, "zone_writes", False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


_write_intent: ContextVar[bool] = ContextVar("zone_write_intent", default=False)


@contextmanager
def write_intent():
    """Outside a request or a command: transactions begun inside take the SQLite write lock first."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


@contextmanager
def unit_of_work() -> Iterator[None]:
    """A writing request context for work outside a request (commands, the worker): mails render their links
    against BASE_URL, SQLite takes the write lock at BEGIN, and queue_mail() does not end the transaction
    early by pushing its own."""
    with current_app.test_request_context("/", method="POST", base_url=current_app.config["BASE_URL"]):
        yield


def _wants_write_lock() -> bool:
    if _write_intent.get():
        return True
    if has_request_context():
        if request.method not in SAFE_METHODS or g.get("zone_write_intent"):
            return True
        return declares_writes(current_app.view_functions.get(request.endpoint))
    # CLI commands (and the background mail loop) write; plain app-context reads (tests) do not.
    return click.get_current_context(silent=True) is not None


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event below emit BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")


def init_app(app: Flask) -> None:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # End the request's transaction with the request, even when the app context outlives it (tests,
    # streamed responses): an unfinished transaction would keep SQLite's write lock.
    app.teardown_request(lambda _exc: db.session.remove())
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)


def get_for_update(model: type[T], ident) -> T | None:
    """Load a row and lock it until the transaction ends (a no-op lock on SQLite, see module doc)."""
    stmt = (
        select(model)
        .where(model.id == ident)  # type: ignore[attr-defined]
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return db.session.execute(stmt).scalar_one_or_none()
