"""Check an uploaded PDF: is it a byte-for-byte original, and if not, what does its signature say?

A file is first looked up by its SHA-256 among the issued certificates: an original is recognised
without reading a byte of its structure. Anything else is refused if it is larger than a certificate can
be (``VERIFY_UPLOAD_MAX_KB``) and otherwise has its signature checked under the limits of
:mod:`zone.pdfcheck`, so no upload holds a worker for longer than ``PDF_CHECK_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from flask import current_app

from zone import pdfcheck
from zone.extensions import db

if TYPE_CHECKING:
    from zone.certificates.models import Certificate
    from zone.certificates.signing import SignatureCheck

CHUNK = 64 * 1024
TOO_LARGE = "too_large"
UNREADABLE = "unreadable"


def sha256_hex(data: bytes) -> str:
    """Return the lowercase hex SHA-256 of ``data`` (the form stored with each certificate)."""
    return hashlib.sha256(data).hexdigest()


def max_upload_bytes() -> int:
    """The largest file the verification reads: what a certificate can be (``VERIFY_UPLOAD_MAX_KB``)."""
    return int(current_app.config.get("VERIFY_UPLOAD_MAX_KB", 256)) * 1024


@dataclass(frozen=True)
class UploadVerdict:
    """What the verification found about an uploaded file.

    ``certificate``: the issued certificate whose stored PDF has exactly these bytes (then the file is an
    original, and nothing else was read); ``signature``: what its embedded signature says, when it was
    read; ``refused``: why it was not read (``too_large``; the :mod:`zone.pdfcheck` limit that stopped
    the reading: ``memory``, ``cpu``, ``timeout``; ``unreadable`` when the parser broke).
    """

    sha256: str
    size: int
    certificate: Certificate | None = None
    signature: SignatureCheck | None = None
    refused: str | None = None

    @property
    def original(self) -> bool:
        return self.certificate is not None


def verify_upload(stream: BinaryIO, ca_pem_path: str | os.PathLike) -> UploadVerdict:
    """Fingerprint the whole upload, look it up, and read only what might still be a certificate."""
    from zone.certificates import queries

    limit = max_upload_bytes()
    digest, size, kept = hashlib.sha256(), 0, bytearray()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if len(kept) <= limit:
            kept += chunk[: limit + 1 - len(kept)]
    sha256 = digest.hexdigest()
    certificate = queries.by_sha256(sha256)
    if certificate is not None:
        return UploadVerdict(sha256=sha256, size=size, certificate=certificate)
    if size > limit:
        return UploadVerdict(sha256=sha256, size=size, refused=TOO_LARGE)
    # Reading the file needs no database: end the lookup's transaction, so that no lock is held meanwhile
    # (on SQLite a POST begins with the write lock).
    db.session.rollback()
    try:
        signature = pdfcheck.check_signature(bytes(kept), ca_pem_path)
    except pdfcheck.LimitExceeded as stopped:
        return UploadVerdict(sha256=sha256, size=size, refused=stopped.limit)
    except pdfcheck.ParseFailed:  # the parser broke or could not start: the file was not read
        return UploadVerdict(sha256=sha256, size=size, refused=UNREADABLE)
    return UploadVerdict(sha256=sha256, size=size, signature=signature)
