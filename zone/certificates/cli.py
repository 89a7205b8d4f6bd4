"""``flask --app wsgi certificates expire | init-signing``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import click
from flask import Flask, current_app
from flask.cli import AppGroup

certificates_cli = AppGroup("certificates", help="Certificates: expiry by date, signing identity.")


@contextmanager
def unit_of_work() -> Iterator[None]:
    """A writing request context for CLI work: mails render their links against BASE_URL, SQLite takes
    the write lock at BEGIN, and queue_mail() does not end the transaction early by pushing its own."""
    with current_app.test_request_context("/", method="POST", base_url=current_app.config["BASE_URL"]):
        yield


@certificates_cli.command("expire")
@click.option(
    "--date",
    "on_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Expire as of this date (default: today in the zone).",
)
def expire_command(on_date) -> None:
    """Mark active and suspended certificates past their validity as expired (run daily)."""
    from zone.certificates.lifecycle import expire_due
    from zone.extensions import db

    day: date | None = on_date.date() if on_date else None
    with unit_of_work():
        serials = expire_due(day)
        db.session.commit()
    for serial in serials:
        click.echo(f"expired {serial}")
    click.echo(f"{len(serials)} certificate(s) expired")


@certificates_cli.command("init-signing")
def init_signing_command() -> None:
    """Create a development signing identity at SIGNING_P12_PATH unless one exists (not in production)."""
    from zone.certificates.document import signing_paths

    p12, _passphrase, ca = signing_paths()
    if not p12.exists():
        raise click.ClickException(f"no signing identity at {p12}; set SIGNING_P12_PATH and SIGNING_CA_PATH")
    click.echo(f"signing identity: {p12}\ntrust root: {ca}")


def register(app: Flask) -> None:
    app.cli.add_command(certificates_cli)
