"""Account endpoints of the JSON API: register a company, issue and revoke tokens."""

from __future__ import annotations

from flask import Blueprint, g, jsonify
from flask_babel import gettext as _
from flask_login import current_user

from zone.accounts import services
from zone.accounts.throttle import registration_throttled, sign_in_throttled
from zone.api.common import company_json, iso, json_body, require_fields, user_json
from zone.companies import registration
from zone.errors import Unauthorized
from zone.extensions import db
from zone.web.access import OWN_ACCOUNT, PUBLIC, allow

api_bp = Blueprint("accounts_api", __name__, url_prefix="/api/v1")


@api_bp.post("/register")
@allow(PUBLIC)
@registration_throttled
def register():
    body = json_body(allowed={"email", "password", "company", "full_name"})
    require_fields(body, {"email": str, "password": str, "company": dict})
    company = body["company"]
    require_fields(company, {"name": str, "tax_id": str, "registration_country": str}, prefix="company.")
    user = registration.register_company(
        email=body["email"], password=body["password"], company_name=company["name"],
        tax_id=company["tax_id"], country=company["registration_country"],
        full_name=body.get("full_name") if isinstance(body.get("full_name"), str) else None)
    db.session.commit()
    return jsonify({"user": user_json(user), "company": company_json(user.company)}), 201


@api_bp.post("/tokens")
@allow(PUBLIC)
@sign_in_throttled
def create_token():
    body = json_body(allowed={"email", "password"})
    require_fields(body, {"email": str, "password": str})
    user = services.authenticate(body["email"], body["password"])
    if user is None:
        db.session.commit()  # keep the audit of the failed attempt
        raise Unauthorized(_("The email or password is not right, or the account is disabled."),
                           code="invalid_credentials")
    token, row = services.issue_api_token(user)
    db.session.commit()
    return jsonify({"token": token, "expires_at": iso(row.expires_at), "user": user_json(user)}), 201


@api_bp.delete("/tokens/current")
@allow(OWN_ACCOUNT)
def revoke_token():
    services.revoke_api_token(g.api_token, current_user)
    db.session.commit()
    return "", 204
