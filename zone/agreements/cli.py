"""``flask --app wsgi agreements demo-signer``: a company signing identity for demos and tests."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

agreements_cli = AppGroup("agreements", help="Activity agreements.")


@agreements_cli.command("demo-signer")
@click.option("--tax-id", "tax_id", required=True, help="The company's BIN (12 digits) or STIR (9 digits).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PKCS#12 file.")
@click.option("--passphrase", default=None, help="Protects the file (any non-empty text); none if not given.")
@click.option("--name", default=None, help="The organisation name in the certificate.")
def demo_signer(tax_id: str, out: Path, passphrase: str | None, name: str | None) -> None:
    """Issue a company signing identity under the development national CA (instance folder).

    Only a development configuration trusts that CA; production trusts COMPANY_SIGNING_CA_PATHS only.
    """
    from zone.companies.taxid import normalise_tax_id
    from zone.esign.identities import dev_national_ca, issue_demo_identity

    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("the development national CA is not used in production")
    if passphrase is not None and not passphrase:
        raise click.ClickException("the passphrase must not be empty (leave --passphrase out for none)")
    tax_id = normalise_tax_id(tax_id)
    try:
        data = issue_demo_identity(tax_id, passphrase=passphrase, name=name)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    out.chmod(0o600)
    ca = dev_national_ca()
    click.echo(f"Wrote {out}: a signing identity for tax id {tax_id}, issued by the development national CA "
               f"({ca.certificate}).")


def register(app: Flask) -> None:
    app.cli.add_command(agreements_cli)
