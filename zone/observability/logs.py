"""Log lines that say which request (or worker job) they belong to.

Production writes one JSON object per line (python-json-logger) with ``time``, ``level``, ``logger``,
``message`` and, inside a request, ``request_id``, ``user_id`` and ``route`` (the url rule, never the raw
path); the worker's lines carry ``job``. Development keeps readable text unless ``LOG_FORMAT=json``.
The request id is the proxy's ``X-Request-ID`` when it is well formed, else a new one; it is echoed in the
response's ``X-Request-ID`` so a user's report, nginx's log and ours meet on one value.
"""

from __future__ import annotations

import logging
import re
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TextIO

import sqlalchemy as sa
from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

HEADER = "X-Request-ID"
# What a proxy may hand us: nginx's $request_id (32 hex digits), UUIDs and the like. Anything else (too long,
# spaces, control characters, newlines that would forge log lines or headers) is replaced.
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}", re.ASCII)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
FORMATS = ("text", "json")
QUIET_LOGGERS = ("alembic", "weasyprint", "fontTools")

_job: ContextVar[str | None] = ContextVar("zone_worker_job", default=None)


def request_id_from(header: str | None) -> str:
    """The proxy's id when it is well formed, else a fresh one (the shape of nginx's ``$request_id``)."""
    if header and REQUEST_ID.fullmatch(header):
        return header
    return secrets.token_hex(16)


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


@contextmanager
def job_context(name: str) -> Iterator[None]:
    """Every line logged inside names the worker job ``name``."""
    token = _job.set(name)
    try:
        yield
    finally:
        _job.reset(token)


def _signed_in_user_id() -> int | None:
    """The id of the user this request loaded, without loading one (a log line never queries)."""
    user = g.get("_login_user")
    state = sa.inspect(user, raiseerr=False) if user is not None else None
    identity = state.identity if state is not None else None
    return identity[0] if identity else None


class ContextFilter(logging.Filter):
    """Adds the request's id, user and route, or the worker's job, to every record that passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id")
            record.user_id = _signed_in_user_id()
            record.route = request.url_rule.rule if request.url_rule is not None else None
        job = _job.get()
        if job is not None:
            record.job = job
        return True


def formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter("{levelname}{name}{message}", style="{", timestamp="time",
                             rename_fields={"levelname": "level", "name": "logger"})
    return logging.Formatter(TEXT_FORMAT)


def install_handler(app: Flask, *, stream: TextIO | None = None, log_format: str | None = None) -> logging.Handler:
    """Put zone's one handler on the root logger (replacing one an earlier app put there) and return it."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "zone_handler", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.zone_handler = True  # type: ignore[attr-defined]
    handler.setFormatter(formatter(log_format or app.config["LOG_FORMAT"]))
    handler.addFilter(ContextFilter())
    root.addHandler(handler)
    return handler


def init_app(app: Flask) -> None:
    """Give each request its id; outside tests, send every log line through zone's handler."""
    if not app.testing:
        install_handler(app)
        logging.getLogger().setLevel(app.config["LOG_LEVEL"])
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)

    @app.before_request
    def _take_request_id() -> None:
        g.request_id = request_id_from(request.headers.get(HEADER))

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id:
            response.headers[HEADER] = request_id
        return response
