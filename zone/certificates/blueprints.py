"""The certificates' two blueprints and the response helpers their view modules share.

Pages: :mod:`zone.certificates.routes` (companies and staff) and :mod:`zone.certificates.public`
(verification, register) on ``bp``. JSON: :mod:`zone.certificates.api` and
:mod:`zone.certificates.api_public` on ``api_bp``. Each view module imports its blueprint from here;
``create_app`` imports all four before it registers the blueprints.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_babel import gettext as _

from zone.audit.services import record
from zone.certificates.models import Certificate
from zone.errors import ZoneError
from zone.extensions import db

bp = Blueprint("certificates", __name__)
api_bp = Blueprint("certificates_api", __name__, url_prefix="/api/v1")


def pdf_response(certificate: Certificate) -> Response:
    """The stored original, byte for byte, as an attachment; audited unless the client already has it."""
    response = Response(certificate.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{certificate.serial}.pdf"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(certificate.sha256)
    response = response.make_conditional(request)
    if response.status_code == 200:
        record("certificate.download", certificate, details={"serial": certificate.serial})
        db.session.commit()
    return response


def bad_cursor() -> ZoneError:
    return ZoneError(_("The cursor is not valid; start again from the first page."), code="bad_cursor")
