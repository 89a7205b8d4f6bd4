"""From an agreement revision to its zone-signed PDF: the plain-dict context, the bytes, the signature.

Runs once per revision, when it is made; the stored bytes are the original from then on. The signature
is the zone's, with the certificate's key (:mod:`zone.certificates.signing`); it certifies the document
with DocMDP "form filling" so that the company can add its signature in the empty field
:data:`COMPANY_FIELD` without breaking the zone's, and nothing else.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from zone.agreements.models import Agreement
from zone.certificates.document import (
    DEFAULT_SIGNATORY_TITLE_RU,
    SigningUnavailable,
    signing_paths,
    timestamp_authority,
)
from zone.certificates.verification import sha256_hex
from zone.esign.countersignature import COMPANY_FIELD


def pdf_context(agreement: Agreement, *, obligations: list[dict], signed_on: date,
                revision: dict | None = None) -> dict:
    """The renderer's context (see :mod:`zone.agreements.pdf`) for ``agreement`` with ``obligations``."""
    config = current_app.config
    application = agreement.application
    company = agreement.company
    return {
        "number": agreement.number,
        "side": agreement.side,
        "date": signed_on,
        "decided_on": agreement.decided_on,
        "countersign_due": agreement.countersign_due,
        "company": {"name": agreement.company_name, "tax_id": agreement.company_tax_id,
                    "address": company.address if company is not None else ""},
        "project": application.project_title if application is not None else "",
        "activity_codes": list(application.activity_codes or ()) if application is not None else [],
        "certificate": agreement.certificate.serial if agreement.certificate is not None else "",
        "application": application.number if application is not None else "",
        "signatory": {"name": config.get("SIGNATORY_NAME") or "",
                      "title_ru": config.get("SIGNATORY_TITLE_RU") or DEFAULT_SIGNATORY_TITLE_RU},
        "rule_set": agreement.rule_set_version,
        "obligations": obligations,
        "revision": revision,
    }


def render_and_sign(context: dict) -> tuple[bytes, str]:
    """Render the agreement described by ``context`` and sign it with the zone's key: (bytes, SHA-256).

    Raises SigningUnavailable (503) when the key cannot be used, so nothing is stored.
    """
    # WeasyPrint and pyHanko load only when an agreement is made, not with every app start.
    from zone.agreements.layers import render_agreement, stamp_values
    from zone.certificates.signing import SigningError, sign_pdf

    p12, passphrase, _ca = signing_paths()
    rendered = render_agreement(context)
    # A form shared by many agreements gets this one's values in the revision the zone signs.
    prepare = (lambda writer: stamp_values(writer, rendered.values)) if rendered.values is not None else None
    try:
        signed = sign_pdf(rendered.pdf, p12, passphrase,
                          reason=f"Activity agreement {context['number']} signed by the ICIC \"Central Asia\"",
                          permissions=_form_filling(), open_fields=(COMPANY_FIELD,), prepare=prepare,
                          timestamp=timestamp_authority())
    except SigningError as error:
        current_app.logger.error("Agreement %s not signed: %s", context.get("number"), error)
        raise SigningUnavailable(
            _l("The activity agreement cannot be signed right now, so the decision was not saved. "
               "Tell the system administrator (signing key unavailable).")
        ) from error
    return signed, sha256_hex(signed)


def _form_filling():
    from pyhanko.sign.fields import MDPPerm

    return MDPPerm.FILL_FORMS
