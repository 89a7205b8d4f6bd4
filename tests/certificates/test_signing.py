"""PAdES signing with the dev identity, and validation that notices any change."""

from __future__ import annotations

import asyncio

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12

from tests.certificates.helpers import kz_context
from zone.certificates.pdf import render_certificate_pdf
from zone.certificates.signing import (
    SigningError,
    create_dev_signing_identity,
    sign_pdf,
    validate_signature,
)
from zone.certificates.verification import sha256_hex


def test_dev_identity_is_a_signing_certificate_issued_by_the_dev_ca(dev_identity):
    ca = x509.load_pem_x509_certificate(dev_identity.ca_pem.read_bytes())
    key, cert, extra = pkcs12.load_key_and_certificates(
        dev_identity.signer_p12.read_bytes(), dev_identity.passphrase.encode() or None
    )
    assert key is not None and cert.issuer == ca.subject and ca.issuer == ca.subject
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert [c.subject for c in extra] == [ca.subject]
    assert dev_identity.signer_p12.stat().st_mode & 0o077 == 0


def test_dev_identity_creation_is_idempotent(tmp_path):
    first = create_dev_signing_identity(tmp_path)
    before = (first.ca_pem.read_bytes(), first.signer_p12.read_bytes())
    second = create_dev_signing_identity(tmp_path)
    assert second == first
    assert (second.ca_pem.read_bytes(), second.signer_p12.read_bytes()) == before


def test_signed_certificate_validates_against_the_dev_ca(signed_pdf, dev_identity):
    check = validate_signature(signed_pdf, dev_identity.ca_pem)
    assert check.ok
    assert (check.signed, check.intact, check.valid, check.trusted, check.covers_whole_file) == (True,) * 5
    assert "ICIC Certificate Signing" in check.signer


def _signed_ranges(pdf: bytes) -> list[int]:
    """Offsets inside the signed byte ranges: the start, the middle and the end of the file."""
    contents = pdf.index(b"/Contents <") + len(b"/Contents <")
    return [0, 9, len(pdf) // 3, contents - 20, len(pdf) - 5]


@pytest.mark.parametrize("where", range(5))
def test_changing_any_signed_byte_breaks_validation(signed_pdf, dev_identity, where):
    offset = _signed_ranges(signed_pdf)[where]
    tampered = bytearray(signed_pdf)
    tampered[offset] = (tampered[offset] + 1) % 256
    assert not validate_signature(bytes(tampered), dev_identity.ca_pem).ok


def test_appending_an_update_is_noticed(signed_pdf, dev_identity):
    check = validate_signature(signed_pdf + b"\n% appended\n", dev_identity.ca_pem)
    assert not check.ok


def test_a_foreign_ca_is_not_trusted(signed_pdf, tmp_path):
    other = create_dev_signing_identity(tmp_path / "other")
    check = validate_signature(signed_pdf, other.ca_pem)
    assert check.intact and not check.trusted and not check.ok


def test_unsigned_and_garbage_uploads_are_reported_not_raised(kz_pdf, dev_identity):
    assert validate_signature(kz_pdf, dev_identity.ca_pem).signed is False
    garbage = validate_signature(b"%PDF-1.7\nnot really", dev_identity.ca_pem)
    assert not garbage.signed and garbage.error


def test_wrong_passphrase_or_missing_file_is_a_signing_error(kz_pdf, dev_identity, tmp_path):
    with pytest.raises(SigningError):
        sign_pdf(kz_pdf, dev_identity.signer_p12, "wrong")
    with pytest.raises(SigningError):
        sign_pdf(kz_pdf, tmp_path / "missing.p12", "")


def test_the_limited_check_of_an_upload_reads_the_signature_as_in_process(signed_pdf, dev_identity):
    from zone.pdfcheck import Limits, check_signature

    assert len(sha256_hex(signed_pdf)) == 64
    check = check_signature(signed_pdf, dev_identity.ca_pem, limits=Limits())
    assert check.ok and check == validate_signature(signed_pdf, dev_identity.ca_pem)


def test_every_issuance_is_signed_afresh(dev_identity):
    pdf = render_certificate_pdf(kz_context(serial="ICIC-KZ-2026-000043"))
    signed = sign_pdf(pdf, dev_identity.signer_p12, dev_identity.passphrase)
    assert signed.startswith(pdf)  # an incremental update: the rendered bytes stay intact
    assert validate_signature(signed, dev_identity.ca_pem).ok
def test_signing_inside_a_running_loop(kz_pdf, dev_identity):
    from zone.certificates.signing import sign_pdf, validate_signature
    async def main():
        signed = sign_pdf(kz_pdf, dev_identity.signer_p12, dev_identity.passphrase)
        return validate_signature(signed, dev_identity.ca_pem)
    check = asyncio.run(main())
    assert check.valid and check.intact
