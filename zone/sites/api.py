"""Sites in the JSON API: the public list (API.md "Sites") and the administrators' inventory."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from zone.accounts.roles import Role
from zone.api.common import json_body, require_fields
from zone.errors import NotFound, ValidationFailed
from zone.extensions import db
from zone.sites import presenters, queries, services
from zone.sites.models import SiteStatus
from zone.vocabulary import SIDES
from zone.web.access import PUBLIC, allow

api_bp = Blueprint("sites_api", __name__, url_prefix="/api/v1")
SITE_FIELDS = {"code": str, "side": str, "kind": str, "name": str, "area_m2": (str, int, float),
               "power_kw": (str, int, float), "water_m3_day": (str, int, float), "gas_m3_h": (str, int, float),
               "rent_per_m2_year": (str, int, float), "currency": str, "status": str, "outline": (list, str),
               "version": int}


def _filters() -> tuple[str | None, str | None]:
    side, status = request.args.get("side") or None, request.args.get("status") or None
    errors = {}
    if side is not None and side not in SIDES:
        errors["side"] = [_("Unknown side: KZ or UZ.")]
    if status is not None and status not in {s.value for s in SiteStatus}:
        errors["status"] = [_("Unknown status: free, reserved or leased.")]
    if errors:
        raise ValidationFailed(_("Some filters are not valid."), fields=errors)
    return side, status


def _typed(body: dict) -> dict:
    wrong = {name: [_("Wrong type.")] for name, kinds in SITE_FIELDS.items()
             if body.get(name) is not None and (not isinstance(body[name], kinds) or isinstance(body[name], bool))}
    if wrong:
        raise ValidationFailed(_("Some values are missing or of the wrong type."), fields=wrong)
    return body


@api_bp.get("/sites")
@allow(PUBLIC)
def index():
    side, status = _filters()
    return jsonify({"items": [presenters.site_json(s) for s in queries.listed(side, status)]})


@api_bp.get("/sites/<site_code>")
@allow(PUBLIC)
def show(site_code: str):
    site = queries.by_code(site_code)
    if site is None:
        raise NotFound(_("There is no such site."))
    if current_user.is_authenticated and current_user.role == Role.ADMIN:
        return jsonify(presenters.admin_site_json(site))
    return jsonify(presenters.site_json(site))


@api_bp.post("/sites")
@allow(Role.ADMIN)
def create():
    body = _typed(json_body(allowed=set(SITE_FIELDS)))
    require_fields(body, {"code": str})
    site = services.create_site(body, current_user)
    db.session.commit()
    return jsonify(presenters.admin_site_json(site)), 201


@api_bp.patch("/sites/<site_code>")
@allow(Role.ADMIN)
def update(site_code: str):
    body = _typed(json_body(allowed=set(SITE_FIELDS) - {"code"}))
    require_fields(body, {"version": int})
    site = queries.for_update(site_code)
    if site is None:
        raise NotFound(_("There is no such site."))
    merged = {**presenters.admin_site_json(site), **body}
    services.update_site(site, merged, current_user, version=body["version"])
    db.session.commit()
    return jsonify(presenters.admin_site_json(site))
