"""Review endpoints of the JSON API: staff actions and the history of an application."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from zone.accounts.models import User
from zone.accounts.roles import READER_ROLES, Role
from zone.api.common import (
    ListOf,
    actor_name,
    decode_cursor,
    encode_cursor,
    iso,
    json_body,
    page_limit,
    require_fields,
)
from zone.applications.api import application_json as base_application_json
from zone.applications.models import Application, ApplicationEvent
from zone.calendar import today
from zone.certificates.presenters import certificate_json as full_certificate_json
from zone.errors import NotFound, ValidationFailed, ZoneError
from zone.extensions import db
from zone.review import services
from zone.review.decision import ground_label
from zone.sites.presenters import lease_json
from zone.web.access import AUTHENTICATED, allow

api_bp = Blueprint("review_api", __name__, url_prefix="/api/v1")

# Each field's JSON type; the services check the values.
ACTION_FIELDS = {"action": str, "comment": str, "version": int,
                 "benefits": ListOf(str, dict, label=_l("a list of benefit codes or objects")),
                 "grounds": ListOf(str, single=True, label=_l("a ground's code or a list of codes")),
                 "deadline": str, "site": str}
REJECTING_ACTIONS = {"recommend_rejection", "reject"}
DEFAULT_GROUND = "OTHER"
MAX_VERSION = 2**31 - 1
# What a company may see of a history entry's details.
COMPANY_DETAILS = ("deadline", "grounds", "granted_benefits", "number", "site", "site_search")


def _user_ref(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"id": user.id, "name": user.display_name, "role": user.role}


def application_json(application: Application) -> dict:
    """The application as the applications API shows it, plus its review state."""
    data = base_application_json(application, full=False)
    data.update({
        "assignee": _user_ref(application.assignee),
        "recommendation": application.recommendation,
        "recommended_by": _user_ref(application.recommended_by),
        "decided_at": iso(application.decided_at),
        "decided_by": _user_ref(application.decided_by),
        "granted_benefits": application.granted_benefits,
        "rejection_grounds": [{"code": g, "label": ground_label(g)} for g in application.rejection_grounds or []],
        "decision_comment": application.decision_comment,
    })
    return data


def certificate_json(certificate) -> dict | None:
    if certificate is None:
        return None
    return full_certificate_json(certificate, today())


def event_json(event: ApplicationEvent, *, staff: bool) -> dict:
    """One history entry. The company sees staff only as "ICIC administration" (:func:`actor_name`, as every
    page does), and no internal details."""
    actor = event.actor
    details = event.details or {}
    data = {
        "id": event.id,
        "at": iso(event.at),
        "kind": event.kind,
        "action": event.action,
        "from": event.from_status,
        "to": event.to_status,
        "comment": event.comment,
        "version": event.version,
        "actor": actor_name(actor, current_user),
        "actor_role": actor.role if actor else None,
        "details": details if staff else {k: details[k] for k in COMPANY_DETAILS if k in details},
    }
    if staff:
        data["actor_id"] = actor.id if actor else None
        data["visible_to_company"] = event.visible_to_company
    return data


def _version(body: dict) -> int:
    version = body["version"]
    if not 1 <= version <= MAX_VERSION:
        raise ValidationFailed(_("Some values are not valid."),
                               fields={"version": [_("Must be the application's current version.")]})
    return version


@api_bp.post("/applications/<int:application_id>/actions")
@allow(Role.REVIEWER, Role.APPROVER, Role.ADMIN)
def act(application_id: int):
    body = json_body(allowed=set(ACTION_FIELDS), types=ACTION_FIELDS)
    require_fields(body, {"action": str, "version": int})
    version = _version(body)
    if body.get("deadline") is not None:
        try:
            date.fromisoformat(body["deadline"])
        except ValueError:
            raise ValidationFailed(_("Some values are not valid."),
                                   fields={"deadline": [_("Enter a date (YYYY-MM-DD).")]}) from None
    grounds = body.get("grounds")
    if "grounds" not in body and body["action"] in REJECTING_ACTIONS:
        # API.md's body names no grounds: a rejection without them is on "other reasons", its comment says which.
        grounds = [DEFAULT_GROUND]
    application = services.get_application(application_id, for_update=True)
    result = services.take_action(application, body["action"], current_user, version=version,
                                  comment=body.get("comment"), benefits=body.get("benefits"),
                                  grounds=grounds, deadline=body.get("deadline"), site=body.get("site"))
    db.session.commit()
    payload = application_json(application)
    payload["event"] = event_json(result.event, staff=True)
    payload["certificate"] = certificate_json(result.certificate)
    if result.agreement is not None:
        payload["agreement"] = {"number": result.agreement.number, "status": result.agreement.status}
    if result.lease is not None:
        payload["lease"] = lease_json(result.lease)
    return jsonify(payload)


@api_bp.get("/applications/<int:application_id>/history")
@allow(AUTHENTICATED)
def history(application_id: int):
    staff = current_user.role in READER_ROLES
    application = services.get_application(application_id)
    if not staff and application.company_id != current_user.company_id:
        raise NotFound(_("There is no such application."))
    limit = page_limit()
    after = decode_cursor(request.args.get("cursor"), 1)
    stmt = select(ApplicationEvent).where(ApplicationEvent.application_id == application.id)
    if not staff:
        stmt = stmt.where(ApplicationEvent.visible_to_company.is_(True))
    if after is not None:
        if not isinstance(after[0], int):
            raise ZoneError(_("The cursor is not valid; start again from the first page."), code="bad_cursor")
        stmt = stmt.where(ApplicationEvent.id > after[0])
    events = list(db.session.scalars(stmt.order_by(ApplicationEvent.id).limit(limit + 1)))
    next_cursor = encode_cursor([events[limit - 1].id]) if len(events) > limit else None
    return jsonify({"items": [event_json(e, staff=staff) for e in events[:limit]], "next_cursor": next_cursor})
