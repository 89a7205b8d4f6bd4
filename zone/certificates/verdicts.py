"""What an uploaded certificate file is, in one word, for the verification page and its API twin.

The page and ``POST /api/v1/verify/upload`` say the same thing because both ask :func:`verdict`. A file
that carries a signature but whose bytes are not what was signed (changed in place, or with anything
appended, as a PDF editor saves its changes) is never called an original nor a valid signature: it reads
"changed after signing, do not rely on it".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from zone.certificates import queries
from zone.certificates.document import ca_path
from zone.certificates.models import Certificate
from zone.certificates.verification import UploadCheck, inspect_upload

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a certificate is well under 100 KB


class Verdict(StrEnum):
    ORIGINAL = "original"  # byte for byte a certificate issued here, with its signature intact
    CHANGED_AFTER_SIGNING = "changed_after_signing"  # signed, then altered: do not rely on it
    UNCONFIRMED = "unconfirmed"  # the bytes of an issued certificate, but its signature cannot be confirmed
    NOT_ON_RECORD = "not_on_record"  # intact and signed with the zone's key, but not an original on record
    NOT_ORIGINAL = "not_original"  # unsigned, signed by someone else, or not a readable PDF


HEADLINES = {
    Verdict.ORIGINAL: _l("This file is an unaltered original issued by the ICIC “Central Asia”, and its signature "
                         "is valid."),
    Verdict.CHANGED_AFTER_SIGNING: _l("Changed after signing, do not rely on it: this file was altered after the "
                                      "signature was made, so it is not the document that was signed. Check the "
                                      "certificate by its number or ask for the original file."),
    Verdict.UNCONFIRMED: _l("The file matches an issued certificate, but its signature could not be confirmed."),
    Verdict.NOT_ON_RECORD: _l("The file carries our valid signature but is not one of the originals issued here. "
                              "Ask for the original file or check the certificate by number."),
    Verdict.NOT_ORIGINAL: _l("This file is not an original certificate issued here."),
}


def verdict(check: UploadCheck, certificate: Certificate | None) -> Verdict:
    """The word for an upload whose check is ``check`` and whose SHA-256 names ``certificate`` (or None)."""
    signature = check.signature
    if certificate is not None:
        return Verdict.ORIGINAL if signature.ok else Verdict.UNCONFIRMED
    if signature.signed and (not signature.intact or not signature.covers_whole_file):
        return Verdict.CHANGED_AFTER_SIGNING
    if signature.ok:
        return Verdict.NOT_ON_RECORD
    return Verdict.NOT_ORIGINAL


@dataclass(frozen=True)
class Examination:
    """An uploaded file checked: its fingerprint and signature, the certificate it is (if any), the word."""

    check: UploadCheck
    certificate: Certificate | None
    verdict: Verdict

    @property
    def headline(self) -> str:
        return str(HEADLINES[self.verdict])


def examine(data: bytes) -> Examination:
    """Check an uploaded file (at most MAX_UPLOAD_BYTES, the caller's job) for the page and the API alike."""
    check = inspect_upload(data, ca_path())
    certificate = queries.by_sha256(check.sha256)
    return Examination(check=check, certificate=certificate, verdict=verdict(check, certificate))
