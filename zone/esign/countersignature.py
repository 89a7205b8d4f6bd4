"""Checking a company's countersignature: a zone-signed PDF with the company's PAdES signature added.

The zone signs a document (an activity agreement, a statement proving a tax id claim) with DocMDP "form
filling" and an empty signature field :data:`COMPANY_FIELD`; the company signs that file with its
qualified certificate and uploads it.

:func:`check_countersignature` accepts an upload only when, in this order:

1. it is the zone-signed revision byte for byte, followed by more bytes (an incremental update);
2. it holds exactly two signatures, the zone's and the company's, and the company's covers the whole
   file (nothing appended after it);
3. the company's signature is intact and cryptographically valid;
4. pyHanko's modification analysis of the zone's certification finds nothing but form filling (adding a
   signature) since the zone signed: no other content changed;
5. the signer's certificate was valid at the time of signing (the time the signature states, when it
   lies between the zone's signature and now; otherwise now);
6. its chain leads to a trusted company-signing CA (:func:`zone.esign.identities.trust_roots`);
7. its subject carries the company's tax id (:func:`zone.esign.identities.subject_ids`).

Each failure raises :class:`CountersignatureRefused` with its own code and message. Nothing is fetched
from the network (no OCSP/CRL); revocation is checked in soft-fail mode.

Uploads are parsed in one place, :func:`read_signed_pdf`, after a size cap, in a child process under the
limits of :mod:`zone.pdfcheck`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO

from flask_babel import lazy_gettext as _l

from zone.errors import ValidationFailed

CLOCK_SKEW = dt.timedelta(minutes=5)
COMPANY_FIELD = "CompanySignature"  # the empty signature field the zone leaves for the company

MESSAGES = {
    "not_over_zone_revision": _l(
        "The file is not the zone-signed document with your signature added to it. Download the document "
        "again, sign it without changing it and upload the signed file."),
    "signature_broken": _l("The signature does not match the file: the file was changed after it was signed."),
    "content_changed": _l(
        "The signed file changes the document's content, not only adds a signature. Sign the downloaded "
        "file as it is."),
    "not_valid_at_signing": _l(
        "The signing certificate was not valid at the time of signing (it had expired or was not yet valid)."),
    "untrusted_chain": _l(
        "The signing certificate does not lead to a trusted company-signing certification authority."),
    "tax_id_mismatch": _l(
        "The signing certificate does not carry your company's tax id (%(tax_id)s): sign with your "
        "company's certificate."),
}


class CountersignatureRefused(ValidationFailed):
    """An upload that is not an acceptable countersignature (422, ``fields.file`` says why)."""

    def __init__(self, reason: str, **params):
        message = str(MESSAGES[reason]) % params if params else MESSAGES[reason]
        super().__init__(message, code=reason, fields={"file": [message]})
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Countersignature:
    """An accepted countersignature: who signed and when (as the signature states it)."""

    signer: str
    signed_at: dt.datetime
    person_ids: tuple[str, ...]


def read_signed_pdf(data: bytes):
    """Parse an uploaded PDF for its signatures: the one place uploads are parsed (pyHanko's reader in
    non-strict mode). Raises ValueError for anything unreadable."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # any garbage may be uploaded; pyHanko raises many kinds
        raise ValueError(f"not a readable signed PDF: {error}") from error
    return reader, signatures


def check_countersignature(data: bytes, *, zone_pdf: bytes, tax_id: str, zone_signed_at: dt.datetime,
                           trust_roots: list, now: dt.datetime) -> Countersignature:
    """Accept ``data`` as the countersigned ``zone_pdf`` for the company ``tax_id``, or raise
    :class:`CountersignatureRefused` (see the module docstring for the checks and their order).

    The upload is parsed in a child process under the limits of :mod:`zone.pdfcheck`: a file built to
    overload the parser is refused like any other file that is not the signed agreement."""
    from zone import pdfcheck

    if len(data) <= len(zone_pdf) or not data.startswith(zone_pdf):
        raise CountersignatureRefused("not_over_zone_revision")
    from flask import current_app

    limits = pdfcheck.Limits(memory_mb=pdfcheck.Limits.from_config().memory_mb,
                             cpu_seconds=int(current_app.config["COUNTERSIGN_CHECK_CPU_SECONDS"]),
                             timeout_seconds=float(current_app.config["COUNTERSIGN_CHECK_TIMEOUT_SECONDS"]))
    try:
        answer = pdfcheck.run_limited(_check_in_child, data, zone_pdf, tax_id, zone_signed_at, trust_roots, now,
                                      limits=limits)
    except (pdfcheck.LimitExceeded, pdfcheck.ParseFailed):
        raise CountersignatureRefused("not_over_zone_revision") from None
    if answer[0] == "refused":
        raise CountersignatureRefused(answer[1], **answer[2])
    return answer[1]


def _check_in_child(data: bytes, zone_pdf: bytes, tax_id: str, zone_signed_at: dt.datetime, trust_roots: list,
                    now: dt.datetime) -> tuple:
    """The checks, in the limited child: ``("ok", Countersignature)`` or ``("refused", reason, params)``."""
    try:
        return ("ok", _check(data, zone_pdf=zone_pdf, tax_id=tax_id, zone_signed_at=zone_signed_at,
                             trust_roots=trust_roots, now=now))
    except CountersignatureRefused as refused:
        return ("refused", refused.reason, refused.params)


def _check(data: bytes, *, zone_pdf: bytes, tax_id: str, zone_signed_at: dt.datetime, trust_roots: list,
           now: dt.datetime) -> Countersignature:
    try:
        reader, signatures = read_signed_pdf(data)
    except ValueError:
        raise CountersignatureRefused("not_over_zone_revision") from None
    if len(signatures) < 2:
        raise CountersignatureRefused("not_over_zone_revision")
    zone_signature, company_signature = signatures[0], signatures[-1]
    zone_revisions = _revisions(zone_pdf)
    if zone_signature.signed_revision != zone_revisions - 1:
        raise CountersignatureRefused("not_over_zone_revision")
    if len(signatures) > 2:
        raise CountersignatureRefused("content_changed")

    status = _validate(company_signature, trust_roots, _signing_time(company_signature, zone_signed_at, now))
    if status is None or not (status.intact and status.valid):
        raise CountersignatureRefused("signature_broken")
    if company_signature.signed_revision != reader.xrefs.total_revisions - 1 or not _covers_whole_file(status):
        raise CountersignatureRefused("content_changed")
    if not _only_signed_since(zone_signature):
        raise CountersignatureRefused("content_changed")

    from cryptography import x509

    certificate = x509.load_der_x509_certificate(company_signature.signer_cert.dump())
    moment = _signing_time(company_signature, zone_signed_at, now)
    if not certificate.not_valid_before_utc <= moment <= certificate.not_valid_after_utc:
        raise CountersignatureRefused("not_valid_at_signing")
    if not status.trusted:
        raise CountersignatureRefused("untrusted_chain")

    from zone.esign.identities import subject_ids

    ids = subject_ids(certificate)
    if not ids.carries(tax_id):
        raise CountersignatureRefused("tax_id_mismatch", tax_id=tax_id)
    return Countersignature(signer=certificate.subject.rfc4514_string()[:500], signed_at=moment,
                            person_ids=tuple(sorted(ids.person)))


def _revisions(pdf: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(BytesIO(pdf), strict=False).xrefs.total_revisions


def _signing_time(signature, zone_signed_at: dt.datetime, now: dt.datetime) -> dt.datetime:
    """The time the signature states, if it can be true (after the zone signed, not in the future);
    otherwise now, the latest moment the signature can have been made."""
    stated = signature.self_reported_timestamp
    if zone_signed_at.tzinfo is None:
        zone_signed_at = zone_signed_at.replace(tzinfo=dt.UTC)
    if stated is not None and zone_signed_at - CLOCK_SKEW <= stated <= now + CLOCK_SKEW:
        return stated
    return now


def _validate(signature, trust_roots: list, moment: dt.datetime):
    """pyHanko's validation of ``signature`` against ``trust_roots`` at ``moment``; None if it cannot run."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from zone.certificates.signing import without_running_loop

    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False, revocation_mode="soft-fail",
                                moment=moment, best_signature_time=moment)
    try:
        return without_running_loop(validate_pdf_signature, signature, context, skip_diff=True)
    except Exception:  # a malformed signature must be refused, not raised
        return None


def _covers_whole_file(status) -> bool:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    return status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def _only_signed_since(zone_signature) -> bool:
    """Whether everything after the zone's revision is form filling (a signature), per pyHanko's
    difference analysis under the zone's DocMDP "form filling" certification."""
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification

    try:
        zone_signature.compute_integrity_info(diff_policy=DEFAULT_DIFF_POLICY)
    except Exception:
        return False
    result = zone_signature.diff_result
    if isinstance(result, SuspiciousModification):
        return False
    return result.modification_level <= ModificationLevel.FORM_FILLING
