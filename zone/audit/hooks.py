"""Security events no service sees: signing out (by hand or after inactivity) and refused access.

Flask-Login announces every sign-out; the record is written after the response is made, in its own
transaction, because the sign-out itself changes no row. A request refused with 403 to a signed-in
user is recorded as ``access.denied`` (anonymous refusals are not: they are the web's background
noise). Whatever the refused request left in its session is rolled back first, never committed.

The worker publishes a signed anchor of the chain's head every hour (nothing new: nothing published).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

from flask import Flask, g, request
from flask_login import current_user, user_logged_out

from zone.audit.publication import publish_and_commit
from zone.audit.services import record
from zone.extensions import db
from zone.worker.registry import register_job

log = logging.getLogger(__name__)
ANCHOR_EVERY = timedelta(hours=1)


def _on_logged_out(sender, user=None, **extra) -> None:
    if user is None or getattr(user, "id", None) is None:
        return
    g.zone_audit_signed_out = SimpleNamespace(id=user.id, email=getattr(user, "email", None))


def _user_type() -> str:
    """The object type under which the accounts domain records users, so a user's history is one list."""
    from zone.accounts.models import User

    return getattr(User, "audit_type", None) or User.__tablename__


def _record_after_response(response):
    signed_out = g.pop("zone_audit_signed_out", None)
    denied = response.status_code == 403 and signed_out is None and current_user.is_authenticated
    if signed_out is None and not denied:
        return response
    try:
        db.session.rollback()  # nothing of a refused or finished request is committed with the record
        g.zone_write_intent = True  # SQLite: take the write lock when the record's transaction begins
        if signed_out is not None:
            action = "auth.logout" if request.endpoint == "accounts.logout" else "auth.session_end"
            record(action, actor=signed_out, object_type=_user_type(), object_id=signed_out.id)
        else:
            record("access.denied", details={"method": request.method, "path": request.path[:300],
                                             "endpoint": request.endpoint})
        db.session.commit()
    except Exception:  # the response is already decided; a failed record must not turn it into a 500
        db.session.rollback()
        log.exception("could not record %s", "sign-out" if signed_out else "refused access")
    return response


def init_app(app: Flask) -> None:
    user_logged_out.connect(_on_logged_out, app)
    app.after_request(_record_after_response)
    register_job(app, "audit.anchor", publish_and_commit, every=ANCHOR_EVERY)
