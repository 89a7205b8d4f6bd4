"""Cooperation endpoints of the JSON API (API.md "Cooperation and zone figures")."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from zone.accounts.roles import READER_ROLES, Role
from zone.api.common import json_body
from zone.cooperation import hs, matching, policies, presenters, queries, services
from zone.cooperation.models import Need, Offer
from zone.cooperation.values import whole
from zone.errors import NotFound, ValidationFailed
from zone.extensions import db
from zone.web.access import PUBLIC, allow

api_bp = Blueprint("cooperation_api", __name__, url_prefix="/api/v1/cooperation")

NEED_FIELDS = {"hs_code", "description", "annual_volume", "unit", "target_price", "price_currency",
               "certificates_required"}
OFFER_FIELDS = {"hs_code", "name", "capacity", "unit"}
OUTCOME_FIELDS = {"version", "response", "meeting_on", "contract_on", "annual_volume", "unit", "annual_value_usd",
                  "note"}


def _limit(default: int, top: int) -> int:
    raw = request.args.get("limit")
    if raw is None:
        return default
    if whole(raw) is None or not 1 <= int(raw) <= top:
        raise ValidationFailed(_("Some values are not valid."),
                               fields={"limit": [_("Must be a whole number from 1 to %(n)s.", n=top)]})
    return int(raw)


def _own(model, row_id: int):
    row = db.session.get(model, row_id)
    if row is None or not row.active or not policies.owns(current_user, row):
        raise NotFound(_("Not found."))
    return row


@api_bp.get("/hs")
@allow(PUBLIC)
def hs_search():
    """Search the HS 2022 nomenclature by code prefix or words: ``?q=``, ``?limit=`` (1–50)."""
    locale = str(get_locale() or "ru")
    entries = hs.search(request.args.get("q", ""), limit=_limit(20, 50))
    return jsonify({"edition": hs.EDITION, "items": [presenters.hs_json(e, locale) for e in entries]})


@api_bp.get("/needs")
@allow(Role.APPLICANT, *READER_ROLES)
def list_needs():
    """A company's own needs; staff and auditors: every company's (``?company_id=``)."""
    if policies.can_read_all(current_user):
        company = whole(request.args.get("company_id"))
        rows = queries.needs_of(company) if company else []
    else:
        rows = queries.needs_of(policies.company_of(current_user))
    return jsonify({"items": [presenters.need_json(n) for n in rows]})


@api_bp.post("/needs")
@allow(Role.APPLICANT)
def add_need():
    body = json_body(allowed=NEED_FIELDS)
    need = services.add_need(policies.company_of(current_user), body, current_user)
    db.session.commit()
    return jsonify(presenters.need_json(need)), 201


@api_bp.put("/needs/<int:need_id>")
@allow(Role.APPLICANT)
def update_need(need_id: int):
    need = _own(Need, need_id)
    body = json_body(allowed=NEED_FIELDS)
    services.update_need(need, body, current_user)
    db.session.commit()
    return jsonify(presenters.need_json(need))


@api_bp.delete("/needs/<int:need_id>")
@allow(Role.APPLICANT)
def remove_need(need_id: int):
    services.remove_need(_own(Need, need_id), current_user)
    db.session.commit()
    return "", 204


@api_bp.get("/offers")
@allow(Role.APPLICANT, *READER_ROLES)
def list_offers():
    """A company's own offers (its products); staff and auditors: every company's (``?company_id=``)."""
    if policies.can_read_all(current_user):
        company = whole(request.args.get("company_id"))
        rows = queries.offers_of(company) if company else []
    else:
        rows = queries.offers_of(policies.company_of(current_user))
    return jsonify({"items": [presenters.offer_json(o) for o in rows]})


@api_bp.post("/offers")
@allow(Role.APPLICANT)
def add_offer():
    body = json_body(allowed=OFFER_FIELDS)
    offer = services.add_offer(policies.company_of(current_user), body, current_user)
    db.session.commit()
    return jsonify(presenters.offer_json(offer)), 201


@api_bp.put("/offers/<int:offer_id>")
@allow(Role.APPLICANT)
def update_offer(offer_id: int):
    offer = _own(Offer, offer_id)
    body = json_body(allowed=OFFER_FIELDS)
    services.update_offer(offer, body, current_user)
    db.session.commit()
    return jsonify(presenters.offer_json(offer))


@api_bp.delete("/offers/<int:offer_id>")
@allow(Role.APPLICANT)
def remove_offer(offer_id: int):
    services.remove_offer(_own(Offer, offer_id), current_user)
    db.session.commit()
    return "", 204


@api_bp.get("/matches")
@allow(Role.APPLICANT)
def list_matches():
    """Partners of the other side for the company's needs and products, best first (``?direction=buy|sell``,
    ``?limit=`` 1–200). A company that is not a resident has none."""
    direction = request.args.get("direction") or None
    if direction not in (None, "buy", "sell"):
        raise ValidationFailed(_("Some values are not valid."), fields={"direction": [_("Not a valid value.")]})
    limit = _limit(50, matching.MAX_MATCHES)
    company = policies.company_of(current_user)
    found = matching.matches(company, limit=limit, direction=direction) if queries.resident_side(company) else []
    return jsonify({"items": [presenters.match_json(m) for m in found]})


@api_bp.get("/requests")
@allow(Role.APPLICANT, *READER_ROLES)
def list_requests():
    """The company's requests, sent and received; staff and auditors: every request (``?state=``)."""
    if policies.can_read_all(current_user):
        rows = queries.all_requests(state=request.args.get("state") or None, limit=_limit(100, 500))
    else:
        rows = queries.requests_of(policies.company_of(current_user))
    return jsonify({"items": [presenters.request_json(r, party=policies.party(current_user, r)) for r in rows]})


@api_bp.post("/requests")
@allow(Role.APPLICANT)
def send_request():
    body = json_body(allowed={"need_id", "offer_id", "message"}, types={"need_id": int, "offer_id": int,
                                                                       "message": str},
                     multiline={"message"})
    contact = services.send_request(policies.company_of(current_user), body, current_user)
    db.session.commit()
    return jsonify(presenters.request_json(contact, party="sender")), 201


def _visible(request_id: int):
    contact = queries.request(request_id)
    if contact is None or not policies.can_view_request(current_user, contact):
        raise NotFound(_("No such contact request."))
    return contact


@api_bp.get("/requests/<int:request_id>")
@allow(Role.APPLICANT, *READER_ROLES)
def get_request(request_id: int):
    contact = _visible(request_id)
    return jsonify(presenters.request_json(contact, party=policies.party(current_user, contact)))


@api_bp.post("/requests/<int:request_id>/<action>")
@allow(Role.APPLICANT)
def act_on_request(request_id: int, action: str):
    """``accept``, ``decline`` (the recipient), ``withdraw`` (the sender), ``record_meeting``,
    ``record_contract``, ``record_no_deal`` (either, once accepted); ``version`` guards against a stale page."""
    _visible(request_id)
    body = json_body(allowed=OUTCOME_FIELDS, types={"version": int}, multiline={"response", "note"})
    contact = services.request_for_update(request_id)
    party = policies.party(current_user, contact)
    services.apply_action(contact, action, party, current_user, body, version=body.get("version"))
    db.session.commit()
    return jsonify(presenters.request_json(contact, party=party))
