"""Company-side signing for the agreement tests: what a company's signing tool does to the zone's PDF."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers


def sign_as_company(pdf: bytes, p12: bytes, passphrase: str | None = None, *, field: str = "CompanySignature",
                    prepare=None) -> bytes:
    """``pdf`` with a PAdES signature by the identity in ``p12`` added as an incremental update.

    ``prepare(writer)`` may change the document in the same revision before it is signed (a company
    tool that also edits the content).
    """
    signer = signers.SimpleSigner.load_pkcs12_data(p12, (), passphrase=passphrase.encode() if passphrase else None)
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    if prepare is not None:
        prepare(writer)
    metadata = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES)
    # Through the zone's helper: a browser test's thread already runs an event loop (Playwright).
    from zone.certificates.signing import without_running_loop

    return without_running_loop(signers.sign_pdf, writer, metadata, signer=signer).getvalue()


def other_ca_identity(tax_id: str, **kwargs) -> bytes:
    """An identity carrying ``tax_id`` issued by a CA nobody trusts (made up here)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    from zone.esign.identities import issue_identity

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Untrusted CA")])
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now)
                   .not_valid_after(now + dt.timedelta(days=365))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                   .sign(key, hashes.SHA256()))
    return issue_identity(tax_id, key, certificate, **kwargs)
