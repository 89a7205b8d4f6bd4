"""Making a backup of zone and restoring it into an empty database and storage.

A backup is one directory::

    manifest.json        written last: what the backup holds, with the SHA-256 and size of every file
    database.pgdump      PostgreSQL: ``pg_dump --format=custom --no-owner --no-privileges``
    database.sqlite3     SQLite: a copy made with SQLite's online backup API
    files/<key>          every stored file (uploaded documents), under its storage key

The database, the list of stored files and the audit chain head are read from one snapshot (PostgreSQL: an
exported snapshot that ``pg_dump`` shares; SQLite: the write lock held while the copy is made), so the
manifest describes exactly the database in the backup while the app keeps running.

Secrets are not in a backup (``SECRET_KEY``, ``AUDIT_CHAIN_KEY``, the signing identity): they are kept apart,
and a restore checks the audit chain with the configured key.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from flask import Flask

from zone.audit.keys import ChainKeyError
from zone.audit.models import AuditHead
from zone.audit.publication import verify_with_anchor
from zone.database import utcnow, write_intent
from zone.extensions import db
from zone.storage import services as storage
from zone.storage.backends import CHUNK, LocalStorage, StorageError, check_key

log = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup could not be made or restored; the message says why and what to do."""


@dataclass
class RestoreReport:
    """What a restore did, and every way the restored zone differs from the backup (``problems``)."""

    files: int = 0
    audit_seq: int = 0
    audit_hash: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- the database's address ---------------------------------------------------------------------------------

def database_kind(app: Flask) -> str:
    backend = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    if backend not in DUMP_NAMES:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {backend}")
    return backend


def libpq_address(url: str) -> tuple[str, dict[str, str]]:
    """The libpq connection URL for ``pg_dump``/``pg_restore`` (without the password) and the environment
    carrying the password (``PGPASSWORD``), so that it never shows on a command line."""
    parsed = sa.engine.make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    # URL.set() takes None for "unchanged": the named tuple's _replace() really drops the password.
    address = parsed._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return address, env


def _sqlite_path(app: Flask) -> Path:
    database = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)") from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


# --- hashing and copying ------------------------------------------------------------------------------------

def _copy(source: BinaryIO, target: BinaryIO) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        target.write(chunk)
    return digest.hexdigest(), size


def file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _file_path(directory: Path, key: str) -> Path:
    try:
        return directory / FILES / check_key(key)
    except StorageError:
        raise BackupError(f"the manifest names a file that is not a storage key: {key!r}") from None


# --- making a backup ----------------------------------------------------------------------------------------

def _audit_head(connection: sa.Connection) -> dict[str, Any]:
    seq, hash_ = connection.execute(sa.select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
    return {"seq": int(seq), "hash": hash_}


def _prepare_target(directory: Path) -> None:
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(f"{directory} exists and is not an empty directory: give a new one")
    (directory / FILES).mkdir(parents=True, exist_ok=True)


def _copy_stored_files(stored_files: list[storage.StoredFile], directory: Path) -> list[dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    for stored in stored_files:
        if stored.key in files:
            continue
        target = _file_path(directory, stored.key)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with storage.open_verified(stored.key, stored.sha256) as data, target.open("xb") as out:
                sha256, size = _copy(data, out)
        except StorageError as error:
            raise BackupError(f"stored file {stored.key} cannot be backed up ({type(error).__name__}: {error}); "
                              "no backup was made") from error
        files[stored.key] = {"key": stored.key, "sha256": sha256, "size": size}
    return list(files.values())


def _dump_postgresql(app: Flask, directory: Path) -> tuple[dict, str | None, list[storage.StoredFile]]:
    """pg_dump in the snapshot the session reads the head and the list of stored files in."""
    dump = directory / DUMP_NAMES["postgresql"]
    connection = db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
    head = _audit_head(connection)
    revision = MigrationContext.configure(connection).get_current_revision()
    address, env = libpq_address(app.config["SQLALCHEMY_DATABASE_URI"])
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
          f"--file={dump}", f"--dbname={address}"], env)
    return head, revision, list(storage.stored_files(app))


def _dump_sqlite(app: Flask, directory: Path) -> tuple[dict, str | None, list[storage.StoredFile]]:
    """SQLite's online backup while this session holds the write lock, so that the head and the list of
    stored files read in it are the copy's; readers (WAL) go on, writers wait for the copy only."""
    source_path = _sqlite_path(app)
    with write_intent():
        connection = db.session.connection()  # BEGIN IMMEDIATE: the write lock
    head = _audit_head(connection)
    revision = MigrationContext.configure(connection).get_current_revision()
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(directory / DUMP_NAMES["sqlite"])
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        target.close()
        source.close()
    return head, revision, list(storage.stored_files(app))


def create_backup(app: Flask, directory: Path) -> dict[str, Any]:
    """Write a backup of the database and every stored file into ``directory`` (new or empty), the manifest
    last; returns the manifest. A backup without its manifest is incomplete, and restore refuses it."""
    kind = database_kind(app)
    _prepare_target(directory)
    db.session.rollback()
    try:
        dump = _dump_postgresql if kind == "postgresql" else _dump_sqlite
        head, revision, stored_files = dump(app, directory)
    finally:
        db.session.rollback()
    # Copied after the snapshot ends (writers go on): a committed file is never changed or removed.
    files = _copy_stored_files(stored_files, directory)
    sha256, size = file_digest(directory / DUMP_NAMES[kind])
    manifest = {
        "format": FORMAT,
        "created_at": utcnow().isoformat(timespec="seconds"),
        "alembic_revision": revision,
        "database": {"kind": kind, "file": DUMP_NAMES[kind], "sha256": sha256, "size": size},
        "audit_head": head,
        "files": files,
    }
    partial = directory / f"{MANIFEST}.part"
    partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, directory / MANIFEST)
    return manifest


# --- checking a backup --------------------------------------------------------------------------------------

def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} has no {MANIFEST}: not a backup, or one that did not finish")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        well_formed = (isinstance(manifest, dict) and isinstance(manifest.get("database"), dict)
                       and isinstance(manifest.get("audit_head"), dict) and isinstance(manifest.get("files"), list))
    except ValueError as error:
        raise BackupError(f"{path} is not a readable manifest ({error})") from None
    if not well_formed:
        raise BackupError(f"{path} is not a zone backup manifest")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is of backup format {manifest.get('format')}; this zone reads format {FORMAT}")
    return manifest


def check_backup(directory: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is there with its SHA-256 and size; else BackupError naming it."""
    database = manifest["database"]
    if database.get("file") not in DUMP_NAMES.values():
        raise BackupError(f"the manifest names an unknown database file {database.get('file')!r}")
    listed = [(Path(database["file"]), database)]
    listed += [(_file_path(directory, entry.get("key")).relative_to(directory), entry) for entry in manifest["files"]]
    for relative, entry in listed:
        path = directory / relative
        if not path.is_file():
            raise BackupError(f"the backup is damaged: {relative} is missing")
        if file_digest(path) != (entry.get("sha256"), entry.get("size")):
            raise BackupError(f"the backup is damaged: {relative} does not have the SHA-256 and size the "
                              "manifest records")


# --- restoring ----------------------------------------------------------------------------------------------

def _sqlite_tables(path: Path) -> int:
    """How many tables the SQLite file holds (an empty file holds none; a file that is no database counts
    as full: it is not ours to replace)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError:
        return 1
    finally:
        connection.close()


def _require_empty(app: Flask, kind: str) -> None:
    if kind == "sqlite":
        path = _sqlite_path(app)
        if path.exists() and _sqlite_tables(path):
            raise BackupError(f"{path} exists and is not empty: restore only into a new, empty database")
    else:
        inspector = sa.inspect(db.engine)
        present = sorted(set(inspector.get_table_names()) & (set(db.metadata.tables) | {"alembic_version"}))
        if present:
            raise BackupError(f"the database already has zone's tables ({', '.join(present[:5])}…): restore "
                              "only into a new, empty database")
    target = storage.current()
    if next(iter(target.keys()), None) is not None:
        raise BackupError(f"{target.describe()} already holds files: restore only into empty storage")


def _restore_database(app: Flask, kind: str, dump: Path) -> None:
    db.session.remove()
    db.engine.dispose()  # no pooled connection may keep the old (empty) database open
    if kind == "postgresql":
        address, env = libpq_address(app.config["SQLALCHEMY_DATABASE_URI"])
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={address}", str(dump)],
             env)
        return
    path = _sqlite_path(app)
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)  # a database without tables, or its journal: nothing in them
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.restoring")
    shutil.copyfile(dump, partial)
    os.replace(partial, path)


def _restore_files(directory: Path, manifest: dict[str, Any]) -> int:
    """Every file of the backup into the app's storage, through the storage's own move between backends (the
    backup's ``files/`` is laid out as a local storage): each read back and checked once put."""
    entries = [storage.StoredFile(entry["key"], entry["sha256"]) for entry in manifest["files"]]
    for entry in entries:
        _file_path(directory, entry.key)  # every key a storage key before anything is put
    target = storage.current()
    try:
        report = storage.migrate(entries, LocalStorage(directory / FILES), target)
    except StorageError as error:  # a file did not read back from the target
        raise BackupError(f"stored files did not reach {target.describe()}: {error}") from error
    if not report.ok:
        raise BackupError(f"stored files did not reach {target.describe()}: missing {report.missing}, "
                          f"damaged {report.damaged}")
    return len(entries)


def _compare(app: Flask, manifest: dict[str, Any], report: RestoreReport) -> None:
    connection = db.session.connection()
    head = _audit_head(connection)
    report.audit_seq, report.audit_hash = head["seq"], head["hash"]
    if head != manifest["audit_head"]:
        report.problems.append(f"the restored audit chain head is seq {head['seq']} hash {head['hash'] or '-'}; "
                               f"the backup recorded seq {manifest['audit_head']['seq']} hash "
                               f"{manifest['audit_head']['hash'] or '-'}")
    revision = MigrationContext.configure(connection).get_current_revision()
    if revision != manifest.get("alembic_revision"):
        report.problems.append(f"the restored schema is at revision {revision}; the backup recorded "
                               f"{manifest.get('alembic_revision')}")
    listed = {(entry["key"], entry["sha256"]) for entry in manifest["files"]}
    for stored in storage.stored_files(app):
        if (stored.key, stored.sha256) not in listed:
            report.problems.append(f"the restored database names stored file {stored.key}, not in the backup")
    try:
        chain, _anchor = verify_with_anchor(None)
    except ChainKeyError as error:
        report.problems.append(f"the audit chain cannot be verified: {error}")
        return
    if not chain.ok:
        report.problems.append(f"the audit chain does not verify: problem {chain.problem} at seq "
                               f"{chain.first_bad_seq} ({chain.length} entries); is AUDIT_CHAIN_KEY the "
                               "key of the backed-up zone?")


def restore_backup(app: Flask, directory: Path) -> RestoreReport:
    """Restore the backup in ``directory`` into the configured database and storage, both empty.

    Refuses (BackupError) an incomplete or damaged backup, naming the file, and a database or storage that
    is not empty. After restoring, compares the audit chain head, the schema revision and the stored files
    with the manifest and verifies the audit chain: any difference is in the report's ``problems``."""
    manifest = read_manifest(directory)
    check_backup(directory, manifest)
    kind = database_kind(app)
    if manifest["database"]["kind"] != kind:
        raise BackupError(f"this is a backup of a {manifest['database']['kind']} database; the configured "
                          f"database is {kind}")
    _require_empty(app, kind)
    _restore_database(app, kind, directory / manifest["database"]["file"])
    report = RestoreReport(files=_restore_files(directory, manifest))
    try:
        _compare(app, manifest, report)
    finally:
        db.session.rollback()
    return report
