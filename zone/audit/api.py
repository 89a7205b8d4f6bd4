"""Audit endpoints of the JSON API (auditor, admin): the events, chain verification and anchors."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from zone.api.common import decode_cursor, encode_cursor, page_limit
from zone.audit import anchors, publication, queries
from zone.audit.policies import TRAIL_READERS
from zone.database import writes
from zone.errors import ValidationFailed, ZoneError
from zone.extensions import db
from zone.web.access import allow

api_bp = Blueprint("audit_api", __name__, url_prefix="/api/v1")


class SigningUnavailable(ZoneError):
    status = 503
    code = "signing_unavailable"


def _filter() -> queries.EventFilter:
    args = request.args
    return queries.EventFilter(
        action=args.get("action") or None,
        actor=args.get("actor") or None,
        object_type=args.get("object_type") or None,
        object_id=args.get("object_id") or None,
        since=queries.parse_moment(args.get("since"), "since"),
        until=queries.parse_moment(args.get("until"), "until"),
    )


@api_bp.get("/audit/events")
@allow(*TRAIL_READERS)
def events():
    """Events newest first (``?order=asc`` oldest first), filtered; keyset pages by sequence number."""
    order = request.args.get("order", "desc")
    if order not in ("asc", "desc"):
        raise ValidationFailed(_("Some values are not valid."), fields={"order": [_("Use asc or desc.")]})
    limit = page_limit()
    cursor = decode_cursor(request.args.get("cursor"), 2)
    after = None
    if cursor is not None:
        if not isinstance(cursor[0], int) or cursor[1] != order:
            raise ZoneError(_("The cursor is not valid; start again from the first page."), code="bad_cursor")
        after = cursor[0]
    rows, next_seq = queries.events_page(_filter(), after=after, limit=limit, newest_first=order == "desc")
    return jsonify({"items": [queries.event_json(e) for e in rows],
                    "next_cursor": encode_cursor([next_seq, order]) if next_seq is not None else None})


def _anchor_from_request() -> bytes | dict | None:
    upload = request.files.get("anchor")
    if upload is not None:
        return upload.read(anchors.MAX_ANCHOR_BYTES + 1)
    if request.is_json:
        body = request.get_json(silent=True)
        if isinstance(body, dict):
            return body.get("anchor", body)
        raise ZoneError(_("Send the anchor as JSON or as the multipart file \"anchor\"."), code="malformed_json")
    raise ValidationFailed(_("Send the anchor as JSON or as the multipart file \"anchor\"."),
                           fields={"anchor": [_("This field is required.")]})


def _result(report, anchor) -> dict:
    body = report.to_dict()
    if anchor is not None:
        body["anchor"] = anchor.to_dict()
        body["ok"] = report.ok and anchor.ok
    return body


@api_bp.get("/audit/verify")
@allow(*TRAIL_READERS)
@writes
def verify():
    """``{"ok", "length", "head_hash", "first_bad_seq", ...}`` for the whole chain."""
    report, anchor = publication.checked_and_recorded()
    db.session.commit()
    return jsonify(_result(report, anchor))


@api_bp.post("/audit/verify")
@allow(*TRAIL_READERS)
def verify_with_anchor():
    """As GET, plus the check of a kept anchor (JSON body, or multipart file ``anchor``)."""
    raw = _anchor_from_request()
    report, anchor = publication.checked_and_recorded(raw)
    db.session.commit()
    return jsonify(_result(report, anchor))


@api_bp.get("/audit/anchor")
@allow(*TRAIL_READERS)
@writes
def anchor():
    """The current chain head signed with the zone's key."""
    try:
        signed = anchors.issued_and_recorded()
    except anchors.AnchorError as error:
        db.session.rollback()
        raise SigningUnavailable(_("No anchor can be signed: the zone's signing key is not configured."),
                                 details={"reason": str(error)}) from None
    db.session.commit()
    return jsonify(signed)
