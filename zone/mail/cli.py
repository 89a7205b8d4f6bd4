"""``flask --app wsgi mail send [--loop] | status | retry``: deliver and look after the outbox."""

from __future__ import annotations

import logging
import time

import click
from flask import Flask
from flask.cli import AppGroup

from zone.extensions import db

log = logging.getLogger(__name__)
mail_cli = AppGroup("mail", help="Deliver queued mail.")


@mail_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep delivering until interrupted.")
@click.option("--interval", default=10, show_default=True, help="Seconds between rounds with --loop.")
def send_command(loop: bool, interval: int) -> None:
    """Deliver every queued message that is due; failures are retried later."""
    from zone.mail import services

    while True:
        try:
            sent, failed = services.deliver_due()
        except Exception:
            if not loop:
                raise
            # The database or the code failed this round; every message keeps its place for the next one.
            log.exception("Mail round failed; trying again in %s s", interval)
            db.session.rollback()
        else:
            click.echo(f"sent {sent}, failed {failed}")
        if not loop:
            break
        time.sleep(interval)


@mail_cli.command("status")
def status_command() -> None:
    """Show how many messages are queued, sent and failed, and the latest error."""
    from zone.mail.services import outbox_status

    status = outbox_status()
    counts = status["counts"]
    click.echo(", ".join(f"{name} {counts.get(name, 0)}" for name in ("queued", "sent", "failed")))
    if status["oldest_queued"] is not None:
        click.echo(f"oldest queued since {status['oldest_queued'].isoformat()}")
    if status["last_error"]:
        click.echo(f"latest error: {status['last_error']}")


@mail_cli.command("retry")
@click.argument("message_ids", nargs=-1, type=int)
def retry_command(message_ids: tuple[int, ...]) -> None:
    """Queue failed messages (all, or the given ids) again."""
    from zone.mail.services import requeue_failed

    click.echo(f"queued again: {requeue_failed(list(message_ids))}")


def register(app: Flask) -> None:
    app.cli.add_command(mail_cli)
