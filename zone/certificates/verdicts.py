"""What an uploaded certificate file is, in one word, for the verification page and its API twin.

The page and ``POST /api/v1/verify/upload`` say the same thing because both ask :func:`verdict`. A file
that carries a signature but whose bytes are not what was signed (changed in place, or with anything
appended, as a PDF editor saves its changes) is never called an original nor a valid signature: it reads
"changed after signing, do not rely on it".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO

from flask_babel import lazy_gettext as _l

from zone.certificates.document import ca_path
from zone.certificates.models import Certificate
from zone.certificates.verification import TOO_LARGE, UploadVerdict, verify_upload


class Verdict(StrEnum):
    ORIGINAL = "original"  # byte for byte a certificate issued here, with its signature intact
    CHANGED_AFTER_SIGNING = "changed_after_signing"  # signed, then altered: do not rely on it
    UNCONFIRMED = "unconfirmed"  # the bytes of an issued certificate, but its signature cannot be confirmed
    NOT_ON_RECORD = "not_on_record"  # intact and signed with the zone's key, but not an original on record
    NOT_ORIGINAL = "not_original"  # unsigned, signed by someone else, or not a readable PDF
    UNREADABLE = "unreadable"  # not read: it broke the parser or the limits of a certificate check


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
    Verdict.UNREADABLE: _l("This file is not an original certificate issued here: it could not be read within the "
                           "limits of a certificate check (it is damaged, or built to overload the check)."),
}


def verdict(upload: UploadVerdict) -> Verdict:
    """The word for a checked upload: an original is recognised by its SHA-256 alone (its bytes are the
    stored, signed original); anything else by what its signature says, if it could be read at all."""
    if upload.certificate is not None:
        return Verdict.ORIGINAL
    signature = upload.signature
    if signature is None:
        return Verdict.UNREADABLE
    if signature.signed and (not signature.intact or not signature.covers_whole_file):
        return Verdict.CHANGED_AFTER_SIGNING
    if signature.ok:
        return Verdict.NOT_ON_RECORD
    return Verdict.NOT_ORIGINAL


@dataclass(frozen=True)
class Examination:
    """An uploaded file checked: its fingerprint, its signature (None when not read), the certificate it
    is (if any), the word. ``too_large``: refused unread, larger than any certificate."""

    upload: UploadVerdict
    verdict: Verdict

    @property
    def certificate(self) -> Certificate | None:
        return self.upload.certificate

    @property
    def too_large(self) -> bool:
        return self.upload.refused == TOO_LARGE

    @property
    def headline(self) -> str:
        return str(HEADLINES[self.verdict])


def examine(stream: BinaryIO) -> Examination:
    """Check an uploaded file for the page and the API alike (see :mod:`zone.certificates.verification`)."""
    upload = verify_upload(stream, ca_path())
    return Examination(upload=upload, verdict=verdict(upload))
