"""``flask --app wsgi sites import FILE``: create or update sites from a surveyor's CSV (all or nothing)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

sites_cli = AppGroup("sites", help="The centre's sites (plots and buildings).")


@sites_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Import the sites of PATH (CSV, UTF-8; columns as in zone/sites/data/demo_sites.csv)."""
    from zone.extensions import db
    from zone.sites.services import import_csv

    report = import_csv(path.read_bytes(), None, label="cli")
    if not report.ok:
        db.session.rollback()
        for line, messages in sorted(report.problems.items()):
            for message in messages:
                click.echo(f"{path.name}:{line}: {message}", err=True)
        raise click.ClickException("nothing was imported")
    db.session.commit()
    click.echo(f"Imported {path.name}: {len(report.created)} new, {len(report.updated)} changed, "
               f"{len(report.unchanged)} unchanged.")


def register(app: Flask) -> None:
    app.cli.add_command(sites_cli)
