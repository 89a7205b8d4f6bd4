"""Signed anchors: the chain head, signed with the zone's key, kept outside the system.

A hash chain proves that no entry was changed *relative to the entries around it*; someone able to
rewrite the table could re-hash every entry after the one they changed. An anchor closes that gap: it
records one (seq, hash) pair signed with the zone's private key (the PKCS#12 at ``SIGNING_P12_PATH``).
Kept elsewhere (printed, mailed to the supervisors), it later proves that the chain still holds that
exact entry: ``verify_anchor()`` checks the signature, that the signer is the zone, and that entry ``seq``
still has ``hash``.

The zone is its pinned signing certificate(s) only (``AUDIT_ANCHOR_PINNED_CERTS``; by default the current
one at ``SIGNING_P12_PATH``), never any certificate of the CA: whoever got another signing certificate from
the same CA must not be able to vouch for a rewritten history.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from flask import current_app
from sqlalchemy import select

from zone.audit.models import AuditEvent, AuditHead
from zone.audit.services import ChainReport, format_time
from zone.database import utcnow
from zone.extensions import db

ANCHOR_TYPE = "zone-audit-anchor"
ANCHOR_VERSION = 1
SIGNED_FIELDS = ("type", "version", "seq", "hash", "head_at", "created_at", "base_url")
MAX_ANCHOR_BYTES = 64 * 1024


class AnchorError(Exception):
    """The signing identity cannot be used, or an anchor cannot be read. ``str()`` says why."""


@dataclass(frozen=True)
class SigningIdentity:
    private_key: Any
    certificate: x509.Certificate


def load_signing_identity() -> SigningIdentity:
    """The zone's private key and certificate from ``SIGNING_P12_PATH`` / ``SIGNING_P12_PASSPHRASE``."""
    path = Path(current_app.config.get("SIGNING_P12_PATH") or "")
    if not path.is_file():
        raise AnchorError(
            f"No signing key at {path}. Set SIGNING_P12_PATH (and SIGNING_P12_PASSPHRASE) to the zone's "
            "PKCS#12 file. For development, `make run` creates one, or call "
            "zone.certificates.signing.create_dev_signing_identity(<dir>) and point SIGNING_P12_PATH at "
            "<dir>/signer.p12 (and SIGNING_CA_PATH at <dir>/ca.pem).")
    passphrase = current_app.config.get("SIGNING_P12_PASSPHRASE") or None
    try:
        key, certificate, _chain = pkcs12.load_key_and_certificates(
            path.read_bytes(), passphrase.encode() if isinstance(passphrase, str) else passphrase)
    except (ValueError, TypeError) as error:
        raise AnchorError(f"Cannot open the signing key {path}: wrong SIGNING_P12_PASSPHRASE or not a "
                          f"PKCS#12 file ({error}).") from None
    if key is None or certificate is None:
        raise AnchorError(f"The PKCS#12 file {path} holds no private key and certificate.")
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise AnchorError("Only RSA and EC signing keys are supported.")
    return SigningIdentity(key, certificate)


def canonical_payload(anchor: dict) -> bytes:
    """The bytes an anchor's signature covers: its signed fields as sorted, compact JSON."""
    content = {name: anchor.get(name) for name in SIGNED_FIELDS}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _sign(key: Any, data: bytes) -> tuple[str, bytes]:
    if isinstance(key, rsa.RSAPrivateKey):
        return "RSA-PKCS1v15-SHA256", key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    return "ECDSA-SHA256", key.sign(data, ec.ECDSA(hashes.SHA256()))


def _check_signature(public_key: Any, algorithm: str, signature: bytes, data: bytes) -> bool:
    try:
        if algorithm == "RSA-PKCS1v15-SHA256" and isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif algorithm == "ECDSA-SHA256" and isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except InvalidSignature:
        return False
    return True


def make_anchor() -> dict:
    """Sign the current chain head. Raises AnchorError when there is no usable signing key."""
    identity = load_signing_identity()
    head = db.session.get(AuditHead, 1)
    seq, head_hash = (head.seq, head.hash) if head is not None else (0, "")
    head_entry = db.session.get(AuditEvent, seq) if seq else None
    anchor = {
        "type": ANCHOR_TYPE,
        "version": ANCHOR_VERSION,
        "seq": seq,
        "hash": head_hash,
        "head_at": format_time(head_entry.at) if head_entry is not None else None,
        "created_at": format_time(utcnow()),
        "base_url": current_app.config.get("BASE_URL"),
    }
    algorithm, signature = _sign(identity.private_key, canonical_payload(anchor))
    anchor["algorithm"] = algorithm
    anchor["signature"] = base64.b64encode(signature).decode("ascii")
    anchor["certificate"] = identity.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
    return anchor


def parse_anchor(raw: bytes | str | dict) -> dict:
    """An anchor from its JSON text (or an already parsed object); AnchorError if it is not one."""
    if isinstance(raw, dict):
        data = raw
    else:
        if len(raw) > MAX_ANCHOR_BYTES:
            raise AnchorError("The anchor file is too large.")
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise AnchorError("The anchor is not valid JSON.") from None
    if not isinstance(data, dict) or data.get("type") != ANCHOR_TYPE:
        raise AnchorError("This is not an audit anchor of this system.")
    if not isinstance(data.get("seq"), int) or isinstance(data.get("seq"), bool) or data["seq"] < 0:
        raise AnchorError("The anchor has no valid sequence number.")
    for name in ("hash", "signature", "certificate", "algorithm"):
        if not isinstance(data.get(name), str):
            raise AnchorError(f"The anchor lacks its {name}.")
    return data


_FINGERPRINT = re.compile(r"[0-9a-f]{64}")


def _public_key_bytes(certificate: x509.Certificate) -> bytes:
    return certificate.public_key().public_bytes(serialization.Encoding.DER,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)


def _pinned_certificate_file(path: Path) -> x509.Certificate | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    for load in (x509.load_pem_x509_certificate, x509.load_der_x509_certificate):
        try:
            return load(data)
        except ValueError:
            continue
    return None


def pinned_signers() -> tuple[set[bytes], set[str]]:
    """What anchors may be signed with: ``(public keys, certificate SHA-256 fingerprints)``.

    ``AUDIT_ANCHOR_PINNED_CERTS`` lists certificate files (PEM or DER: a certificate with the same key is
    trusted, so a renewed certificate of that key too) or SHA-256 fingerprints of certificates (hex, colons
    allowed: that exact certificate). Unset, the zone's current signing certificate is the only pin. An
    entry that is neither pins nothing (and is logged), so a mistyped pin fails closed.
    """
    pins = current_app.config.get("AUDIT_ANCHOR_PINNED_CERTS") or []
    keys: set[bytes] = set()
    fingerprints: set[str] = set()
    if not pins:
        with contextlib.suppress(AnchorError):  # no usable key: nothing is pinned, no anchor is trusted
            keys.add(_public_key_bytes(load_signing_identity().certificate))
        return keys, fingerprints
    for pin in pins:
        text = str(pin).strip()
        compact = text.replace(":", "").lower()
        if _FINGERPRINT.fullmatch(compact):
            fingerprints.add(compact)
            continue
        certificate = _pinned_certificate_file(Path(text))
        if certificate is None:
            current_app.logger.warning("AUDIT_ANCHOR_PINNED_CERTS entry %r is neither a readable certificate "
                                       "file nor a SHA-256 fingerprint: it pins nothing", text)
            continue
        keys.add(_public_key_bytes(certificate))
    return keys, fingerprints


def _trusted_signer(certificate: x509.Certificate) -> bool:
    """One of the zone's pinned signing certificates (:func:`pinned_signers`); no other from its CA."""
    keys, fingerprints = pinned_signers()
    if _public_key_bytes(certificate) in keys:
        return True
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest() in fingerprints


@dataclass
class AnchorCheck:
    """What checking an anchor found. ``ok``: signature valid, signer trusted, entry still there."""

    seq: int | None = None
    hash: str | None = None
    created_at: str | None = None
    signature_valid: bool = False
    signer_trusted: bool = False
    signer: str | None = None
    matches: bool = False
    problem: str | None = None  # bad_anchor | bad_signature | untrusted_signer | missing_entry | hash_mismatch
    detail: str | None = None  # why a bad anchor could not be read
    chain: ChainReport | None = field(default=None)

    @property
    def ok(self) -> bool:
        return self.signature_valid and self.signer_trusted and self.matches

    def to_dict(self) -> dict:
        return {"ok": self.ok, "seq": self.seq, "hash": self.hash, "created_at": self.created_at,
                "signature_valid": self.signature_valid, "signer_trusted": self.signer_trusted,
                "signer": self.signer, "matches": self.matches, "problem": self.problem,
                "detail": self.detail}


def check_signature(raw: bytes | str | dict) -> tuple[dict | None, AnchorCheck]:
    """Read an anchor and check its signature and signer, not the chain: ``(anchor, check)``, the
    anchor None when it cannot be read. ``check.problem`` says what is wrong, if anything."""
    try:
        anchor = parse_anchor(raw)
    except AnchorError as error:
        return None, AnchorCheck(problem="bad_anchor", detail=str(error))
    check = AnchorCheck(seq=anchor["seq"], hash=anchor["hash"], created_at=anchor.get("created_at"))
    try:
        certificate = x509.load_pem_x509_certificate(anchor["certificate"].encode("ascii"))
        signature = base64.b64decode(anchor["signature"], validate=True)
    except (ValueError, UnicodeEncodeError, binascii.Error):
        check.problem, check.detail = "bad_anchor", "The anchor's certificate or signature cannot be read."
        return None, check
    check.signer = certificate.subject.rfc4514_string()
    check.signature_valid = _check_signature(certificate.public_key(), anchor["algorithm"], signature,
                                             canonical_payload(anchor))
    check.signer_trusted = _trusted_signer(certificate)
    if not check.signature_valid:
        check.problem = "bad_signature"
    elif not check.signer_trusted:
        check.problem = "untrusted_signer"
    return anchor, check


def anchored_hash(seq: int) -> str | None:
    """The hash the chain holds now for entry ``seq`` (``""`` for the empty chain), None if there is none."""
    if seq == 0:
        return "" if db.session.get(AuditHead, 1) is not None else None
    return db.session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq))


def verify_anchor(raw: bytes | str | dict) -> AnchorCheck:
    """Check a kept anchor: its signature, its signer, and that the chain still holds its entry.

    Never raises for a malformed upload: the result's ``problem`` says what is wrong.
    """
    anchor, check = check_signature(raw)
    if anchor is None:
        return check
    entry_hash = anchored_hash(check.seq)
    check.matches = entry_hash is not None and entry_hash == check.hash
    if check.problem is None and entry_hash is None:
        check.problem = "missing_entry"
    elif check.problem is None and not check.matches:
        check.problem = "hash_mismatch"
    return check


def issued_and_recorded(*, actor: Any = None) -> dict:
    """A signed anchor of the current head, and a record of who took it. The caller commits."""
    from zone.audit.services import record

    anchor = make_anchor()
    record("audit.anchor", actor=actor, object_type="audit_trail",
           details={"seq": anchor["seq"], "hash": anchor["hash"], "created_at": anchor["created_at"]})
    return anchor
