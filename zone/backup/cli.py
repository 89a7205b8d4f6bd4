"""``flask --app wsgi backup create DIR`` / ``backup restore DIR``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from zone.backup import services

backup_cli = AppGroup("backup", help="Back up the database and the stored files; restore into an empty zone.")


@backup_cli.command("create")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def create_command(directory: Path) -> None:
    """Write a backup into DIRECTORY (new or empty): the database dump, every stored file, and manifest.json
    (written last) with the audit chain head and the SHA-256 of every file. The app may keep running."""
    try:
        manifest = services.create_backup(current_app, directory)
    except services.BackupError as error:
        raise click.ClickException(str(error)) from None
    head = manifest["audit_head"]
    click.echo(f"backup written to {directory}: {manifest['database']['kind']} database "
               f"({manifest['database']['size']} bytes), {len(manifest['files'])} stored files, "
               f"audit chain head seq {head['seq']} {head['hash'] or '-'}")


@backup_cli.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(directory: Path) -> None:
    """Restore the backup in DIRECTORY into the configured database and storage, which must be empty.
    Every file is checked against the manifest first; afterwards the audit chain head is compared with the
    backup's and the chain verified (as `flask audit verify`). Exits 1 if anything differs."""
    try:
        report = services.restore_backup(current_app, directory)
    except services.BackupError as error:
        raise click.ClickException(f"not restored: {error}") from None
    click.echo(f"restored from {directory}: the database, {report.files} stored files, "
               f"audit chain head seq {report.audit_seq} {report.audit_hash or '-'}")
    for problem in report.problems:
        click.echo(f"RESTORED ZONE DIFFERS FROM THE BACKUP: {problem}", err=True)
    if not report.ok:
        raise SystemExit(1)
    click.echo("audit chain verified: the restored zone matches the backup")


def register(app: Flask) -> None:
    app.cli.add_command(backup_cli)
