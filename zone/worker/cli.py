"""``flask --app wsgi worker [--interval S] [--once]``: the one background process of zone."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from zone.worker.loop import Worker


@contextmanager
def stop_on_signals(worker: Worker) -> Iterator[None]:
    """SIGTERM and SIGINT ask ``worker`` to finish its job and stop; the previous handlers come back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, worker.request_stop) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@click.command("worker")
@click.option("--interval", type=click.FloatRange(min=0.01), default=None,
              help="Seconds between rounds (default WORKER_INTERVAL).")
@click.option("--once", is_flag=True, help="One round of what is due, then exit (errors end it non-zero).")
@with_appcontext
def worker_command(interval: float | None, once: bool) -> None:
    """Run every background job (mail, notices, audit anchors, reminders, compliance, expiry) until SIGTERM."""
    worker = Worker(current_app._get_current_object(), interval=interval)
    if once:
        worker.round()
        click.echo("one round done")
        return
    with stop_on_signals(worker):
        worker.run()
    click.echo("worker stopped")


def register(app: Flask) -> None:
    app.cli.add_command(worker_command)
