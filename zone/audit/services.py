"""Recording audit events and verifying the chain.

``record()`` may be called anywhere inside a unit of work; the event is written when the transaction
commits (a ``before_commit`` hook), in that same transaction: a rolled-back change leaves no event and
a committed change always has its event. Writing at commit time takes the chain-head lock last and for
the shortest time, so it never deadlocks with row locks taken earlier.

Savepoints (``session.begin_nested()``) are respected: rolling a savepoint back drops only the events
recorded inside it. Events are written at the first commit (a released savepoint or the transaction);
either way they share the fate of the enclosing transaction.

A GET view that records (an audited download) must be marked ``@writes`` (``zone.database``) so that
SQLite takes its write lock at the start of the request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from flask import current_app, has_request_context, request
from flask_login import current_user
from flask_sqlalchemy.session import Session
from sqlalchemy import Connection, event, func, select

from zone.audit.keys import chain_key
from zone.audit.models import AuditEvent, AuditHead
from zone.database import utcnow
from zone.extensions import db

log = logging.getLogger(__name__)

_PENDING_KEY = "zone_audit_pending"
_KEYED_CHAINS = "zone_audit_keyed_chains"
GENESIS_HASH = ""
# The first keyed entry of a chain upgraded from plain hashes (see seal_chain()).
KEYED_ACTION = "audit.chain_keyed"
# Column sizes (models.py): a value that does not fit is cut, never allowed to fail the commit.
_LIMITS = {"actor": 254, "ip": 64, "action": 80, "object_type": 40, "object_id": 80}
# How many verified (hash → seq) pairs verify_chain() remembers to recognise inserted entries.
_RECENT_HASHES = 4096


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(_jsonable(k)): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)  # a str subclass would hash differently once read back as plain str
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)  # NaN/Infinity are not JSON
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def format_time(value: datetime) -> str:
    """UTC with microseconds; naive values (SQLite) are UTC by convention."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_content(entry: Any) -> str:
    """The exact text an event's hash covers (besides the previous hash).

    ``entry`` is an ``AuditEvent`` or anything with the same attributes (a result row).
    """
    content = {
        "seq": entry.seq,
        "at": format_time(entry.at),
        "actor_id": entry.actor_id,
        "actor": entry.actor,
        "ip": entry.ip,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "details": entry.details or {},
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _hashed_text(prev_hash: str, entry: Any) -> bytes:
    return (prev_hash + "\n" + canonical_content(entry)).encode("utf-8")


def plain_hash(prev_hash: str, entry: Any) -> str:
    """SHA-256 over the previous hash and the entry's content: how entries were hashed before the chain
    was keyed. Anyone can compute it, so it proves nothing about who wrote the entry."""
    return hashlib.sha256(_hashed_text(prev_hash, entry)).hexdigest()


def keyed_hash(prev_hash: str, entry: Any, key: bytes) -> str:
    """HMAC-SHA-256 under ``key`` over the previous hash and the entry's content."""
    return hmac.new(key, _hashed_text(prev_hash, entry), hashlib.sha256).hexdigest()


def chain_hash(prev_hash: str, entry: Any) -> str:
    """The hash ``record()`` gives an entry now: keyed with the chain key (``zone.audit.keys``)."""
    return keyed_hash(prev_hash, entry, chain_key())


def entry_seal(entry: Any) -> str | None:
    """How one entry's hash was made, for showing it alone: ``"keyed"`` (the chain key's HMAC),
    ``"plain"`` (plain SHA-256: allowed only before the chain was keyed, which the whole walk of
    ``verify_chain()`` tells) or None (neither: the entry was altered)."""
    if keyed_hash(entry.prev_hash, entry, chain_key()) == entry.hash:
        return "keyed"
    return "plain" if plain_hash(entry.prev_hash, entry) == entry.hash else None


def _object_ref(obj: Any) -> tuple[str | None, str | None]:
    if obj is None:
        return None, None
    object_type = getattr(obj, "audit_type", None) or getattr(obj, "__tablename__", type(obj).__name__)
    ident = getattr(obj, "audit_id", None) or getattr(obj, "id", None)
    return str(object_type), (str(ident) if ident is not None else None)


def _cut(name: str, value: str | None) -> str | None:
    return None if value is None else str(value)[: _LIMITS[name]]


def _current_transaction(session) -> Any:
    if session.get_transaction() is None:
        session.begin()  # what autobegin would do; now a rollback before any query also drops the event
    return session.get_nested_transaction() or session.get_transaction()


def record(action: str, obj: Any = None, *, details: dict | None = None, actor: Any = None,
           actor_label: str | None = None, object_type: str | None = None,
           object_id: Any = None) -> None:
    """Queue an audit event for the current transaction; it is written, chained, when it commits.

    ``action`` is a dotted name such as ``application.submit``; ``obj`` a model instance (its
    ``audit_type`` or table name and its ``audit_id`` or id are recorded; it is flushed first if its
    id is not assigned yet) or pass ``object_type`` and ``object_id``; ``actor`` defaults to the
    signed-in user, ``actor_label`` names an actor that is not a user (``"demo-seed"``, an email
    that failed to sign in).
    """
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user
    if obj is not None and getattr(obj, "id", 1) is None:
        db.session.flush()
    ref_type, ref_id = _object_ref(obj)
    label = actor_label or getattr(actor, "email", None) or ("system" if actor is None else str(actor))
    entry = {
        "at": utcnow(),
        "actor_id": getattr(actor, "id", None),
        "actor": _cut("actor", label),
        "ip": _cut("ip", request.remote_addr) if has_request_context() else None,
        "action": _cut("action", action),
        "object_type": _cut("object_type", object_type or ref_type),
        "object_id": _cut("object_id", str(object_id) if object_id is not None else ref_id),
        "details": _jsonable(details or {}),
    }
    session = db.session()
    session.info.setdefault(_PENDING_KEY, []).append((_current_transaction(session), entry))


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    seq, prev = head.seq, head.hash
    key = chain_key()
    keyed = _chain_is_keyed(session, head, key)
    for _transaction, item in pending:
        seq += 1
        keyed = keyed or item["action"] == KEYED_ACTION
        entry = AuditEvent(seq=seq, prev_hash=prev, **item)
        entry.hash = keyed_hash(prev, entry, key) if keyed else plain_hash(prev, entry)
        session.add(entry)
        prev = entry.hash
    head.seq, head.hash = seq, prev
    session.flush()


def _chain_is_keyed(session: Session, head: AuditHead, key: bytes) -> bool:
    """Whether new entries are keyed: always, except on a chain upgraded from plain hashes that
    ``seal_chain()`` has not sealed yet (its last entry has a plain hash). An upgraded chain is never
    keyed implicitly: a chain re-hashed with plain SHA-256 by an intruder looks just the same, and
    keying it would let the intruder's version pass. Known keyed chains are remembered per app."""
    cache = current_app.extensions.setdefault(_KEYED_CHAINS, set())
    url = str(session.get_bind().url)
    if url in cache:
        return True
    last = session.get(AuditEvent, head.seq) if head.seq else None
    keyed = last is None or plain_hash(last.prev_hash, last) != last.hash
    if keyed:
        cache.add(url)
    return keyed


def seal_chain(actor: Any = None) -> int | None:
    """Key the chain from its next entry on: record ``audit.chain_keyed`` (the first keyed entry, naming
    its own sequence number) on a chain whose entries were hashed before the chain was keyed. Run once
    at the upgrade (``flask audit init-key``). Returns the sequence number keying starts from, or None
    when the chain is already keyed (or empty: it is keyed from its first entry). The caller commits.
    """
    head = db.session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    if _chain_is_keyed(db.session(), head, chain_key()):
        return None
    record(KEYED_ACTION, actor=actor, object_type="audit_trail",
           details={"keyed_from": head.seq + 1, "legacy_entries": head.seq})
    return head.seq + 1


def _within(transaction: Any, scope: Any) -> bool:
    while transaction is not None:
        if transaction is scope:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction) -> None:
    pending = session.info.get(_PENDING_KEY)
    if not pending:
        return
    if previous_transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)
        return
    if previous_transaction.nested:  # a savepoint: only what was recorded inside it goes
        kept = [(t, e) for t, e in pending if t is None or not _within(t, previous_transaction)]
        session.info[_PENDING_KEY] = kept


@event.listens_for(Session, "after_transaction_end")
def _forget_unwritten(session: Session, transaction) -> None:
    if transaction.parent is None and session.info.get(_PENDING_KEY):
        # Rolled back or closed without a commit: its events must not leak into the next transaction.
        log.debug("audit events dropped with their transaction: %s",
                  [e["action"] for _t, e in session.info[_PENDING_KEY]])
        session.info.pop(_PENDING_KEY, None)


# --- verification ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChainReport:
    """The result of walking the chain (and, see ``zone.audit.publication``, of checking it against the
    latest published anchor).

    ``length`` is the number of entries stored, ``head_hash`` the hash the chain head records,
    ``first_bad_seq`` the lowest sequence number that is missing or not authentic (None when intact),
    ``problem`` a code saying what was found there: ``altered`` (the entry's content or hash was
    changed, or it was hashed without the chain key), ``missing`` (deleted), ``inserted`` (an entry
    that was never written by ``record()``), ``rewritten`` (the entry was changed and re-hashed: its
    successor still names the old hash), ``moved`` (entries reordered or renumbered), ``head`` (the
    head disagrees with the last entry), ``unkeyed`` (no entry proves the chain key, or keyed entries
    start without the seal: the history was re-hashed without the key, or an upgraded chain was never
    sealed), ``truncated`` (shorter than a published anchor), ``anchor_mismatch`` (an anchored entry
    no longer has the hash the anchor signed) or ``anchors_unreadable`` (the anchor file cannot be
    read: nothing is confirmed, ``first_bad_seq`` stays None). ``keyed_from`` is the first keyed entry
    (entries before it were hashed before the chain was keyed).
    """

    ok: bool
    length: int
    head_hash: str
    first_bad_seq: int | None
    problem: str | None = None
    verified_seq: int = 0  # the last sequence number up to which the chain is intact
    keyed_from: int | None = None
    published_anchor: dict | None = None  # what checking the latest published anchor found

    def to_dict(self) -> dict:
        return {"ok": self.ok, "length": self.length, "head_hash": self.head_hash,
                "first_bad_seq": self.first_bad_seq, "problem": self.problem, "verified_seq": self.verified_seq,
                "keyed_from": self.keyed_from, "published_anchor": self.published_anchor}


@contextmanager
def _snapshot() -> Iterator[Connection]:
    """A connection whose reads all see one snapshot, so concurrent commits never look like tampering.

    PostgreSQL: a separate read-only REPEATABLE READ transaction. SQLite: the session's own
    transaction (a SQLite transaction reads one snapshot; a second connection could wait on the
    write lock this session already holds).
    """
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with connection.begin():
                yield connection
    else:
        session = db.session()
        began = not session.in_transaction()
        try:
            yield session.connection()
        finally:
            if began and not session.info.get(_PENDING_KEY):
                session.rollback()  # the read-only transaction we opened must not keep an old snapshot


class _Hashes:
    """Checks entries' hashes: plain SHA-256 is accepted only before the first keyed entry."""

    def __init__(self, key: bytes):
        self._mac = hmac.new(key, digestmod=hashlib.sha256)
        self.keyed_from: int | None = None

    def _keyed(self, text: bytes) -> str:
        mac = self._mac.copy()
        mac.update(text)
        return mac.hexdigest()

    def fits(self, prev: str, entry: Any) -> bool:
        """Whether ``entry`` is authentic after ``prev``; the first keyed entry starts the keyed part."""
        text = _hashed_text(prev, entry)
        if self.keyed_from is None and hashlib.sha256(text).hexdigest() == entry.hash:
            return True
        if self._keyed(text) == entry.hash:
            if self.keyed_from is None:
                self.keyed_from = entry.seq
            return True
        return False

    def authentic(self, entry: Any) -> bool:
        """Whether ``entry`` is authentic after the predecessor it names (to tell what a break is)."""
        text = _hashed_text(entry.prev_hash, entry)
        return self._keyed(text) == entry.hash or (
            self.keyed_from is None and hashlib.sha256(text).hexdigest() == entry.hash)


def _sealed(entry: Any) -> bool:
    """The first keyed entry of a chain is its first entry, or the seal of an upgraded chain."""
    details = entry.details if isinstance(entry.details, dict) else {}
    return entry.seq == 1 or (entry.action == KEYED_ACTION and details.get("keyed_from") == entry.seq)


def _locate_break(entry: Any, expected: int, prev: str, recent: dict[str, int], hashes: _Hashes) -> tuple[int, str]:
    """The first bad sequence number and the problem, given the first entry that does not fit."""
    if entry.seq != expected:
        return expected, "missing"  # a gap: ``expected`` was deleted
    if entry.prev_hash == prev:
        return expected, "altered"  # linked to the right predecessor, but its content or hash changed
    earlier = recent.get(entry.prev_hash)
    if earlier is not None and earlier < expected - 1:
        return earlier + 1, "inserted"  # it used to follow ``earlier``: what stands between was added
    if hashes.authentic(entry):
        if expected == 1:
            return 1, "altered"
        return expected - 1, "rewritten"  # an authentic entry whose predecessor has a new hash
    shifted = [s for s in (entry.seq - 1, entry.seq + 1) if hashes.authentic(_with_seq(entry, s))]
    return expected, "moved" if shifted else "altered"


class _Renumbered:
    def __init__(self, entry: Any, seq: int):
        self._entry, self.seq = entry, seq

    def __getattr__(self, name: str) -> Any:
        return getattr(self._entry, name)


def _with_seq(entry: Any, seq: int) -> Any:
    return _Renumbered(entry, seq)


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain in sequence order and report the first entry that does not fit.

    Every entry from the first keyed one on must carry the HMAC of the chain key
    (``zone.audit.keys``); entries before it were hashed before the chain was keyed and carry plain
    SHA-256. The keyed part must start at entry 1 or with the seal ``audit.chain_keyed``; a chain with
    entries but no keyed part is ``unkeyed``. Detects an edited entry (its hash no longer matches), an
    entry re-hashed without the key, a deleted one (a gap), an inserted one (its successor names an
    older predecessor), a reordered or renumbered one, an entry changed and re-hashed (its successor
    names the old hash) and a head that does not match the last entry. A history rewritten by someone
    holding the key, or cut short at its end, is caught by the published anchors
    (``zone.audit.publication``). Reads one consistent snapshot with a server-side cursor.
    """
    table = AuditEvent.__table__
    hashes = _Hashes(chain_key())
    with _snapshot() as connection:
        head = connection.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
        length = connection.execute(select(func.count()).select_from(table)).scalar_one()
        head_seq, head_hash = (head.seq, head.hash) if head is not None else (0, GENESIS_HASH)
        rows = connection.execution_options(stream_results=True, yield_per=batch_size).execute(
            select(table).order_by(table.c.seq))
        expected, prev, recent, unsealed = 1, GENESIS_HASH, {GENESIS_HASH: 0}, False
        for entry in rows:
            keyed_before = hashes.keyed_from is not None
            fits = entry.seq == expected and entry.prev_hash == prev and hashes.fits(prev, entry)
            if not fits:
                rows.close()
                bad, problem = _locate_break(entry, expected, prev, recent, hashes)
                return ChainReport(False, length, head_hash, bad, problem, verified_seq=min(bad - 1, expected - 1),
                                   keyed_from=hashes.keyed_from)
            if not keyed_before and hashes.keyed_from is not None and not _sealed(entry):
                unsealed = True  # keyed entries after plain ones, without the seal: keep walking for breaks
            prev = entry.hash
            recent[prev] = expected
            if len(recent) > _RECENT_HASHES:
                recent.pop(next(iter(recent)))
            expected += 1
        last = expected - 1
    keyed_from = hashes.keyed_from
    if head is None:
        return ChainReport(False, length, head_hash, last + 1, "head", verified_seq=last, keyed_from=keyed_from)
    if head_seq > last:
        return ChainReport(False, length, head_hash, last + 1, "missing", verified_seq=last, keyed_from=keyed_from)
    if head_seq < last:
        return ChainReport(False, length, head_hash, head_seq + 1, "inserted", verified_seq=head_seq,
                           keyed_from=keyed_from)
    if head_hash != prev:
        return ChainReport(False, length, head_hash, max(last, 1), "head", verified_seq=max(last - 1, 0),
                           keyed_from=keyed_from)
    if last and (keyed_from is None or unsealed):
        return ChainReport(False, length, head_hash, 1, "unkeyed", verified_seq=0, keyed_from=keyed_from)
    return ChainReport(True, length, head_hash, None, None, verified_seq=last, keyed_from=keyed_from)
