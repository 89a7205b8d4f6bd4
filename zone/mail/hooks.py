"""What mail adds to the worker at app creation: delivery of the outbox, and its backlog for /healthz."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from zone.mail import services
from zone.worker.registry import register_backlog, register_job

# Every copy of the worker drains the outbox: each message is taken with FOR UPDATE SKIP LOCKED.
EVERY = timedelta(seconds=5)


def init_app(app: Flask) -> None:
    register_job(app, "mail.send", services.deliver_due, every=EVERY, drains_queue=True)
    register_backlog(app, "mail", services.oldest_queued_query, services.queued_count_query)
