"""``flask --app wsgi rates import --source nbk|cbu [--file F | --date D]`` (for cron) and ``rates list``.

Without ``--file`` the bank's feed for ``--date`` (default: today) is read from its site. A bad file or
an unreachable site is a clear error and stores nothing; the command exits non-zero.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

rates_cli = AppGroup("rates", help="Official exchange rates of the NBK (KZT) and the CBU (UZS).")


def _date(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter("expected a date as YYYY-MM-DD") from None


@rates_cli.command("import")
@click.option("--source", required=True, type=click.Choice(["nbk", "cbu"]), help="nbk (KZT) or cbu (UZS).")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read a saved feed instead of the bank's site.",
)
@click.option("--date", "day", callback=_date, help="The day to import (YYYY-MM-DD); default today.")
def import_command(source: str, path: Path | None, day: date | None) -> None:
    """Import the official USD rate published by SOURCE for a day."""
    from zone.calendar import today
    from zone.extensions import db

    from .feeds import SOURCES, FeedError
    from .services import fetch, import_feed

    if path is None:
        day = day or today()
    origin = str(path) if path is not None else SOURCES[source].url_for(day)
    try:
        content = path.read_bytes() if path is not None else fetch(source, day)
        imported = import_feed(source, content, expected_date=day)
    except FeedError as error:
        db.session.rollback()
        raise click.ClickException(f"{origin}: {error}; nothing was stored") from None
    db.session.commit()
    row = imported.row
    what = f"{source.upper()} {row.currency}/{row.quote} {row.rate_date:%d.%m.%Y}: {row.value.normalize():f}"
    if row.units != 1:
        what += f" per {row.units} {row.currency}"
    if imported.outcome == "replaced":
        click.echo(f"{what} (replaces {imported.previous})")
    else:
        click.echo(f"{what} ({imported.outcome})")


@rates_cli.command("list")
@click.option("--source", type=click.Choice(["nbk", "cbu"]), help="Only this source.")
@click.option("--limit", default=20, show_default=True, help="How many, newest first.")
def list_command(source: str | None, limit: int) -> None:
    """Imported rates, newest first."""
    from sqlalchemy import select

    from zone.extensions import db

    from .models import ExchangeRate

    stmt = select(ExchangeRate).order_by(ExchangeRate.rate_date.desc(), ExchangeRate.source).limit(limit)
    if source:
        stmt = stmt.where(ExchangeRate.source == source)
    for row in db.session.scalars(stmt):
        click.echo(f"{row.rate_date.isoformat()}\t{row.source}\t{row.currency}/{row.quote}\t{row.per_unit:f}")


def register(app: Flask) -> None:
    app.cli.add_command(rates_cli)
