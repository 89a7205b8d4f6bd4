"""``flask --app wsgi audit verify [--anchor FILE]`` and ``flask --app wsgi audit anchor [--output FILE]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

audit_cli = AppGroup("audit", help="The audit trail: verify the chain, sign its head.")


@audit_cli.command("verify")
@click.option("--anchor", "anchor_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A kept anchor: also check that the chain still holds the entry it signed.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def verify_command(anchor_file: Path | None, as_json: bool) -> None:
    """Walk the chain; exit 1 and name the first bad sequence number when it was altered."""
    from zone.audit.anchors import verify_with_anchor

    raw = anchor_file.read_bytes() if anchor_file else None
    report, anchor = verify_with_anchor(raw)
    ok = report.ok and (anchor is None or anchor.ok)
    if as_json:
        body = report.to_dict()
        if anchor is not None:
            body["anchor"] = anchor.to_dict()
            body["ok"] = ok
        click.echo(json.dumps(body, indent=2))
    else:
        if report.ok:
            click.echo(f"chain intact: {report.length} entries, head {report.head_hash or '-'}")
        else:
            click.echo(f"chain BROKEN: first bad seq {report.first_bad_seq} ({report.problem}); "
                       f"intact up to seq {report.verified_seq}; {report.length} entries stored")
        if anchor is not None:
            if anchor.ok:
                click.echo(f"anchor OK: seq {anchor.seq} still has hash {anchor.hash} (signed {anchor.created_at} "
                           f"by {anchor.signer})")
            else:
                reason = {"bad_anchor": f"not a readable anchor ({anchor.detail})",
                          "bad_signature": "its signature is not valid (changed or forged)",
                          "untrusted_signer": f"not signed by the zone's key (signer: {anchor.signer})",
                          "missing_entry": f"seq {anchor.seq} no longer exists: the history was rewritten",
                          "hash_mismatch": f"seq {anchor.seq} no longer has the signed hash: the history was "
                                           "rewritten"}.get(anchor.problem or "", anchor.problem)
                click.echo(f"anchor FAILED: {reason}")
    if not ok:
        sys.exit(1)


@audit_cli.command("anchor")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the anchor to this file instead of printing it.")
def anchor_command(output: Path | None) -> None:
    """Print the chain head (seq, hash, time) signed with the zone's key, as JSON to keep elsewhere."""
    from zone.audit.anchors import AnchorError, issued_and_recorded
    from zone.extensions import db

    try:
        anchor = issued_and_recorded(actor=None)
    except AnchorError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    text = json.dumps(anchor, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"anchor of seq {anchor['seq']} written to {output}", err=True)
    else:
        click.echo(text, nl=False)


def register(app: Flask) -> None:
    app.cli.add_command(audit_cli)
