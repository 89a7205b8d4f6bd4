"""PAdES signatures on certificate PDFs, with pyHanko.

The zone signs every certificate with its key and certificate from a PKCS#12 file; the
signature certifies the document (DocMDP: no changes allowed), so any later edit, even an
incremental update a PDF editor would append, is reported.

Without a timestamp authority the signature is PAdES B-B: its time is the zone's own clock. With one
(:class:`TimestampAuthority`, from ``SIGNING_TSA_URL``) every signature carries an RFC 3161 signature
timestamp (B-T), and the certificates that validate the signer and the TSA are embedded in the same
revision (B-LT, built offline: the zone's and the TSA's CAs are the trust roots and nothing is fetched).
The TSA is the only network call signing makes; when it fails, signing fails.

For development and tests :func:`create_dev_signing_identity` makes a throw-away CA and a
signing certificate issued by it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from zone.pdfcheck.sandbox import ran_out_of_memory

SIGNATURE_FIELD = "ZoneSignature"
DEV_PASSPHRASE = ""
"""The development ``signer.p12`` has no passphrase (the config default): it is a throw-away key,
kept readable by its owner only. Never use a development identity in production."""

# Room for the CMS blob in /Contents. Given explicitly so pyHanko signs once instead of
# signing a dummy first to measure; 8 KiB holds an RSA-4096 signer plus a CA certificate, and
# 24 KiB that plus a timestamp token with the TSA's certificate chain.
_SIGNATURE_BYTES = 8 * 1024
_TIMESTAMPED_SIGNATURE_BYTES = 24 * 1024

_signers: dict[tuple[str, bytes | None, int], ZoneSigner] = {}
_signers_lock = threading.Lock()


class _OfflineEmbeddingNotice(logging.Filter):
    """Drops pyHanko's warning, on every timestamped signature, that validation info is embedded without
    fetching: building it offline from the configured CAs is what the zone means to do."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Validation/revocation info will be embedded, but fetching")


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_OfflineEmbeddingNotice())


class SigningError(RuntimeError):
    """The signing identity cannot be loaded or the PDF cannot be signed."""


@dataclass(frozen=True)
class DevSigningIdentity:
    """Paths of a development signing identity made by :func:`create_dev_signing_identity`."""

    ca_pem: Path
    signer_p12: Path
    passphrase: str = DEV_PASSPHRASE


@dataclass(frozen=True)
class TimestampAuthority:
    """The RFC 3161 timestamp authority every signature gets its timestamp from.

    ``trust_roots``: PEM or DER files of the CAs the signer's and the TSA's certificates lead to (the
    zone's CA, and the TSA's if it is another); their chains are embedded with the signature.
    """

    url: str
    timeout: float = 10.0
    trust_roots: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignatureCheck:
    """What pyHanko found about the signature embedded in a PDF.

    ``intact``: the signed bytes are unchanged; ``valid``: the cryptographic signature is
    correct; ``trusted``: the signer's chain leads to the given CA; ``covers_whole_file``:
    nothing was appended after signing. :attr:`ok` is all four. ``timestamped_at`` is the time of the
    signature timestamp (None without one) and ``timestamp_valid`` says that the token matches the
    signature and its TSA leads to a trusted CA.
    """

    signed: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    covers_whole_file: bool = False
    signer: str | None = None
    signed_at: dt.datetime | None = None
    timestamped_at: dt.datetime | None = None
    timestamp_valid: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the PDF is signed, unaltered and signed by a trusted key."""
        return self.signed and self.intact and self.valid and self.trusted and self.covers_whole_file


class ZoneSigner(signers.SimpleSigner):
    """A pyHanko ``SimpleSigner`` that parses its private key once, not on every signature.

    (``SimpleSigner.sign_raw`` re-loads the key from DER each time, and loading an RSA key
    runs its consistency checks: about 30 ms, more than the rest of the signing.)
    """

    def __init__(self, loaded: signers.SimpleSigner) -> None:
        super().__init__(
            signing_cert=loaded.signing_cert,
            signing_key=loaded.signing_key,
            cert_registry=loaded.cert_registry,
        )
        self._private_key = serialization.load_der_private_key(loaded.signing_key.dump(), None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """Sign ``data`` with the cached key (RSA PKCS#1 v1.5 or ECDSA; others as pyHanko)."""
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._private_key, rsa.RSAPrivateKey):
            return self._private_key.sign(data, padding.PKCS1v15(), hash_algo)
        if mechanism == "ecdsa" and isinstance(self._private_key, ec.EllipticCurvePrivateKey):
            return self._private_key.sign(data, ec.ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


def _passphrase_bytes(passphrase: str | bytes | None) -> bytes | None:
    if passphrase is None or passphrase == "":
        return None
    return passphrase.encode() if isinstance(passphrase, str) else passphrase


def load_signer(p12_path: str | os.PathLike, passphrase: str | bytes | None) -> ZoneSigner:
    """Return the signer in ``p12_path``, loaded once per process and path.

    A replaced file (key rotation) is loaded again: its modification time is part of the cache key.
    """
    path = Path(p12_path).resolve()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise SigningError(f"cannot load signing identity {p12_path}: {exc}") from exc
    key = (str(path), _passphrase_bytes(passphrase), stamp)
    with _signers_lock:
        signer = _signers.get(key)
        if signer is None:
            try:
                data = Path(key[0]).read_bytes()
                signer = ZoneSigner(signers.SimpleSigner.load_pkcs12_data(data, (), passphrase=key[1]))
            except (OSError, ValueError) as exc:
                raise SigningError(f"cannot load signing identity {p12_path}: {exc}") from exc
            _signers[key] = signer
        return signer


def without_running_loop(function, *args, **kwargs):
    """Call pyHanko's synchronous API, which uses ``asyncio.run``, even from a thread that already runs
    an event loop (an async server, or a test process driving a browser): then it runs in a helper
    thread. In a plain WSGI worker it is a direct call."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign_pdf(
    pdf_bytes: bytes,
    p12_path: str | os.PathLike,
    passphrase: str | bytes | None,
    *,
    reason: str = 'Certificate of residency issued by the ICIC "Central Asia"',
    location: str = 'ICIC "Central Asia"',
    permissions: fields.MDPPerm = fields.MDPPerm.NO_CHANGES,
    open_fields: tuple[str, ...] = (),
    prepare=None,
    timestamp: TimestampAuthority | None = None,
) -> bytes:
    """Return ``pdf_bytes`` with a PAdES certification signature by the zone's key: B-B, or B-LT with a
    signature timestamp from ``timestamp`` (a failing TSA is a :class:`SigningError`).

    ``permissions`` is what the certification allows afterwards: nothing for a certificate;
    ``FILL_FORMS`` for a document another party still signs, in the empty signature fields named in
    ``open_fields`` (added in the same revision, so they are covered by the zone's signature).
    ``prepare(writer)``, if given, completes the document in that same signed revision first.
    """
    signer = load_signer(p12_path, passphrase)
    timestamper, long_term = None, {}
    if timestamp is not None:
        timestamper = HTTPTimeStamper(timestamp.url, timeout=timestamp.timeout)
        long_term = {
            "embed_validation_info": True,
            "validation_context": _offline_context(timestamp.trust_roots),
            # In the signed revision itself: a later DSS revision would leave the signature short of the
            # whole file, which the zone's verification rightly reports as a change.
            "dss_settings": DSSContentSettings(placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE,
                                               include_vri=False),
        }
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=permissions,
        reason=reason,
        location=location,
        **long_term,
    )
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
        if prepare is not None:
            prepare(writer)
        for name in open_fields:
            fields.append_signature_field(writer, fields.SigFieldSpec(name))
        output = without_running_loop(
            signers.sign_pdf, writer, metadata, signer=signer, timestamper=timestamper,
            bytes_reserved=_TIMESTAMPED_SIGNATURE_BYTES if timestamper is not None else _SIGNATURE_BYTES)
    except Exception as exc:  # pyHanko raises many types; the caller needs one.
        raise SigningError(f"cannot sign PDF: {exc}") from exc
    return output.getvalue()


def validate_signature(pdf_bytes: bytes, ca_pem_path: str | os.PathLike, *,
                       timestamp_ca_pem_path: str | os.PathLike | None = None) -> SignatureCheck:
    """Check the first signature in ``pdf_bytes`` against the CA in ``ca_pem_path``, and its timestamp, if
    any, against that CA or the one in ``timestamp_ca_pem_path`` (a TSA under another CA,
    ``SIGNING_TSA_CA_PATH``). A timestamp that cannot be vouched for leaves ``timestamp_valid`` False.

    Never raises for a malformed or unsigned upload: the result says what failed (only running out of
    memory is raised, for :mod:`zone.pdfcheck` to report as a limit). Parse uploads through
    :func:`zone.pdfcheck.check_signature`, which runs this under its limits.
    """
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        embedded = reader.embedded_signatures
    except Exception as exc:  # any garbage may be uploaded
        if ran_out_of_memory(exc):  # a limit of zone.pdfcheck stopped it: not a verdict on the file
            raise MemoryError from exc
        return SignatureCheck(signed=False, error=f"not a readable PDF: {exc}")
    if not embedded:
        return SignatureCheck(signed=False, error="the PDF carries no signature")
    try:
        timestamp_context = None
        if timestamp_ca_pem_path:
            timestamp_context = _offline_context((str(ca_pem_path), str(timestamp_ca_pem_path)))
        status = without_running_loop(validate_pdf_signature, embedded[0], _validation_context(str(ca_pem_path)),
                                      ts_validation_context=timestamp_context)
    except Exception as exc:  # a broken signature must be reported, not raised
        if ran_out_of_memory(exc):
            raise MemoryError from exc
        return SignatureCheck(signed=True, error=f"signature cannot be validated: {exc}")
    timestamp = status.timestamp_validity
    return SignatureCheck(
        signed=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=status.signing_cert.subject.human_friendly if status.signing_cert else None,
        signed_at=status.signer_reported_dt,
        timestamped_at=timestamp.timestamp if timestamp is not None else None,
        timestamp_valid=bool(timestamp is not None and timestamp.intact and timestamp.valid and timestamp.trusted),
    )


@lru_cache(maxsize=8)
def _trust_root(ca_pem_path: str):
    return load_cert_from_pemder(ca_pem_path)


def _validation_context(ca_pem_path: str) -> ValidationContext:
    return _offline_context((ca_pem_path,))


def _offline_context(ca_pem_paths) -> ValidationContext:
    # Dev and zone certificates carry no OCSP/CRL endpoints, and nothing may go online.
    return ValidationContext(trust_roots=[_trust_root(str(path)) for path in ca_pem_paths], allow_fetching=False,
                             revocation_mode="soft-fail")


def create_dev_signing_identity(directory: str | os.PathLike) -> DevSigningIdentity:
    """Create ``ca.pem`` and ``signer.p12`` (no passphrase, see :data:`DEV_PASSPHRASE`) in ``directory``.

    The signer certificate is issued by a self-signed development root and is usable for
    digitalSignature and nonRepudiation. Does nothing when both files exist; safe to call
    from several processes at once (a lock file serialises them).
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    identity = DevSigningIdentity(ca_pem=folder / "ca.pem", signer_p12=folder / "signer.p12")
    with open(folder / ".signing.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if identity.ca_pem.exists() and identity.signer_p12.exists():
            return identity
        ca_cert, signer_key, signer_cert = _make_dev_chain()
        p12 = pkcs12.serialize_key_and_certificates(
            b"zone-dev-signer",
            signer_key,
            signer_cert,
            [ca_cert],
            serialization.NoEncryption(),
        )
        _write_private(identity.signer_p12, p12)
        _write_private(identity.ca_pem, ca_cert.public_bytes(serialization.Encoding.PEM))
    return identity


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'ICIC "Central Asia" (development)'),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _make_dev_chain() -> tuple[x509.Certificate, rsa.RSAPrivateKey, x509.Certificate]:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("ICIC Development Root CA")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    signer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("ICIC Certificate Signing (development)"))
        .issuer_name(ca_name)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return ca_cert, signer_key, signer_cert
