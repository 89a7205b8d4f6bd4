"""``flask --app wsgi mail send [--loop]``: deliver the outbox."""

from __future__ import annotations

import time

import click
from flask import Flask
from flask.cli import AppGroup

mail_cli = AppGroup("mail", help="Deliver queued mail.")


@mail_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep delivering until interrupted.")
@click.option("--interval", default=10, show_default=True, help="Seconds between rounds with --loop.")
def send_command(loop: bool, interval: int) -> None:
    """Deliver every queued message that is due; failures are retried later."""
    from zone.mail.services import deliver_due

    while True:
        sent, failed = deliver_due()
        click.echo(f"sent {sent}, failed {failed}")
        if not loop:
            break
        time.sleep(interval)


def register(app: Flask) -> None:
    app.cli.add_command(mail_cli)
