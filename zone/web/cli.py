"""``flask --app wsgi i18n update|compile|check``: keep the translation catalogs in step with the code."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

i18n_cli = AppGroup("i18n", help="Translation catalogs.")


def _domains(domain: str | None) -> list[str]:
    from zone import DOMAINS
    from zone.web.i18n import ZONE_DIR

    names = [domain] if domain else [d for d in DOMAINS if (ZONE_DIR / d).is_dir()]
    names += [p.parent.name for p in ZONE_DIR.glob("*/translations") if p.parent.name not in names and not domain]
    return names


@i18n_cli.command("update")
@click.argument("domain", required=False)
def update_command(domain: str | None) -> None:
    """Extract messages and update the ru/en/kk/uz catalogs of one domain or all."""
    from zone.web.catalogs import extract, update

    for name in _domains(domain):
        if len(extract(name)) or domain:
            update(name)
            click.echo(f"updated {name}")


@i18n_cli.command("compile")
def compile_command() -> None:
    """Compile every catalog to .mo (only those that changed)."""
    from zone.web.catalogs import compile_all

    click.echo(f"compiled {compile_all()} catalogs")


@i18n_cli.command("check")
@click.argument("domain", required=False)
def check_command(domain: str | None) -> None:
    """Fail when a message lacks a translation (ru, en) or an entry (kk, uz)."""
    from zone.web.catalogs import conflicts, problems

    found = [p for name in _domains(domain) for p in problems(name)]
    if not domain:
        found += conflicts()
    for line in found:
        click.echo(line)
    if found:
        raise click.ClickException(f"{len(found)} translation problems")
    click.echo("catalogs complete")


def register(app: Flask) -> None:
    app.cli.add_command(i18n_cli)
