"""``flask --app wsgi audit verify [--anchor FILE] | anchor [--loop] | init-key | grants ROLE``."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

audit_cli = AppGroup("audit", help="The audit trail: verify the chain, publish signed anchors, key the chain.")

_PROBLEM_TEXT = {
    "unkeyed": "no entry carries the chain key: re-hashed without it, a wrong AUDIT_CHAIN_KEY, or an upgraded "
               "trail not sealed yet (`flask audit init-key`)",
    "truncated": "shorter than the latest published anchor",
    "anchor_mismatch": "no longer holds the hash a published anchor signed",
}


def _chain_line(report) -> str:
    if report.ok:
        return f"chain intact: {report.length} entries, head {report.head_hash or '-'}"
    if report.first_bad_seq is None:
        return f"chain NOT CONFIRMED ({report.problem}): {report.published_anchor['detail']}"
    problem = report.problem
    if problem in _PROBLEM_TEXT:
        problem = f"{problem}: {_PROBLEM_TEXT[problem]}"
    return (f"chain BROKEN: first bad seq {report.first_bad_seq} ({problem}); "
            f"intact up to seq {report.verified_seq}; {report.length} entries stored")


def _published_line(report) -> str:
    published = report.published_anchor
    if published is None:
        return "no published anchor yet"
    if published["seq"] is None:
        return "published anchors: cannot be read"
    state = "holds" if published["ok"] else f"FAILED ({published['problem']})"
    skipped = f"; {published['rejected']} later line(s) of the file are not anchors signed by the zone" \
        if published["rejected"] else ""
    return f"latest published anchor: seq {published['seq']} signed {published['created_at']}: {state}{skipped}"


@audit_cli.command("verify")
@click.option("--anchor", "anchor_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A kept anchor: also check that the chain still holds the entry it signed.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def verify_command(anchor_file: Path | None, as_json: bool) -> None:
    """Walk the chain with the chain key and check it against the latest published anchor; exit 1 and
    name the first bad sequence number when it was altered."""
    from zone.audit.publication import verify_with_anchor
    from zone.extensions import db

    raw = anchor_file.read_bytes() if anchor_file else None
    try:
        report, anchor = verify_with_anchor(raw)
    finally:
        db.session.rollback()  # only read: end the transaction (on SQLite it holds the write lock)
    ok = report.ok and (anchor is None or anchor.ok)
    if as_json:
        body = report.to_dict()
        if anchor is not None:
            body["anchor"] = anchor.to_dict()
            body["ok"] = ok
        click.echo(json.dumps(body, indent=2))
    else:
        click.echo(_chain_line(report))
        click.echo(_published_line(report))
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


def _publish_round(output: Path | None, print_anchor: bool) -> bool:
    """One round of the anchor job; says what happened on stderr, the anchor on stdout or ``output``."""
    from zone.audit.anchors import AnchorError
    from zone.audit.keys import ChainKeyError
    from zone.audit.publication import PublicationError, TrailBroken, publish_and_commit

    try:
        publication = publish_and_commit()
    except TrailBroken as broken:
        click.echo(f"{_chain_line(broken.report)}; anchor not published", err=True)
        return False
    except (AnchorError, ChainKeyError, PublicationError) as error:
        click.echo(f"anchor not published: {error}", err=True)
        return False
    anchor = publication.anchor
    if publication.published:
        click.echo(f"anchor of seq {anchor['seq']} published to {publication.path} and mailed to "
                   f"{len(publication.recipients)} recipient(s)", err=True)
    else:
        click.echo(f"nothing new since the anchor of seq {anchor['seq']}: not published again", err=True)
    text = json.dumps(anchor, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"anchor of seq {anchor['seq']} written to {output}", err=True)
    elif print_anchor:
        click.echo(text, nl=False)
    return True


@audit_cli.command("anchor")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the anchor to this file instead of printing it (it is published all the same).")
@click.option("--loop", is_flag=True, help="Keep publishing: one round every --interval seconds.")
@click.option("--interval", default=3600, show_default=True, type=click.IntRange(min=1),
              help="Seconds between rounds with --loop.")
def anchor_command(output: Path | None, loop: bool, interval: int) -> None:
    """Verify the trail, sign its head with the zone's key and publish the anchor: append it to the
    anchor file (AUDIT_ANCHOR_DIR) and mail it to the auditors. Prints the anchor as JSON. Nothing is
    published over a broken trail, nor again when nothing was recorded since the latest anchor."""
    if loop and output:
        raise click.UsageError("--output cannot be combined with --loop.")
    while True:
        done = _publish_round(output, print_anchor=not loop)
        if not loop:
            if not done:
                sys.exit(1)
            return
        time.sleep(interval)


@audit_cli.command("init-key")
def init_key_command() -> None:
    """Make sure the chain key exists (outside production a key file is created in the instance folder),
    and seal a trail upgraded from plain hashes so that it is keyed from its next entry on."""
    from zone.audit.keys import ChainKeyError, chain_key, key_source
    from zone.audit.services import seal_chain
    from zone.extensions import db

    try:
        chain_key()
        keyed_from = seal_chain()
        db.session.commit()
    except ChainKeyError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"audit chain key: {key_source()}")
    if keyed_from is None:
        click.echo("the audit trail is keyed")
    else:
        click.echo(f"the audit trail is keyed from entry {keyed_from} on; the {keyed_from - 1} entries before "
                   "it keep their plain hashes")


@audit_cli.command("grants")
@click.argument("role")
def grants_command(role: str) -> None:
    """Print the SQL that gives the app's PostgreSQL ROLE its rights: INSERT and SELECT only on the audit
    trail. Run it as the owner of the tables (who runs the migrations) after every `db upgrade`."""
    from zone.audit.ddl import app_role_grants

    try:
        statements = app_role_grants(role)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="ROLE") from None
    click.echo("\n".join(f"{statement};" for statement in statements))


def register(app: Flask) -> None:
    app.cli.add_command(audit_cli)
