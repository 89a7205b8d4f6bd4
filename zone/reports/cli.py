"""``flask --app wsgi reports remind``: mail the reminders about reports due soon or overdue (idempotent)."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup

from zone.calendar import today as zone_today

reports_cli = AppGroup("reports", help="Residents' quarterly and annual reports.")


@reports_cli.command("remind")
@click.option("--today", "on_date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as of this date (default: the zone's today).")
def remind_command(on_date) -> None:
    """Queue reminder mails: before a report is due and on the first day it is overdue, never twice."""
    from zone.reports.reminders import remind_and_commit

    today: date = on_date.date() if on_date else zone_today()
    sent = remind_and_commit(today)
    for item in sent:
        click.echo(f"{item.agreement} {item.period}: {item.kind} reminder to {item.recipients} recipient(s)")
    click.echo(f"{len(sent)} reminder(s) queued as of {today.isoformat()}.")


def register(app: Flask) -> None:
    app.cli.add_command(reports_cli)
