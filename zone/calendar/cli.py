"""``flask --app wsgi calendar list | add | remove``: the working-calendar overrides from a shell."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from zone.calendar.working_days import OVERRIDE_KINDS
from zone.vocabulary import SIDES

calendar_cli = AppGroup("calendar", help="Working calendar: each side's extra days off and working days.")
CLI_ACTOR = "cli"


@contextmanager
def unit_of_work() -> Iterator[None]:
    """A writing request context, so SQLite takes the write lock at BEGIN as for a web request; messages
    in English, as operators read command output."""
    with current_app.test_request_context("/", method="POST", base_url=current_app.config["BASE_URL"]), \
            force_locale("en"):
        yield


def _side_option(**kwargs):
    return click.option("--side", type=click.Choice(SIDES), **kwargs)


@calendar_cli.command("list")
@_side_option(default=None, help="Only this side (default: both).")
@click.option("--year", type=int, default=None, help="Only this year.")
def list_command(side: str | None, year: int | None) -> None:
    """List the overrides (side, day, kind, reason)."""
    from zone.calendar.models import CalendarOverride
    from zone.extensions import db

    stmt = select(CalendarOverride).order_by(CalendarOverride.side, CalendarOverride.day)
    if side:
        stmt = stmt.where(CalendarOverride.side == side)
    rows = [o for o in db.session.scalars(stmt) if year is None or o.day.year == year]
    for o in rows:
        click.echo(f"{o.side}\t{o.day.isoformat()}\t{o.kind}\t{o.name}")
    click.echo(f"{len(rows)} override(s)")


@calendar_cli.command("add")
@_side_option(required=True)
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
@click.option("--kind", type=click.Choice(OVERRIDE_KINDS), required=True,
              help="day_off: an extra day off; working_day: e.g. a transferred Saturday.")
@click.option("--name", required=True, help="Why (e.g. the decree).")
def add_command(side: str, day, kind: str, name: str) -> None:
    """Add an override to a side's calendar (audited)."""
    from zone.calendar.services import add_override
    from zone.errors import ZoneError
    from zone.extensions import db

    with unit_of_work():
        try:
            add_override(side, day.date(), kind, name, None, actor_label=CLI_ACTOR)
        except ZoneError as error:
            db.session.rollback()
            details = "; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in (error.fields or {}).items())
            raise click.ClickException(f"{error.message}" + (f" ({details})" if details else "")) from None
        db.session.commit()
    click.echo(f"{side} {day.date().isoformat()} is now a {kind.replace('_', ' ')}")


@calendar_cli.command("remove")
@_side_option(required=True)
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
def remove_command(side: str, day) -> None:
    """Remove a side's override: the day follows the official calendar again (audited)."""
    from zone.calendar.services import find_override, remove_override
    from zone.extensions import db

    with unit_of_work():
        override = find_override(side, day.date())
        if override is None:
            raise click.ClickException(f"{side} has no override on {day.date().isoformat()}")
        remove_override(override, None, actor_label=CLI_ACTOR)
        db.session.commit()
    click.echo(f"{side} {day.date().isoformat()} follows the official calendar again")


def register(app: Flask) -> None:
    app.cli.add_command(calendar_cli)
