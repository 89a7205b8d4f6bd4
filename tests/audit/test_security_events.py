"""Security events recorded for every domain: sign-out (by hand and after inactivity) and refused access."""

from __future__ import annotations

import time

from sqlalchemy import select

from zone.audit.models import AuditEvent
from zone.audit.services import verify_chain
from zone.extensions import db


def _actions() -> list[str]:
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    db.session.rollback()  # the next request shares this session: leave no old snapshot open
    return actions


def test_sign_in_failure_and_sign_out_are_recorded(client, make_user, login, ctx):
    user = make_user("reviewer")
    client.post("/login", data={"email": user.email, "password": "wrong-password-1"})
    login(user)
    assert client.post("/logout").status_code == 302
    assert _actions()[-3:] == ["auth.login_failed", "auth.login", "auth.logout"]
    logout = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.logout"))
    login_event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login"))
    assert (logout.actor_id, logout.actor, logout.object_id) == (user.id, user.email, str(user.id))
    assert logout.object_type == login_event.object_type  # one history per user
    assert verify_chain().ok


def test_the_end_of_an_idle_session_is_recorded(client, make_user, login, app, ctx):
    user = make_user("auditor")
    login(user)
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - app.config["SESSION_IDLE_MINUTES"] * 60 - 5
    assert client.get("/account").status_code == 302
    ended = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.session_end"))
    assert ended is not None and ended.actor_id == user.id


def test_refused_access_is_recorded_for_signed_in_users_only(client, login_as, make_user, api_token, ctx):
    assert client.get("/audit").status_code == 302  # anonymous: no record, it is background noise
    assert "access.denied" not in _actions()
    reviewer = login_as("reviewer")
    assert client.get("/audit/export.csv").status_code == 403
    denied = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "access.denied"))
    assert denied.actor_id == reviewer.id
    assert denied.details == {"method": "GET", "path": "/audit/export.csv", "endpoint": "audit.export_csv"}
    db.session.rollback()
    headers = api_token(make_user("applicant"))
    assert client.get("/api/v1/audit/events", headers=headers).status_code == 403
    assert _actions().count("access.denied") == 2
    assert verify_chain().ok
