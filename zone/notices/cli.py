"""``flask --app wsgi notices deliver [--loop]``: the delivery worker (``make run`` starts it)."""

from __future__ import annotations

import logging
import time

import click
from flask import Flask
from flask.cli import AppGroup

from zone.extensions import db

log = logging.getLogger(__name__)
notices_cli = AppGroup("notices", help="Deliver notices to the tax and customs services.")


@notices_cli.command("deliver")
@click.option("--loop", is_flag=True, help="Keep delivering until interrupted.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between rounds with --loop.")
def deliver_command(loop: bool, interval: float) -> None:
    """Queue new events for every subscription and deliver what is due; failures are retried later."""
    from zone.notices.delivery import deliver_due

    while True:
        try:
            result = deliver_due()
        except Exception:
            if not loop:
                raise
            # The database or the code failed this round; every notice keeps its place for the next one.
            log.exception("Notices round failed; trying again in %s s", interval)
            db.session.rollback()
        else:
            if result.queued or result.delivered or result.failed or not loop:
                click.echo(f"queued {result.queued}, delivered {result.delivered}, failed {result.failed}")
        if not loop:
            break
        time.sleep(interval)


def register(app: Flask) -> None:
    app.cli.add_command(notices_cli)
