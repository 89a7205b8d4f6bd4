"""Anchors published where the database owner cannot write, and the trail checked against them.

``publish_anchor()`` is the scheduled job (``flask audit anchor``: ``--loop`` under ``make run``, a
timer in production). It verifies the trail (against the latest published anchor too) and refuses
to anchor a broken one; it signs the chain head (``zone.audit.anchors``), appends the anchor as one
JSON line to ``<AUDIT_ANCHOR_DIR>/anchors.jsonl`` (opened for appending only; the operator makes the
file append-only for the system too, see README) and mails it to every active auditor and to
``AUDIT_ANCHOR_MAIL_TO``. A trail with nothing new since the latest published anchor is not anchored
again.

``against_published(report)`` checks a chain report against the latest published anchor: the chain
must still be at least as long and hold the anchored entry with the signed hash. Only the hash chain
links the entries in between, so matching the latest anchor vouches for everything up to it; when it
does not match, earlier anchors narrow down where the history was changed.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from zone.audit.anchors import AnchorCheck, anchored_hash, check_signature, make_anchor, verify_anchor
from zone.audit.models import AuditEvent, AuditHead
from zone.audit.services import ChainReport, record, verify_chain
from zone.extensions import db

ANCHOR_FILE = "anchors.jsonl"
ANCHOR_ACTION = "audit.anchor"
_BLOCK = 64 * 1024


class PublicationError(Exception):
    """The anchor file cannot be written; ``str()`` says what to do."""


class TrailBroken(Exception):
    """Verification failed: no anchor is published over a broken trail."""

    def __init__(self, report: ChainReport):
        super().__init__(f"first bad seq {report.first_bad_seq} ({report.problem})")
        self.report = report


@dataclass(frozen=True)
class Publication:
    """What a round of the job did: ``published`` False means nothing was new since ``anchor``."""

    anchor: dict
    published: bool
    path: Path
    recipients: tuple[str, ...] = ()


def anchor_path() -> Path:
    return Path(current_app.config["AUDIT_ANCHOR_DIR"]) / ANCHOR_FILE


# --- the anchor file ------------------------------------------------------------------------------

def append(anchor: dict) -> Path:
    """Append ``anchor`` as one line to the anchor file and flush it to disk. The file is only ever
    opened for appending; a line cut short by a crash is closed first so that it spoils no other."""
    path = anchor_path()
    line = json.dumps(anchor, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        with os.fdopen(fd, "ab") as handle:
            if handle.tell() and not _ends_with_newline(path):
                line = b"\n" + line
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise PublicationError(f"Cannot append to the anchor file {path}: {error}. Set AUDIT_ANCHOR_DIR to a "
                               "directory this process may append to.") from None
    return path


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def _lines_from_the_end(path: Path) -> Iterator[bytes]:
    """The file's non-empty lines, last first, read in blocks (the file only grows)."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return
    except OSError as error:
        raise PublicationError(f"Cannot read the anchor file {path}: {error}. Set AUDIT_ANCHOR_DIR to the "
                               "directory the anchors are published to.") from None
    with handle:
        position = handle.seek(0, os.SEEK_END)
        rest = b""
        while position > 0:
            step = min(_BLOCK, position)
            position -= step
            handle.seek(position)
            lines = (handle.read(step) + rest).split(b"\n")
            rest = lines.pop(0)
            yield from (line for line in reversed(lines) if line.strip())
        if rest.strip():
            yield rest


def published_anchors() -> Iterator[tuple[dict, int]]:
    """The published anchors signed by the zone, latest first, each with the number of lines after it
    that are not (cut short, changed, or signed by another key)."""
    rejected = 0
    for line in _lines_from_the_end(anchor_path()):
        anchor, check = check_signature(line)
        if anchor is None or check.problem is not None:
            rejected += 1
            continue
        yield anchor, rejected


def latest_published() -> dict | None:
    return next((anchor for anchor, _rejected in published_anchors()), None)


# --- checking the trail against them --------------------------------------------------------------

def against_published(report: ChainReport) -> ChainReport:
    """``report`` with the check of the latest published anchor added (``published_anchor``), and
    failed when the chain is shorter than that anchor (``truncated``) or no longer holds its entry
    with the signed hash (``anchor_mismatch``)."""
    anchors = published_anchors()
    try:
        found = next(anchors, None)
    except PublicationError as error:
        # Anchors that cannot be read confirm nothing: the trail is not confirmed (fail closed).
        summary = {"seq": None, "hash": None, "created_at": None, "ok": False, "problem": "unreadable",
                   "rejected": 0, "detail": str(error)}
        if not report.ok:
            return dataclasses.replace(report, published_anchor=summary)
        return dataclasses.replace(report, ok=False, problem="anchors_unreadable", published_anchor=summary)
    if found is None:
        return report
    latest, rejected = found
    first_bad, problem, verified = _anchor_break(latest, report.length)
    while problem == "anchor_mismatch" and (older := next(anchors, None)) is not None:
        bad, older_problem, verified = _anchor_break(older[0], report.length)
        if older_problem is None:
            break
        first_bad, problem = bad, older_problem  # an earlier anchor no longer holds either
    summary = {"seq": latest["seq"], "hash": latest["hash"], "created_at": latest.get("created_at"),
               "ok": problem is None, "problem": problem, "rejected": rejected}
    if problem is None or (report.first_bad_seq is not None and report.first_bad_seq <= first_bad):
        return dataclasses.replace(report, published_anchor=summary)
    return dataclasses.replace(report, ok=False, first_bad_seq=first_bad, problem=problem,
                               verified_seq=min(report.verified_seq, verified), published_anchor=summary)


def _anchor_break(anchor: dict, length: int) -> tuple[int | None, str | None, int]:
    """``(first bad seq, problem, seq known good up to)`` for one anchor; problem None when it holds.

    Read now, not in the walk's snapshot: an anchor published while the walk ran names an entry the
    snapshot does not hold yet, which is no loss."""
    seq = anchor["seq"]
    entry_hash = anchored_hash(seq)
    if entry_hash is None:
        last = db.session.scalar(select(func.max(AuditEvent.seq))) or 0
        kept = min(length, last)
        return kept + 1, "truncated", kept
    if entry_hash != anchor["hash"]:
        return seq, "anchor_mismatch", 0
    return None, None, seq


# --- the job --------------------------------------------------------------------------------------

def publish_anchor(*, actor: Any = None) -> Publication:
    """Verify the trail, then sign its head and publish the anchor (file, mail) and record it.

    Raises TrailBroken (nothing published), AnchorError (no signing key) or PublicationError (the
    file cannot be written). The caller commits.
    """
    report = against_published(verify_chain())
    if not report.ok:
        raise TrailBroken(report)
    latest = latest_published()
    if latest is not None and _nothing_new_since(latest):
        return Publication(latest, False, anchor_path())
    anchor = make_anchor()
    path = append(anchor)
    recipients = _mail(anchor)
    record(ANCHOR_ACTION, actor=actor, object_type="audit_trail",
           details={"seq": anchor["seq"], "hash": anchor["hash"], "created_at": anchor["created_at"],
                    "published_to": str(path), "mailed_to": len(recipients)})
    return Publication(anchor, True, path, tuple(recipients))


def publish_and_commit() -> Publication:
    """One round of the anchor job (the command and the worker): publish and commit, or roll back and raise.
    The session is removed either way, so the next round starts a fresh transaction and snapshot."""
    try:
        publication = publish_anchor()
        db.session.commit()
        return publication
    except BaseException:
        db.session.rollback()
        raise
    finally:
        db.session.remove()


def _nothing_new_since(latest: dict) -> bool:
    """Whether the trail holds nothing since ``latest`` but, perhaps, the record of its publication."""
    head = db.session.execute(select(AuditHead).where(AuditHead.id == 1)
                              .execution_options(populate_existing=True)).scalar_one()
    if head.seq == latest["seq"]:
        return head.hash == latest["hash"]
    if head.seq != latest["seq"] + 1:
        return False
    last = db.session.get(AuditEvent, head.seq)
    return last.action == ANCHOR_ACTION and (last.details or {}).get("seq") == latest["seq"]


def _mail(anchor: dict) -> list[str]:
    """Queue the anchor to every active auditor (in their language) and to ``AUDIT_ANCHOR_MAIL_TO``."""
    from zone.accounts.models import User
    from zone.accounts.roles import Role
    from zone.mail.services import queue_mail

    recipients = {user.email.lower(): (user.email, user.locale) for user in db.session.scalars(
        select(User).where(User.role == Role.AUDITOR, User.active.is_(True)).order_by(User.id))}
    for address in current_app.config.get("AUDIT_ANCHOR_MAIL_TO") or []:
        recipients.setdefault(address.lower(), (address, current_app.config["BABEL_DEFAULT_LOCALE"]))
    text = json.dumps(anchor, indent=2, sort_keys=True, ensure_ascii=False)
    for address, locale in recipients.values():
        queue_mail(address, "audit/mail/anchor.txt", locale=locale or "ru", anchor=anchor, anchor_json=text)
    return [address for address, _locale in recipients.values()]


def verify_with_anchor(raw: bytes | str | dict | None) -> tuple[ChainReport, AnchorCheck | None]:
    """The chain report (checked against the latest published anchor), and the check of a kept anchor
    when one is given."""
    report = against_published(verify_chain())
    return report, (verify_anchor(raw) if raw is not None else None)


def checked_and_recorded(raw: bytes | str | dict | None = None, *, actor: Any = None) -> tuple[ChainReport,
                                                                                            AnchorCheck | None]:
    """Verify the chain (and an anchor, if given) and record who checked and what they saw.

    The caller commits. The record is appended after the check, so it never affects the result.
    """
    report, anchor = verify_with_anchor(raw)
    details: dict[str, Any] = report.to_dict()
    if anchor is not None:
        details["anchor"] = anchor.to_dict()
    record("audit.verify", actor=actor, object_type="audit_trail", details=details)
    return report, anchor
