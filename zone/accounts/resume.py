"""Never lose what was typed: a form sent after the session ended is kept until its author signs in again.

Three things end a session under a form being filled in: the idle sign-out, an expired or missing session
cookie, and a form token (CSRF) that no longer matches. In each case the fields that arrived (not the
files: a browser never sends those again by itself) are stored with a one-time token, bound to this browser
by a secret in a cookie and, when known, to the signed-in user. After signing in, ``/resume/<token>`` shows
what is kept and sends it again, with a fresh form token, to the address it was meant for: the page that
receives it validates and saves as always. No JavaScript is needed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import delete

from zone.accounts.models import FormResume, User
from zone.database import utcnow
from zone.extensions import db

COOKIE = "zone_resume"
RESUME_HOURS = 2
MAX_FIELDS = 2000
NOT_CARRIED = {"csrf_token"}
# Forms about signing in keep nothing: a password is never stored, and they are quick to fill in again.
NOT_KEPT_ENDPOINTS = {"accounts.login", "accounts.logout", "accounts.register", "accounts.account",
                      "accounts.forgot_password", "accounts.reset_password", "companies.accept_invitation"}


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def wants_resume() -> bool:
    """A browser's form post with fields: worth keeping (the API and GETs have nothing to lose)."""
    return (request.method == "POST" and not request.path.startswith("/api/") and bool(request.form)
            and request.endpoint not in NOT_KEPT_ENDPOINTS)


def stash(user: User | None = None) -> tuple[str, str]:
    """Keep the current request's fields; returns (token, the browser secret to set in ``COOKIE``)."""
    secret = request.cookies.get(COOKIE) or secrets.token_urlsafe(32)
    fields = [[name, value] for name, value in request.form.items(multi=True)
              if name not in NOT_CARRIED and "password" not in name.lower()]
    token = secrets.token_urlsafe(32)
    _forget_old()
    db.session.add(FormResume(token=token, browser_hash=_hash(secret), user_id=user.id if user else None,
                              method="POST", path=request.full_path.rstrip("?")[:2000],
                              fields=fields[:MAX_FIELDS], files_dropped=len(request.files)))
    db.session.commit()
    return token, secret


def set_cookie(response, secret: str):
    response.set_cookie(COOKIE, secret, max_age=RESUME_HOURS * 3600, httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


def take(token: str, user: User) -> FormResume | None:
    """The kept form for ``user`` in this browser, removed (once only); None if it is not theirs or too old."""
    secret = request.cookies.get(COOKIE)
    if not secret or len(token) > 64:
        return None
    _forget_old()
    row = db.session.get(FormResume, token)
    if row is None or not secrets.compare_digest(row.browser_hash, _hash(secret)):
        return None
    if row.user_id is not None and row.user_id != user.id:
        return None
    db.session.delete(row)
    db.session.commit()
    return row


def _forget_old() -> None:
    db.session.execute(delete(FormResume).where(FormResume.created_at < utcnow() - timedelta(hours=RESUME_HOURS)))
