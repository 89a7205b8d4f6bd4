"""``flask --app wsgi storage migrate --to s3|local``: copy every stored file to the other backend."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from zone.storage import services

storage_cli = AppGroup("storage", help="Stored files (uploaded documents).")


@storage_cli.command("migrate")
@click.option("--to", "target_name", type=click.Choice(services.BACKENDS), required=True,
              help="The backend to copy every stored file to.")
def migrate_command(target_name: str) -> None:
    """Copy every stored file from the configured backend (STORAGE_BACKEND) to the other one, checking each
    file's SHA-256 on both sides. Safe to run again: files already copied are left alone. Then set
    STORAGE_BACKEND to the new backend and restart the app servers and the worker."""
    source = services.current()
    if target_name == source.name:
        raise click.UsageError(f"the files are already in {source.describe()} (STORAGE_BACKEND={source.name})")
    try:
        target = services.build(current_app.config, target_name)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    click.echo(f"Copying stored files from {source.describe()} to {target.describe()}")
    report = services.migrate(services.stored_files(current_app), source, target)
    click.echo(f"copied {report.copied}, already there {report.present}, "
               f"missing {len(report.missing)}, damaged {len(report.damaged)}")
    for key in report.missing:
        click.echo(f"missing from {source.describe()}: {key}", err=True)
    for key in report.damaged:
        click.echo(f"damaged in {source.describe()} (SHA-256 differs from the recorded one): {key}", err=True)
    if not report.ok:
        raise SystemExit(1)


def register(app: Flask) -> None:
    app.cli.add_command(storage_cli)
