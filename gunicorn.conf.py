"""gunicorn settings for zone: ``gunicorn -c gunicorn.conf.py --bind 127.0.0.1:8000 --workers 4 wsgi:app``.

- With ``PROMETHEUS_MULTIPROC_DIR`` set, each worker process keeps its metrics in files there and a scrape
  of any worker adds them all up: the directory is emptied when gunicorn starts (values of an earlier run
  would count again) and a worker's live gauges are dropped when it exits (``child_exit``).
- Log lines: gunicorn's own (start, worker boots and deaths) follow the app's ``LOG_FORMAT`` (JSON by default
  in production), so the log collector reads one format. Access lines are not written: nginx logs every
  request with its ``$request_id``, and the app's lines carry the same id.
"""

from __future__ import annotations

import os
from pathlib import Path

accesslog = None


def _log_format() -> str:
    default = "json" if os.environ.get("ZONE_ENV") == "production" else "text"
    return (os.environ.get("LOG_FORMAT") or default).lower()


if _log_format() == "json":
    _handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "INFO", "handlers": []},  # the app puts its own handler there
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["json_stderr"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["json_stderr"], "propagate": False},
        },
        "handlers": {"json_stderr": _handler},
        "formatters": {"json": {
            "()": "pythonjsonlogger.json.JsonFormatter", "fmt": "{levelname}{name}{message}", "style": "{",
            "timestamp": "time", "rename_fields": {"levelname": "level", "name": "logger"}}},
    }


def on_starting(server) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            stale.unlink()


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
