"""Notices endpoints of the JSON API (API.md "Notices to authorities"): subscriptions and the event feed."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from zone.accounts.roles import READER_ROLES, Role
from zone.api.common import ListOf, decode_cursor, encode_cursor, json_body, page_limit
from zone.database import writes
from zone.errors import ValidationFailed
from zone.extensions import db
from zone.notices import eaeu, policies, presenters, queries, services
from zone.notices.models import Subscription
from zone.web.access import allow

api_bp = Blueprint("notices_api", __name__, url_prefix="/api/v1")


@api_bp.post("/subscriptions")
@allow(Role.ADMIN)
def create_subscription():
    """A receiver for notices; the answer carries its secret (``whsec_…``), shown this once."""
    data = json_body({"name", "url", "events", "side"},
                     {"name": str, "url": str, "events": ListOf(str), "side": str})
    subscription = services.create_subscription(current_user, name=data.get("name"), url=data.get("url"),
                                                events=data.get("events"), side=data.get("side"))
    db.session.commit()
    return jsonify({**presenters.subscription_json(subscription), "secret": subscription.secret}), 201


@api_bp.get("/subscriptions")
@allow(Role.ADMIN)
def subscriptions():
    rows = db.session.scalars(select(Subscription).where(Subscription.deleted_at.is_(None))
                              .order_by(Subscription.id)).all()
    return jsonify({"items": [presenters.subscription_json(s) for s in rows], "next_cursor": None})


@api_bp.delete("/subscriptions/<int:subscription_id>")
@allow(Role.ADMIN)
def delete_subscription(subscription_id: int):
    services.delete_subscription(subscription_id, current_user)
    db.session.commit()
    return "", 204


@api_bp.get("/subscriptions/<int:subscription_id>/deliveries")
@allow(Role.ADMIN)
def deliveries(subscription_id: int):
    """The delivery log: each event's attempts with status code and time, and the next retry."""
    services.live_subscription(subscription_id)
    limit = page_limit()
    cursor = decode_cursor(request.args.get("cursor"), 1)
    if cursor is not None and (isinstance(cursor[0], bool) or not isinstance(cursor[0], int)):
        raise ValidationFailed(_("Some values are not valid."), fields={"cursor": [_("Not a valid value.")]})
    rows, attempts = queries.deliveries(subscription_id, cursor[0] if cursor else 0, limit)
    return jsonify({"items": [presenters.delivery_json(d, attempts[d.id]) for d in rows],
                    "next_cursor": encode_cursor([rows[-1].id]) if len(rows) == limit else None})


@api_bp.post("/subscriptions/<int:subscription_id>/deliveries/<int:delivery_id>/replay")
@allow(Role.ADMIN)
def replay(subscription_id: int, delivery_id: int):
    """Send a delivery again, with its original ``webhook-id``, in the worker's next round."""
    services.live_subscription(subscription_id)
    delivery = services.replay(delivery_id, current_user, subscription_id=subscription_id)
    db.session.commit()
    return jsonify(presenters.delivery_json(delivery, [])), 202


@api_bp.get("/events")
@allow(*policies.FEED_ROLES)
def events():
    """The events, oldest first, gap-free: ``?after=`` an event id (exclusive), ``?type=``. An authority
    reads its own side's events only (``policies.feed_sides``).

    ``next_cursor`` is the id of the last item (pass it as ``after``); null when the page is empty, so a
    poller keeps its last id and asks again later.
    """
    rows = queries.feed(request.args.get("after") or None, request.args.get("type") or None, page_limit(),
                        policies.feed_sides(current_user))
    return jsonify({"items": [e.payload() for e in rows], "next_cursor": rows[-1].id if rows else None})



@api_bp.get("/notices/eaeu-register.csv")
@allow(*READER_ROLES)
@writes
def eaeu_csv():
    """The KZ side's residents as of ``?date=`` in the fields of the EAEU common register (CSV)."""
    return eaeu.csv_extract(eaeu.extract_date(request.args))


@api_bp.get("/notices/eaeu-register.xlsx")
@allow(*READER_ROLES)
@writes
def eaeu_xlsx():
    """The same extract as an XLSX workbook."""
    return eaeu.xlsx_extract(eaeu.extract_date(request.args))
