"""Eligibility endpoints of the JSON API (public): the benefits check and the rule sets."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import get_locale

from zone.api.common import json_body
from zone.web.access import PUBLIC, allow

from . import admin, oked, services
from .facts import FACT_TYPES
from .serialize import rule_set_json

api_bp = Blueprint("eligibility_api", __name__, url_prefix="/api/v1")


def _locale() -> str:
    return str(get_locale() or "ru")


@api_bp.post("/eligibility/check")
@allow(PUBLIC)
def check():
    """Evaluate the facts in the body (plus optional ``on_date``) under the rules in force."""
    body = json_body(allowed=set(FACT_TYPES) | {"on_date"})
    on_date = services.parse_on_date(body.pop("on_date", None))
    evaluation = services.check_facts(body, on_date)
    return jsonify(evaluation.to_dict(_locale()))


@api_bp.get("/rule-sets")
@allow(PUBLIC)
def rule_sets():
    """Published rule sets (shipped and active), newest effective date first."""
    items = [entry.to_dict() for entry in admin.rule_set_entries(include_unpublished=False)]
    return jsonify({"items": items, "next_cursor": None})


@api_bp.get("/rule-sets/<version>")
@allow(PUBLIC)
def rule_set(version: str):
    """One published rule set: parameters with dated values and references, criteria, benefits."""
    entry = admin.get_entry(version, include_unpublished=False)
    return jsonify({**entry.to_dict(), **rule_set_json(entry.rule_set, _locale())})


@api_bp.get("/oked")
@allow(PUBLIC)
def oked_search():
    """OKED catalogue search for the application form: ``?q=`` code prefix or words."""
    locale = _locale()
    items = [entry.to_dict(locale) for entry in oked.search(request.args.get("q", ""), locale)]
    return jsonify({"items": items, "next_cursor": None})
