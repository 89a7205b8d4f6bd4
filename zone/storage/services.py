"""The app's one storage, chosen at app creation, and reading a stored file only if it is the one recorded.

``STORAGE_BACKEND`` names the backend (``local``: ``UPLOAD_DIR``; ``s3``: ``S3_BUCKET`` under ``S3_PREFIX``
at ``S3_ENDPOINT_URL`` in ``S3_REGION``). Domains that keep files register where their rows are
(``register_files``), so ``flask storage migrate`` can move every file without importing them.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from flask import Flask, current_app

from zone.storage.backends import (
    CHUNK,
    Damaged,
    LocalStorage,
    Missing,
    S3Storage,
    Storage,
    StorageError,
    Unavailable,
    s3_client,
)

log = logging.getLogger(__name__)

EXTENSION = "zone_storage"
FILES = "zone_storage_files"
BACKENDS = ("local", "s3")


def build(config, backend: str | None = None) -> Storage:
    """The storage ``backend`` (default ``STORAGE_BACKEND``) as the settings describe it."""
    backend = backend or config.get("STORAGE_BACKEND", "local")
    if backend == "local":
        return LocalStorage(config["UPLOAD_DIR"])
    if backend == "s3":
        if not config.get("S3_BUCKET"):
            raise ValueError("STORAGE_BACKEND=s3 needs S3_BUCKET")
        client = s3_client(endpoint_url=config.get("S3_ENDPOINT_URL"), region=config.get("S3_REGION"))
        return S3Storage(client, config["S3_BUCKET"], config.get("S3_PREFIX") or "")
    raise ValueError(f"STORAGE_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = build(app.config)


def current() -> Storage:
    """The storage of the running app."""
    return current_app.extensions[EXTENSION]


def open_verified(key: str, sha256: str, *, storage: Storage | None = None) -> BinaryIO:
    """The stored file, positioned at its start, only if its SHA-256 is ``sha256``.

    Raises Missing, Unavailable or Damaged (logged as an error): damaged bytes are never handed out. A
    local file is hashed and rewound in place (the same open file is then sent); an object is spooled to a
    temporary file as it is hashed, so neither is ever held in memory whole. The caller closes the result.
    """
    storage = storage or current()
    source = storage.open(key)
    try:
        if source.seekable():
            digest = _hash(source)
            source.seek(0)
            result = source
        else:
            result = tempfile.TemporaryFile(prefix="zone-stored-")  # noqa: SIM115 - handed to the caller
            try:
                digest = _hash(source, copy_to=result)
                result.seek(0)
            except BaseException:
                result.close()
                raise
            source.close()
    except BaseException:
        source.close()
        raise
    if digest != sha256:
        result.close()
        log.error("Stored file %s in %s is damaged: SHA-256 %s, recorded %s; not sent",
                  key, storage.describe(), digest, sha256)
        raise Damaged(key)
    return result


def _hash(stream: BinaryIO, copy_to: BinaryIO | None = None) -> str:
    from botocore.exceptions import BotoCoreError

    digest = hashlib.sha256()
    try:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            if copy_to is not None:
                copy_to.write(chunk)
    except (BotoCoreError, OSError) as error:  # the connection dropped while reading
        raise Unavailable(str(error)) from error
    return digest.hexdigest()


# --- the files domains keep, and moving them between backends ---------------------------------------------

@dataclass(frozen=True)
class StoredFile:
    key: str
    sha256: str


def register_files(app: Flask, name: str, files: Callable[[], Iterable[StoredFile | tuple[str, str]]]) -> None:
    """Tell the storage where a domain's stored files are: ``files()`` yields (key, sha256) of each, in an
    app context."""
    registered = app.extensions.setdefault(FILES, {})
    if name in registered:
        raise ValueError(f"stored files named {name!r} are already registered")
    registered[name] = files


def stored_files(app: Flask) -> Iterator[StoredFile]:
    for files in app.extensions.get(FILES, {}).values():
        for key, sha256 in files():
            yield StoredFile(key, sha256)


@dataclass
class MigrationReport:
    copied: int = 0
    present: int = 0  # already in the target with the right bytes (a re-run copies nothing twice)
    missing: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.damaged


def migrate(files: Iterable[StoredFile], source: Storage, target: Storage) -> MigrationReport:
    """Copy every file from ``source`` to ``target``, checking its SHA-256 when read from the source and again
    when read back from the target. A file already in the target with the recorded SHA-256 is left as it is;
    one there with other bytes is replaced. Missing or damaged source files are counted, never copied."""
    report = MigrationReport()
    for stored in files:
        try:
            with open_verified(stored.key, stored.sha256, storage=target):
                report.present += 1
                continue
        except (Missing, Damaged):
            pass
        try:
            with open_verified(stored.key, stored.sha256, storage=source) as data:
                target.put(stored.key, data)
        except Missing:
            log.error("Stored file %s is missing from %s", stored.key, source.describe())
            report.missing.append(stored.key)
            continue
        except Damaged:
            report.damaged.append(stored.key)
            continue
        try:
            with open_verified(stored.key, stored.sha256, storage=target):
                report.copied += 1
        except StorageError as error:
            raise Unavailable(f"{stored.key} did not read back from {target.describe()}: {error!r}") from error
    return report
