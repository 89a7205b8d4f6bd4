"""Cooperation rows as the API's JSON and as words for the pages (labels, explanations)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zone.api.common import decimal_json, iso
from zone.cooperation import hs
from zone.cooperation.matching import Match
from zone.cooperation.models import ContactRequest, Need, Offer
from zone.cooperation.workflow import ACTION_LABELS, STATE_LABELS

LEVEL_LABELS = {6: _l("same subheading (6 digits)"), 4: _l("same heading (4 digits)"), 2: _l("same chapter (2 digits)")}
DIRECTION_LABELS = {"buy": _l("Supplier for your need"), "sell": _l("Buyer for your product")}


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def amount(value: Decimal | None) -> str:
    return "—" if value is None else format_decimal(value)


def offer_json(offer: Offer) -> dict:
    return {"id": offer.id, "hs_code": offer.hs_code, "name": offer.name, "capacity": decimal_json(offer.capacity),
            "unit": offer.unit, "side": offer.side, "source": offer.source, "active": offer.active,
            "updated_at": iso(offer.updated_at)}


def need_json(need: Need) -> dict:
    return {"id": need.id, "hs_code": need.hs_code, "description": need.description,
            "annual_volume": decimal_json(need.annual_volume), "unit": need.unit,
            "target_price": decimal_json(need.target_price), "price_currency": need.price_currency,
            "certificates_required": list(need.certificates_required or []), "side": need.side,
            "active": need.active, "created_at": iso(need.created_at), "updated_at": iso(need.updated_at)}


def explanation(match: Match) -> str:
    """Which codes matched and how the capacity compares with the volume, in a sentence."""
    codes = _("HS %(offer)s against %(need)s: %(level)s.", offer=match.offer_hs_code, need=match.need_hs_code,
              level=LEVEL_LABELS[match.level])
    if match.coverage is None:
        fit = _("Capacity %(capacity)s %(cunit)s a year, volume needed %(volume)s %(vunit)s a year (different "
                "units: not compared).", capacity=amount(match.capacity), cunit=match.offer_unit,
                volume=amount(match.annual_volume), vunit=match.need_unit)
    else:
        fit = _("Capacity %(capacity)s %(unit)s a year covers %(share)s of the %(volume)s %(unit)s needed.",
                capacity=amount(match.capacity), unit=match.need_unit,
                share=format_percent(min(match.coverage, 99.99), "#,##0%"), volume=amount(match.annual_volume))
    return f"{codes} {fit}"


def match_json(match: Match) -> dict:
    """A match as API.md has it (``company``, ``side``, ``offer``, ``need``, ``score``) and its explanation.
    The partner's need shows its code and volume only: its description, price and certificates stay private."""
    own_need = match.direction == "buy"
    need = {"id": match.need_id, "hs_code": match.need_hs_code, "annual_volume": decimal_json(match.annual_volume),
            "unit": match.need_unit}
    if own_need:
        need["description"] = match.need_description
    return {
        "direction": match.direction,
        "company": {"id": match.company_id, "name": match.company_name},
        "side": match.side,
        "offer": {"id": match.offer_id, "hs_code": match.offer_hs_code, "name": match.offer_name,
                  "capacity": decimal_json(match.capacity), "unit": match.offer_unit},
        "need": need,
        "score": match.score,
        "matched": {"digits": match.level, "code": match.matched_code,
                    "capacity_covers": None if match.coverage is None else round(match.coverage, 3)},
        "explanation": explanation(match),
    }


def request_json(request: ContactRequest, *, party: str | None) -> dict:
    return {
        "id": request.id, "state": request.state, "version": request.version, "party": party,
        "sender": {"id": request.sender_company_id, "name": request.sender.name, "side": request.sender_side},
        "recipient": {"id": request.recipient_company_id, "name": request.recipient.name,
                      "side": request.recipient_side},
        "need_id": request.need_id, "offer_id": request.offer_id, "hs_code": request.hs_code,
        "message": request.message, "response": request.response,
        "outcome": {"meeting_on": iso(request.meeting_on), "contract_on": iso(request.contract_on),
                    "annual_volume": decimal_json(request.contract_volume), "unit": request.contract_unit,
                    "annual_value_usd": decimal_json(request.contract_value_usd), "note": request.outcome_note},
        "created_at": iso(request.created_at), "answered_at": iso(request.answered_at),
        "closed_at": iso(request.closed_at),
    }


def hs_json(entry: hs.Entry, locale: str) -> dict:
    return {"code": entry.code, "name": hs.name(entry.code, locale), "name_en": entry.name_en,
            "chapter": entry.code[:2], "chapter_name": hs.chapter_name(entry.code, locale)}


STATE_LABELS_KEYS = tuple(state.value for state in STATE_LABELS)
