"""``flask --app wsgi compliance run``: the daily compliance run as of today (idempotent; safe twice at once)."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup

from zone.calendar import today as zone_today

compliance_cli = AppGroup("compliance", help="Residents' compliance monitoring.")


@compliance_cli.command("run")
@click.option("--today", "on_date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as of this date (default: the zone's today).")
@click.option("--batch", "batch_size", type=click.IntRange(1, 10_000), default=500, show_default=True,
              help="Residents evaluated and committed together.")
def run_command(on_date, batch_size: int) -> None:
    """Evaluate every resident, open cases with warnings, escalate, follow decisions, propose reinstatement."""
    from zone.compliance.run import daily_run

    today: date = on_date.date() if on_date else zone_today()
    counts = daily_run(today, batch_size)
    summary = ", ".join(f"{key} {counts[key]}" for key in sorted(counts))
    click.echo(f"Compliance run as of {today.isoformat()}: {summary or 'no resident'}.")


def register(app: Flask) -> None:
    app.cli.add_command(compliance_cli)
