"""Certificate endpoints of the JSON API (API.md "Certificates"); the public ones are in
:mod:`zone.certificates.api_public`; both on the blueprint of :mod:`zone.certificates.blueprints`.
The exports (CSV, XLSX, ZIP archive) belong to the register domain (``zone.registers``)."""

from __future__ import annotations

from datetime import date

from flask import jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from zone.accounts.roles import READER_ROLES, Role
from zone.api.common import ListOf, decode_cursor, encode_cursor, json_body, page_limit, require_fields
from zone.calendar import today as zone_today
from zone.certificates import policies, presenters, queries, services
from zone.certificates import reissue as reissue_flow
from zone.certificates.blueprints import api_bp, bad_cursor, pdf_response
from zone.certificates.models import Certificate
from zone.certificates.workflow import Action
from zone.database import writes
from zone.errors import NotFound, ValidationFailed
from zone.extensions import db
from zone.web.access import AUTHENTICATED, allow

STATUS_ACTIONS = {
    Action.SUSPEND: services.suspend,
    Action.REINSTATE: services.reinstate,
    Action.REVOKE: services.revoke,
}


def _filter():
    f, errors = queries.filter_from_args(request.args)
    if errors:
        raise ValidationFailed(
            _("Some values are not valid."), fields={name: [_("Not a valid value.")] for name in errors}
        )
    return f


def _visible(serial: str) -> Certificate:
    certificate = queries.by_serial(serial)
    if certificate is None or not policies.can_view(current_user, certificate):
        raise NotFound(_("No such certificate."))
    return certificate


def _with_links(stmt):
    return stmt.options(selectinload(Certificate.supersedes), selectinload(Certificate.superseded_by))


@api_bp.get("/certificates")
@allow(*READER_ROLES)
def list_certificates():
    limit = page_limit()
    cursor = decode_cursor(request.args.get("cursor"), 1)
    if cursor and not (isinstance(cursor[0], int) and not isinstance(cursor[0], bool)):
        raise bad_cursor()
    stmt = _with_links(queries.filtered(_filter(), zone_today()))
    rows, last_id = queries.page(stmt, limit, cursor[0] if cursor else None)
    today = zone_today()
    return jsonify(
        {
            "items": [presenters.certificate_json(c, today) for c in rows],
            "next_cursor": encode_cursor([last_id]) if last_id else None,
        }
    )


@api_bp.get("/certificates/<serial>")
@allow(AUTHENTICATED)
def get_certificate(serial: str):
    certificate = _visible(serial)
    body = presenters.certificate_json(certificate, zone_today())
    if policies.can_list_all(current_user):  # a pending reissue is the zone's internal business
        pending = reissue_flow.pending_proposal(certificate)
        body["reissue_proposal"] = presenters.proposal_json(pending) if pending is not None else None
    return jsonify(body)


@api_bp.get("/certificates/<serial>/history")
@allow(AUTHENTICATED)
def certificate_history(serial: str):
    certificate = _visible(serial)
    return jsonify({"items": [presenters.event_json(e, current_user) for e in queries.history(certificate)]})


@api_bp.get("/certificates/<serial>/pdf")
@allow(AUTHENTICATED)
@writes
def certificate_pdf(serial: str):
    return pdf_response(_visible(serial))


def _effective_date(body: dict) -> date | None:
    raw = body.get("effective_date")
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ValidationFailed(
            _("Some values are not valid."), fields={"effective_date": [_("Enter a date as YYYY-MM-DD.")]}
        ) from None


def _change_status(serial: str, action: Action):
    body = json_body(allowed={"reason", "effective_date"}, types={"reason": str, "effective_date": str})
    certificate = queries.certificate_for_update(serial)
    if certificate is None:
        raise NotFound(_("No such certificate."))
    STATUS_ACTIONS[action](certificate, current_user, reason=body.get("reason"), effective_date=_effective_date(body))
    db.session.commit()
    return jsonify(presenters.certificate_json(certificate, zone_today()))


@api_bp.post("/certificates/<serial>/suspend")
@allow(Role.ADMIN, Role.APPROVER)
def suspend(serial: str):
    return _change_status(serial, Action.SUSPEND)


@api_bp.post("/certificates/<serial>/reinstate")
@allow(Role.ADMIN, Role.APPROVER)
def reinstate(serial: str):
    return _change_status(serial, Action.REINSTATE)


@api_bp.post("/certificates/<serial>/revoke")
@allow(Role.ADMIN, Role.APPROVER)
def revoke(serial: str):
    return _change_status(serial, Action.REVOKE)


PROPOSE_FIELDS = {"reason", "basis", "benefits"}
DECIDE_FIELDS = {"proposal", "decision", "reason"}
REISSUE_TYPES = {"reason": str, "basis": str, "proposal": int, "decision": str,
                 "benefits": ListOf(str, dict, label=_l("a list of benefit codes or objects"))}


@api_bp.post("/certificates/<serial>/reissue")
@allow(Role.ADMIN, Role.APPROVER)
def reissue(serial: str):
    """Propose a reissue (202, nothing signed), or, naming a ``proposal``, confirm it as a second person
    (201, the new certificate) or decline it (200). See :mod:`zone.certificates.reissue`."""
    body = json_body(allowed=PROPOSE_FIELDS | DECIDE_FIELDS, types=REISSUE_TYPES)
    deciding = "proposal" in body
    stray = sorted(set(body) - (DECIDE_FIELDS if deciding else PROPOSE_FIELDS))
    if stray:
        raise ValidationFailed(_("Either propose a reissue or decide a proposal, not both."),
                               fields={name: [_("Not used with this request.")] for name in stray})
    require_fields(body, {"proposal": int, "decision": str} if deciding else {"reason": str})
    certificate = queries.certificate_for_update(serial)
    if certificate is None:
        raise NotFound(_("No such certificate."))
    if not deciding:
        proposal = reissue_flow.propose(certificate, current_user, reason=body["reason"], basis=body.get("basis"),
                                        benefits=body.get("benefits"))
        db.session.commit()
        return jsonify({"proposal": presenters.proposal_json(proposal)}), 202
    proposal, replacement = reissue_flow.decide(certificate, current_user, proposal_id=body["proposal"],
                                                decision=body["decision"], reason=body.get("reason"))
    db.session.commit()
    if replacement is None:
        return jsonify({"proposal": presenters.proposal_json(proposal)})
    return jsonify({**presenters.certificate_json(replacement, zone_today()),
                    "proposal": presenters.proposal_json(proposal)}), 201

