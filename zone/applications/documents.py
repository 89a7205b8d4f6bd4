"""Uploaded documents: the content check, safe storage, version history and audited downloads.

A file is accepted by what it is (its first bytes; a PDF must also be readable within the limits of
:mod:`zone.pdfcheck`), never by its name or the browser's content type. It is
stored through :mod:`zone.storage` (``UPLOAD_DIR`` outside the web root, or a private bucket) under a random
server-made key, and read back only if its SHA-256 is the one recorded; the uploader's name is cleaned and
kept for display only. Every upload is kept: the newest of a kind is the current one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO, Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.session import Session
from sqlalchemy import event, select

from zone import pdfcheck
from zone.accounts.models import User
from zone.applications.fields import DOCUMENT_KINDS
from zone.applications.lifecycle import add_event
from zone.applications.models import Application, Document
from zone.applications.services import NOT_EDITABLE
from zone.applications.workflow import EDITABLE_STATUSES
from zone.audit.services import record
from zone.errors import Conflict, NotFound, TooLarge, Unavailable, ValidationFailed
from zone.extensions import db
from zone.storage import services as storage
from zone.storage.backends import Damaged, Missing, new_key
from zone.storage.backends import Unavailable as StorageUnavailable

log = logging.getLogger(__name__)

# (magic bytes, content type, extension)
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
EXTENSIONS = {content_type: ext for _magic, content_type, ext in SIGNATURES}
MAX_NAME = 120
CHUNK = 64 * 1024
_NEW_FILES = "zone_new_upload_files"


class StoredDocument(Protocol):
    """What a row of a stored file has (application documents, reports' documents)."""

    id: int
    storage_name: str
    sha256: str


def max_upload_bytes() -> int:
    return int(current_app.config.get("MAX_UPLOAD_MB", 10)) * 1024 * 1024


def too_large_error() -> TooLarge:
    mb = int(current_app.config.get("MAX_UPLOAD_MB", 10))
    message = _l("The file is larger than %(mb)s MB. Reduce it (e.g. scan in 150–200 dpi, black and white) "
                 "or split it into parts.", mb=mb)
    return TooLarge(message, fields={"file": [message]})


def clean_filename(raw: str | None) -> str:
    """The uploader's file name made safe to show: no directories, control or invisible characters,
    no leading dots, at most 120 characters (keeping the extension). Never used as a path."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # controls, NUL, bidi overrides
    name = re.sub(r"\s+", " ", name).strip().lstrip(". ").strip()
    if not name:
        return "document"
    if len(name) > MAX_NAME:
        stem, ext = os.path.splitext(name)
        ext = ext if 1 < len(ext) <= 10 else ""
        name = stem[: MAX_NAME - len(ext)].rstrip() + ext
    return name


def detect_type(head: bytes) -> str | None:
    """``application/pdf``, ``image/png`` or ``image/jpeg`` from the first bytes, or None."""
    for magic, content_type, _ext in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def open_document(document: Document | StoredDocument) -> BinaryIO:
    """The stored file of ``document`` (an application's or another domain's stored document), at its start,
    only if its bytes are the ones recorded (SHA-256). Raises NotFound (no such file), Conflict (the stored
    bytes differ: never sent, logged) or Unavailable (the storage does not answer). The caller closes it."""
    try:
        return storage.open_verified(document.storage_name, document.sha256)
    except Missing:
        log.error("The stored file %s of %s %s is missing", document.storage_name, type(document).__name__,
                  document.id)
        raise NotFound(_l("The file of this document is not available."), code="file_missing") from None
    except Damaged:
        raise Conflict(_l("The stored file of this document does not match the one uploaded, so it is not sent. "
                          "The staff have been told; ask them to restore it or upload the document again."),
                       code="file_damaged") from None
    except StorageUnavailable:
        log.exception("The storage did not answer for %s", document.storage_name)
        raise Unavailable(_l("Stored documents cannot be read at the moment. Try again in a few minutes.")) from None


@contextmanager
def closed_on_error(stream: BinaryIO) -> Iterator[BinaryIO]:
    """Close an opened stored file if what comes before sending it (the audit entry, the commit) fails."""
    try:
        yield stream
    except BaseException:
        stream.close()
        raise


def download_name(document: Document) -> str:
    """The name offered to the browser: the cleaned name with the extension of its real type."""
    ext = EXTENSIONS.get(document.content_type, "")
    name = document.filename
    if ext and not name.lower().endswith((ext, ".jpeg") if ext == ".jpg" else ext):
        name += ext
    return name


def _store(stream: BinaryIO) -> tuple[str, int, str, str]:
    """Check the upload's size and type while copying it to a temporary file, then store it under a new
    server-made key. Returns (storage name, size, sha256, content type)."""
    limit = max_upload_bytes()
    digest, size, head = hashlib.sha256(), 0, b""
    with tempfile.TemporaryFile(prefix="zone-upload-") as spooled:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise too_large_error()
            if len(head) < 16:
                head += chunk[: 16 - len(head)]
            digest.update(chunk)
            spooled.write(chunk)
        if size == 0:
            raise ValidationFailed(_l("The file is empty."), fields={"file": [_l("The file is empty. Choose the "
                                                                                   "right file and try again.")]})
        content_type = detect_type(head)
        if content_type is None:
            message = _l("Only PDF, PNG and JPEG files are accepted, and this file is none of them (we check the "
                         "content, not the name). Save or scan the document as PDF.")
            raise ValidationFailed(message, code="unsupported_type", fields={"file": [message]})
        spooled.seek(0)
        if content_type == "application/pdf":
            check_pdf(spooled.read())
            spooled.seek(0)
        target, storage_name = storage.current(), new_key()
        try:
            target.put(storage_name, spooled)
        except StorageUnavailable:
            log.exception("The storage did not take an upload")
            raise Unavailable(_l("Documents cannot be stored at the moment. Try again in a few minutes.")) from None
    db.session.info.setdefault(_NEW_FILES, []).append((target, storage_name))
    return storage_name, size, digest.hexdigest(), content_type


def store_upload(stream: BinaryIO) -> tuple[str, int, str, str]:
    """Store an upload checked by its content as application documents are (other domains' documents,
    such as reports' audited statements, use it). Returns (storage name, size, sha256, content type)."""
    return _store(stream)


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that cannot be read within the limits of :mod:`zone.pdfcheck` (a "decompression bomb",
    a page tree of millions of pages): ValidationFailed with code ``pdf_too_complex``. A PDF that merely
    fails to parse is kept: people see it as their viewer does."""
    try:
        pdfcheck.inspect_pdf(data)
    except (pdfcheck.LimitExceeded, pdfcheck.ParseFailed):
        message = _l("This PDF cannot be opened safely: reading it takes far more memory or time than any "
                     "document needs. Save or print it again as PDF (or scan the paper) and upload the new file.")
        raise ValidationFailed(message, code="pdf_too_complex", fields={"file": [message]}) from None


@event.listens_for(Session, "after_rollback")
def _remove_uncommitted_files(session: Session) -> None:
    # A rolled-back upload leaves no orphan file behind.
    for target, key in session.info.pop(_NEW_FILES, []):
        try:
            target.delete(key)
        except StorageUnavailable:
            log.exception("Could not remove the uncommitted upload %s", key)


@event.listens_for(Session, "after_commit")
def _keep_committed_files(session: Session) -> None:
    session.info.pop(_NEW_FILES, None)


def add_document(application: Application, actor: User, kind: str | None, stream: BinaryIO | None,
                 filename: str | None, *, apostilled: bool = False) -> Document:
    """Store a new version of a document of ``kind``. Raises Conflict (the application is not editable),
    ValidationFailed (unknown kind, no file, empty file, not PDF/PNG/JPEG) or TooLarge."""
    if application.status not in EDITABLE_STATUSES:
        raise Conflict(NOT_EDITABLE, code="not_editable", details={"status": application.status})
    problems: dict[str, list] = {}
    if kind not in DOCUMENT_KINDS:
        problems["kind"] = [_l("Choose which document this is.")]
    if stream is None:
        problems["file"] = [_l("Choose a file to upload.")]
    if problems:
        raise ValidationFailed(_l("Some values are not valid."), fields=problems)
    storage_name, size, sha256, content_type = _store(stream)
    document = Document(application_id=application.id, kind=kind, filename=clean_filename(filename),
                        storage_name=storage_name, content_type=content_type, size=size, sha256=sha256,
                        apostilled=bool(apostilled), uploaded_by_id=actor.id)
    db.session.add(document)
    db.session.flush()
    add_event(application, actor, "document", action="upload", bump_version=False,
              details={"document_id": document.id, "kind": kind, "filename": document.filename})
    record("document.upload", document, actor=actor,
           details={"application_id": application.id, "kind": kind, "filename": document.filename,
                    "size": size, "sha256": sha256, "content_type": content_type, "apostilled": bool(apostilled)})
    return document


def record_download(document: Document, actor: User) -> None:
    """Audit that ``actor`` fetched the document (the caller commits before sending it)."""
    record("document.download", document, actor=actor,
           details={"application_id": document.application_id, "kind": document.kind, "sha256": document.sha256})


def documents_of(application_id: int) -> list[Document]:
    """Every document of the application, newest first."""
    return list(db.session.scalars(select(Document).where(Document.application_id == application_id)
                                   .order_by(Document.id.desc())))


def find_document(application_id: int, document_id: int) -> Document | None:
    return db.session.scalar(select(Document).where(Document.id == document_id,
                                                    Document.application_id == application_id))
