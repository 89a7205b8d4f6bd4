"""``flask --app wsgi users create --email E --role R [--password P]``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from zone.errors import ZoneError

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True,
              type=click.Choice(["applicant", "reviewer", "approver", "auditor", "admin", "authority"]))
@click.option("--password", default=None, help="Without it, a link to set the password is mailed.")
@click.option("--name", "full_name", default=None)
@click.option("--company-id", type=int, default=None, help="Required for an applicant.")
@click.option("--side", type=click.Choice(["KZ", "UZ"]), default=None,
              help="Required for an authority: the side whose events it reads.")
def create_command(email: str, role: str, password: str | None, full_name: str | None, company_id: int | None,
                   side: str | None):
    """Create an account."""
    from zone.accounts.services import create_user
    from zone.extensions import db

    try:
        user = create_user(email=email, role=role, password=password, full_name=full_name,
                           company_id=company_id, side=side, actor=None)
    except ZoneError as error:
        db.session.rollback()
        details = "; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in error.fields.items())
        raise click.ClickException(f"{error.message}{' ' + details if details else ''}") from None
    db.session.commit()
    click.echo(f"created {user.role}{f' of {user.side}' if user.side else ''} {user.email} (id {user.id})")


def register(app: Flask) -> None:
    app.cli.add_command(users_cli)
