"""The zone-signed PDF letter of a compliance notice (a warning, an escalation, a cure), kept in the cabinet.

Rendered from plain values by the sandboxed document machinery of the certificates and signed with the
zone's key, as certificates and agreements are; the bytes stored are the original from then on.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from zone.certificates.document import SigningUnavailable, signing_paths
from zone.certificates.pdf import SandboxedDocument
from zone.certificates.verification import sha256_hex

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "compliance"
LETTER = SandboxedDocument(TEMPLATE_DIR, TEMPLATE_DIR / "letter_pdf.css")


def render_and_sign(context: dict) -> tuple[bytes, str]:
    """The signed PDF of the letter described by ``context`` and its SHA-256.

    ``context``: ``{"kind", "date", "serial", "company": {"name", "tax_id"}, "condition", "explanation_ru",
    "explanation_en", "cure_ru", "cure_en", "cure_due", "reference", "rule_set"}`` (plain strings).
    """
    from zone.certificates.signing import SigningError, sign_pdf

    pdf = LETTER.render(LETTER.html("letter_pdf.html", context))
    p12, passphrase, _ca = signing_paths()
    try:
        signed = sign_pdf(pdf, p12, passphrase, reason=f"Compliance notice on {context['serial']}")
    except SigningError as error:
        current_app.logger.error("Compliance letter on %s not signed: %s", context.get("serial"), error)
        raise SigningUnavailable("The compliance letter cannot be signed right now.") from error
    return signed, sha256_hex(signed)
