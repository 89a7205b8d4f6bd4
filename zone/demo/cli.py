"""``flask --app wsgi demo seed``: idempotent demo data, and the demo logins it prints."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
def seed_command() -> None:
    """Create the demo company, staff and applications if they are not there yet."""
    if current_app.config["ENV_NAME"] == "production":
        # Demo accounts share a published password: in production they would be open doors.
        raise click.ClickException("Refusing to seed demo data in production (ZONE_ENV=production): the demo "
                                   "accounts have a published password. Create real accounts with "
                                   "`flask --app wsgi users create`.")
    from zone.demo.seed import DEMO_PASSWORD, seed

    accounts = seed()
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for role, email in accounts:
        click.echo(f"  {role:<10} {email}")
    from sqlalchemy import select

    from zone.certificates.models import Certificate
    from zone.extensions import db

    for serial, token in db.session.execute(select(Certificate.serial, Certificate.verify_token)).all():
        click.echo(f"Demo certificate {serial}: verify at /verify/{token}")
    from zone.agreements.models import Agreement

    for number, status in db.session.execute(select(Agreement.number, Agreement.status).order_by(Agreement.id)):
        click.echo(f"Demo agreement {number}: {status}")


def register(app: Flask) -> None:
    app.cli.add_command(demo_cli)
