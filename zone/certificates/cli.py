"""``flask --app wsgi certificates expire | init-signing``."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup

certificates_cli = AppGroup("certificates", help="Certificates: expiry by date, signing identity.")


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
    from zone.certificates.lifecycle import expire_and_commit

    day: date | None = on_date.date() if on_date else None
    serials = expire_and_commit(day)
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
