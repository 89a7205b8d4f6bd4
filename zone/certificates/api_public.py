"""Public JSON endpoints (no token, rate limited): the twins of the verification pages (by token, by
serial and tax id, by uploaded file) and the register.

``GET /api/v1/verify?serial=&tax_id=`` answers the same 404 whether the serial is unknown or the tax
id does not match.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from zone.api.common import decode_cursor, encode_cursor, page_limit
from zone.calendar import today as zone_today
from zone.certificates import presenters, queries, verdicts
from zone.certificates.blueprints import api_bp, bad_cursor
from zone.certificates.models import Certificate
from zone.certificates.public import public_limit
from zone.certificates.verification import max_upload_bytes
from zone.errors import NotFound, TooLarge, ValidationFailed
from zone.extensions import db
from zone.web.access import PUBLIC, allow


def _not_found() -> NotFound:
    return NotFound(_("No certificate matches."))


@api_bp.get("/verify/<token>")
@allow(PUBLIC)
@public_limit
def verify_token(token: str):
    certificate = queries.by_token(token)
    if certificate is None:
        raise _not_found()
    return jsonify(presenters.public_view(certificate, zone_today()))


@api_bp.get("/verify")
@allow(PUBLIC)
@public_limit
def verify_serial():
    serial, tax_id = request.args.get("serial", ""), request.args.get("tax_id", "")
    certificate = queries.by_serial_and_tax_id(serial, tax_id)
    if certificate is None:
        raise _not_found()
    return jsonify(presenters.public_view(certificate, zone_today()))


@api_bp.post("/verify/upload")
@allow(PUBLIC)
@public_limit
def verify_upload():
    """The twin of the upload page: is this file an unaltered original issued here? (multipart ``file``)"""
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(_("Send the certificate file as the multipart field \"file\"."),
                               fields={"file": [_("This field is required.")]})
    examination = verdicts.examine(upload.stream)
    if examination.too_large:
        raise TooLarge(_("The file is larger than %(kb)s KB; no certificate issued here is that large, so it is not "
                         "one of ours.", kb=max_upload_bytes() // 1024))
    certificate = examination.certificate
    return jsonify({
        "verdict": examination.verdict.value,
        "message": examination.headline,
        "sha256": examination.upload.sha256,
        "size": examination.upload.size,
        "signature": _signature_json(examination),
        "certificate": presenters.public_view(certificate, zone_today()) if certificate is not None else None,
    })


def _signature_json(examination) -> dict | None:
    """What the file's signature says. An original is known by its fingerprint without being parsed: its
    bytes are the stored file the zone signed at issuance. None when a file could not be read at all."""
    if examination.certificate is not None:
        return dict.fromkeys(("signed", "intact", "valid", "trusted", "covers_whole_file"), True)
    signature = examination.upload.signature
    if signature is None:
        return None
    return {"signed": signature.signed, "intact": signature.intact, "valid": signature.valid,
            "trusted": signature.trusted, "covers_whole_file": signature.covers_whole_file}


@api_bp.get("/register")
@allow(PUBLIC)
@public_limit
def public_register():
    """Residents with an active certificate, by company name; keyset pages of ``limit``."""
    today = zone_today()
    limit = page_limit()
    cursor = decode_cursor(request.args.get("cursor"), 2)
    stmt = queries.register(queries.register_filter_from_args(request.args), today)
    if cursor:
        name, last_id = cursor
        if not isinstance(name, str) or not isinstance(last_id, int) or isinstance(last_id, bool):
            raise bad_cursor()
        stmt = stmt.where(
            (Certificate.company_name > name) | ((Certificate.company_name == name) & (Certificate.id > last_id))
        )
    rows = list(db.session.scalars(stmt.limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    return jsonify(
        {
            "items": [presenters.public_view(c, today) for c in rows],
            "next_cursor": encode_cursor([rows[-1].company_name, rows[-1].id]) if more else None,
        }
    )
