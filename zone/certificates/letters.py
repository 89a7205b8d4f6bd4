"""Zone-signed letters: a bilingual PDF rendered like the certificate and signed with the zone's key.

Compliance notices and notices to authorities are letters of this kind. Each domain keeps its own
template (what the letter says); the stylesheet (how a letter of the zone looks) and the signing are here.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from zone.certificates.document import SigningUnavailable, signing_paths, timestamp_authority
from zone.certificates.pdf import SandboxedDocument
from zone.certificates.verification import sha256_hex

STYLESHEET_PATH = Path(__file__).resolve().parents[2] / "templates" / "letters" / "letter_pdf.css"


class ZoneLetter:
    """A kind of letter: ``letter_pdf.html`` in ``template_dir``, laid out with the letters' stylesheet."""

    def __init__(self, template_dir: Path) -> None:
        self.document = SandboxedDocument(template_dir, STYLESHEET_PATH)

    def render_and_sign(self, context: dict, *, reason: str) -> tuple[bytes, str]:
        """The signed PDF of the letter for ``context`` (plain values) and its SHA-256; ``reason`` goes into
        the signature. Raises :class:`SigningUnavailable` when the zone's key cannot sign now."""
        from zone.certificates.signing import SigningError, sign_pdf

        pdf = self.document.render(self.document.html("letter_pdf.html", context))
        p12, passphrase, _ca = signing_paths()
        try:
            signed = sign_pdf(pdf, p12, passphrase, reason=reason, timestamp=timestamp_authority())
        except SigningError as error:
            current_app.logger.error("Letter not signed (%s): %s", reason, error)
            raise SigningUnavailable("The letter cannot be signed right now.") from error
        return signed, sha256_hex(signed)
