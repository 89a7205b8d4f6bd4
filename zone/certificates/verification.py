"""Check an uploaded PDF: is it a byte-for-byte original, and is its signature sound?

The caller looks :attr:`UploadCheck.sha256` up among the issued certificates; this module only
reads the bytes, so it can be used without a database (and in tests).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pyHanko is imported only when an upload is checked
    from zone.certificates.signing import SignatureCheck


def sha256_hex(data: bytes) -> str:
    """Return the lowercase hex SHA-256 of ``data`` (the form stored with each certificate)."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class UploadCheck:
    """The fingerprint of an uploaded file and what its embedded signature says."""

    sha256: str
    size: int
    signature: SignatureCheck


def inspect_upload(data: bytes, ca_pem_path: str | os.PathLike) -> UploadCheck:
    """Fingerprint ``data`` and validate its signature against the zone's CA; never raises."""
    from zone.certificates.signing import validate_signature

    return UploadCheck(sha256=sha256_hex(data), size=len(data), signature=validate_signature(data, ca_pem_path))
