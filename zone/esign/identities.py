"""Company signing certificates: whose tax id a certificate carries, which CAs are trusted, and the
development "national CA" that issues demo company identities.

Subject layouts accepted (the real ones of the two national PKIs):

- **Kazakhstan, NCA RK** (Национальный удостоверяющий центр РК): a legal entity's certificate carries
  the company's BIN in ``OU`` as ``BIN`` + 12 digits (``OU=BIN180240012342``) and the signing person's
  IIN in ``serialNumber`` as ``IIN`` + 12 digits (``SERIALNUMBER=IIN850101300123``). A sole trader's
  certificate has only the IIN, which is then its tax id.
- **Uzbekistan, E-IMZO**: the organisation's STIR (INN, 9 digits) in the attribute with OID
  ``1.2.860.3.16.1.1``; the person's PINFL (14 digits) in OID ``1.2.860.3.16.1.2`` and often in ``UID``
  (``0.9.2342.19200300.100.1.1``). A sole trader is identified by the PINFL.

A certificate "carries the company's tax id" when one of these identifiers equals it exactly.

Trust: production trusts only the CA certificates in ``COMPANY_SIGNING_CA_PATHS`` (PEM or DER files;
every certificate in them is a trust anchor; intermediates come with the signature). Outside production
the development national CA (``DEV_NATIONAL_CA_DIR``, made on demand by :func:`dev_national_ca`) is
trusted too, so ``flask agreements demo-signer`` identities can countersign in demos and tests.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID, ObjectIdentifier
from flask import current_app

UZ_ORGANISATION_INN = ObjectIdentifier("1.2.860.3.16.1.1")
UZ_PERSON_PINFL = ObjectIdentifier("1.2.860.3.16.1.2")
_BIN = re.compile(r"^BIN(\d{12})$")
_IIN = re.compile(r"^IIN(\d{12})$")
_DIGITS = re.compile(r"^\d{9,14}$")


@dataclass(frozen=True)
class SubjectIds:
    """The identifiers a certificate's subject carries."""

    company: frozenset[str]  # BIN (KZ) or STIR (UZ)
    person: frozenset[str]  # IIN (KZ) or PINFL (UZ)

    def carries(self, tax_id: str) -> bool:
        return tax_id in self.company or tax_id in self.person


def subject_ids(certificate: x509.Certificate) -> SubjectIds:
    """The company and person identifiers in ``certificate``'s subject (see the module docstring)."""
    company, person = set(), set()
    for attribute in certificate.subject:
        value = attribute.value if isinstance(attribute.value, str) else ""
        value = value.strip()
        if attribute.oid == NameOID.ORGANIZATIONAL_UNIT_NAME and (match := _BIN.match(value)):
            company.add(match.group(1))
        elif attribute.oid == NameOID.SERIAL_NUMBER and (match := _IIN.match(value)):
            person.add(match.group(1))
        elif attribute.oid == UZ_ORGANISATION_INN and _DIGITS.match(value):
            company.add(value)
        elif attribute.oid in (UZ_PERSON_PINFL, NameOID.USER_ID) and _DIGITS.match(value):
            person.add(value)
    return SubjectIds(frozenset(company), frozenset(person))


# --- trust -------------------------------------------------------------------------------------------------

def trusted_ca_files() -> list[Path]:
    """The CA files company signatures are checked against (see the module docstring)."""
    config = current_app.config
    files = [Path(p) for p in config.get("COMPANY_SIGNING_CA_PATHS") or ()]
    if config.get("ENV_NAME") != "production" and config.get("TRUST_DEV_NATIONAL_CA"):
        files.append(dev_national_ca().certificate)
    return files


def trust_roots() -> list:
    """The trusted CA certificates (asn1crypto objects, as pyHanko wants them); unreadable files are
    logged and skipped, so a broken path refuses signatures rather than the whole page."""
    from pyhanko.keys import load_certs_from_pemder

    roots = []
    for path in trusted_ca_files():
        try:
            roots.extend(load_certs_from_pemder([str(path)]))
        except (OSError, ValueError) as error:
            current_app.logger.error("Company-signing CA file %s cannot be read: %s", path, error)
    return roots


# --- the development national CA ----------------------------------------------------------------------------

@dataclass(frozen=True)
class DevCA:
    certificate: Path
    key: Path


def dev_national_ca() -> DevCA:
    """The development national CA of this instance, made on first use (safe across processes)."""
    folder = Path(current_app.config["DEV_NATIONAL_CA_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    ca = DevCA(certificate=folder / "national-ca.pem", key=folder / "national-ca.key")
    with open(folder / ".national-ca.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if ca.certificate.exists() and ca.key.exists():
            return ca
        now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ICIC development national CA (not for production)"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Development National CA"),
        ])
        certificate = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        _write_private(ca.key, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
        _write_private(ca.certificate, certificate.public_bytes(serialization.Encoding.PEM))
    return ca


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def company_subject(tax_id: str, name: str | None = None) -> x509.Name:
    """A subject in the real layout of the tax id's country: 12 digits (BIN) → NCA RK, 9 digits (STIR) →
    E-IMZO. The signing person's IIN or PINFL is random."""
    if re.fullmatch(r"\d{12}", tax_id):
        person = "".join(secrets.choice("0123456789") for _ in range(12))
        return x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, "ДЕМО ПОДПИСАНТ"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{person}"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name or f"Demo company {tax_id}"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{tax_id}"),
        ])
    if re.fullmatch(r"\d{9}", tax_id):
        pinfl = "".join(secrets.choice("0123456789") for _ in range(14))
        return x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, "DEMO IMZOCHI"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "UZ"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name or f"Demo company {tax_id}"),
            x509.NameAttribute(NameOID.USER_ID, pinfl),
            x509.NameAttribute(UZ_ORGANISATION_INN, tax_id),
            x509.NameAttribute(UZ_PERSON_PINFL, pinfl),
        ])
    raise ValueError("a tax id is 12 digits (Kazakh BIN) or 9 digits (Uzbek STIR)")


def issue_demo_identity(tax_id: str, *, passphrase: str | None = None, name: str | None = None,
                        valid_days: int = 365, ca: DevCA | None = None,
                        not_before: dt.datetime | None = None) -> bytes:
    """A PKCS#12 company signing identity for ``tax_id`` issued by the development national CA.

    ``passphrase`` protects the file (none when not given). ``not_before`` and ``valid_days`` exist for
    tests of certificates outside their validity.
    """
    ca = ca or dev_national_ca()
    ca_key = serialization.load_pem_private_key(ca.key.read_bytes(), None)
    ca_certificate = x509.load_pem_x509_certificate(ca.certificate.read_bytes())
    return issue_identity(tax_id, ca_key, ca_certificate, passphrase=passphrase, name=name, valid_days=valid_days,
                          not_before=not_before)


def issue_identity(tax_id: str, ca_key, ca_certificate: x509.Certificate, *, passphrase: str | None = None,
                   name: str | None = None, valid_days: int = 365, not_before: dt.datetime | None = None,
                   subject: x509.Name | None = None) -> bytes:
    """A PKCS#12 signing identity for ``tax_id`` issued by ``ca_key``/``ca_certificate``."""
    start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = (
        x509.CertificateBuilder().subject_name(subject or company_subject(tax_id, name))
        .issuer_name(ca_certificate.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    protection = (serialization.BestAvailableEncryption(passphrase.encode()) if passphrase
                  else serialization.NoEncryption())
    return pkcs12.serialize_key_and_certificates(f"company {tax_id}".encode(), key, certificate,
                                                 [ca_certificate], protection)


def sign_with_identity(pdf: bytes, p12: bytes, passphrase: str | None = None, *,
                       field: str = "CompanySignature") -> bytes:
    """``pdf`` with a PAdES signature by the identity in ``p12`` appended as an incremental update, in the
    empty field the zone left for the company: what a company's signing tool does (the demo seed uses it)."""
    from io import BytesIO

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    from zone.certificates.signing import without_running_loop

    signer = signers.SimpleSigner.load_pkcs12_data(p12, (), passphrase=passphrase.encode() if passphrase else None)
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    metadata = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES)
    return without_running_loop(signers.sign_pdf, writer, metadata, signer=signer).getvalue()
