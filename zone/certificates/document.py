"""From a certificate row to its signed PDF: the plain-dict context, the signing identity, the bytes.

Runs once per certificate, at issuance; the stored bytes are the original from then on.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from zone.certificates.models import Certificate
from zone.certificates.qr import verify_url
from zone.certificates.verification import sha256_hex
from zone.errors import ZoneError

DEFAULT_SIGNATORY_TITLE_RU = "Директор Администрации МЦПК «Центральная Азия»"


class SigningUnavailable(ZoneError):
    """The zone's signing key cannot be used, so nothing is issued (the approval rolls back)."""

    status = 503
    code = "signing_unavailable"


def public_verify_url(certificate: Certificate) -> str:
    """The address the QR code and the emails point to."""
    return verify_url(current_app.config["BASE_URL"], certificate.verify_token)


def signing_paths() -> tuple[Path, str, Path]:
    """``(p12 path, passphrase, CA path)`` from the configuration.

    Outside production a missing identity is created as a development one (a throw-away CA),
    so ``make run`` and the tests can issue certificates without any setup.
    """
    config = current_app.config
    p12, ca = Path(config["SIGNING_P12_PATH"]), Path(config["SIGNING_CA_PATH"])
    if not p12.exists() and config.get("ENV_NAME") != "production":
        from zone.certificates.signing import create_dev_signing_identity

        identity = create_dev_signing_identity(p12.parent)
        p12, ca = identity.signer_p12, identity.ca_pem
    return p12, config.get("SIGNING_P12_PASSPHRASE") or "", ca


def timestamp_authority():
    """The :class:`~zone.certificates.signing.TimestampAuthority` from ``SIGNING_TSA_URL`` (its timeout and
    the CAs its chains lead to), or None when no TSA is configured and signatures carry no timestamp."""
    config = current_app.config
    url = (config.get("SIGNING_TSA_URL") or "").strip()
    if not url:
        return None
    from zone.certificates.signing import TimestampAuthority

    roots = [str(signing_paths()[2])]
    if config.get("SIGNING_TSA_CA_PATH"):
        roots.append(str(config["SIGNING_TSA_CA_PATH"]))
    return TimestampAuthority(url=url, timeout=float(config.get("SIGNING_TSA_TIMEOUT") or 10), trust_roots=tuple(roots))


def ca_path() -> Path:
    """The CA certificate uploads are checked against."""
    return signing_paths()[2]


def pdf_context(certificate: Certificate) -> dict:
    """The renderer's plain-dict context (see ``zone.certificates.pdf``): strings, dates, lists."""
    config = current_app.config
    company = certificate.company
    return {
        "serial": certificate.serial,
        "side": certificate.side,
        "company": {
            "name": certificate.company_name,
            "tax_id": certificate.company_tax_id,
            "address": company.address if company is not None else "",
        },
        "activity_codes": list(certificate.activity_codes or ()),
        "issued_at": certificate.valid_from,
        "valid_from": certificate.valid_from,
        "valid_until": certificate.valid_until,
        "benefits": [
            {
                "code": benefit["code"],
                "title_ru": (benefit.get("name") or {}).get("ru"),
                "title_en": (benefit.get("name") or {}).get("en"),
                "periods": benefit.get("periods") or [],
            }
            for benefit in certificate.benefits
        ],
        "signatory": {
            "name": config.get("SIGNATORY_NAME") or "",
            "title_ru": config.get("SIGNATORY_TITLE_RU") or DEFAULT_SIGNATORY_TITLE_RU,
            "title_en": config.get("SIGNATORY_TITLE") or "",
        },
        "verify_url": public_verify_url(certificate),
    }


def render_and_sign(certificate: Certificate) -> None:
    """Render the certificate, sign it with the zone's key and store bytes, SHA-256 and size."""
    # WeasyPrint and pyHanko load only when a certificate is issued, not with every app start.
    from zone.certificates.pdf import render_certificate_pdf
    from zone.certificates.signing import SigningError, sign_pdf

    p12, passphrase, _ca = signing_paths()
    try:
        signed = sign_pdf(render_certificate_pdf(pdf_context(certificate)), p12, passphrase,
                          timestamp=timestamp_authority())
    except SigningError as error:
        current_app.logger.error("Certificate %s not issued: %s", certificate.serial, error)
        raise SigningUnavailable(
            _l(
                "The certificate cannot be signed right now, so the decision was not saved. "
                "Tell the system administrator (signing key unavailable)."
            )
        ) from error
    certificate.pdf = signed
    certificate.sha256 = sha256_hex(signed)
    certificate.size = len(signed)
