"""``flask --app wsgi rules test [FILE]`` and ``flask --app wsgi rules list``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from zone.errors import ZoneError

rules_cli = AppGroup("rules", help="Eligibility rule sets.")


def _registry():
    """The rules in force: shipped plus active stored versions (shipped only without the tables)."""
    from sqlalchemy.exc import SQLAlchemyError

    from zone.extensions import db

    from .registry import default_registry
    from .services import current_registry

    try:
        return current_registry()
    except SQLAlchemyError:
        db.session.rollback()
        click.echo("note: no rule-set table in the database; using the shipped rule sets only", err=True)
        return default_registry()


@rules_cli.command("test")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--rule-set",
    "rule_set_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Run the cases with this (not yet active) rule-set YAML added.",
)
@click.option("--verbose", "-v", is_flag=True, help="List passing cases too.")
def test_command(files: tuple[Path, ...], rule_set_file: Path | None, verbose: bool) -> None:
    """Run case files (default: every shipped *.cases.yaml) against the rule sets in force.

    Exits non-zero when a case fails or a file is malformed.
    """
    from .admin import validate_source
    from .cases import CasesError, run_cases
    from .registry import RULESETS_DIR

    files = files or tuple(sorted(RULESETS_DIR.glob("*.cases.yaml")))
    try:
        candidate = validate_source(rule_set_file.read_text(encoding="utf-8")) if rule_set_file else None
    except ZoneError as error:
        details = "\n".join(f"  {path}: {' '.join(map(str, m))}" for path, m in error.fields.items())
        raise click.ClickException(f"{error.message}\n{details}") from None
    registry = _registry()
    failed = 0
    for path in files:
        try:
            report = run_cases(path, registry, rule_set=candidate)
        except CasesError as error:
            click.echo(f"{path}: {error}", err=True)
            failed += 1
            continue
        click.echo(f"== {path}")
        for line in report.summary().splitlines():
            if verbose or not line.startswith("PASS "):
                click.echo(line)
        failed += report.failed if report.results else 1
    if failed:
        raise click.ClickException(f"{failed} failing case(s) or file(s)")


@rules_cli.command("list")
def list_command() -> None:
    """Rule sets known to this installation, newest first."""
    from .admin import rule_set_entries

    for entry in rule_set_entries():
        click.echo(f"{entry.version}\t{entry.effective_from.isoformat()}\t{entry.status}\t{entry.origin}")


def register(app: Flask) -> None:
    app.cli.add_command(rules_cli)
