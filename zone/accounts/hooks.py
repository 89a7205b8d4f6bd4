"""Who is calling: session users for pages, bearer tokens for the API, and the idle timeout."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError

from zone.accounts import resume
from zone.accounts.models import User
from zone.extensions import db, login_manager
from zone.web.errors import error_response


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    if _is_api_request():
        return None  # the API is authenticated by bearer tokens only, never by cookies
    user_id, _, nonce = (session_id or "").partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_nonce != nonce:
        return None  # disabled, or the password changed: this session is over
    return user


@login_manager.request_loader
def load_user_from_token(req) -> User | None:
    if not req.path.startswith("/api/"):
        return None
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    from zone.accounts.services import user_for_api_token

    found = user_for_api_token(token.strip())
    if found is None:
        return None
    g.api_token = found[1]
    return found[0]


def _idle_timeout():
    if _is_api_request() or request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = datetime.now(UTC).timestamp()
    last_seen = session.get("last_seen")
    limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if isinstance(last_seen, (int, float)) and now - last_seen > limit:
        user = current_user._get_current_object()
        lang = session.get("lang")
        logout_user()
        session.clear()
        if lang:
            session["lang"] = lang
        if resume.wants_resume():
            return _keep_and_sign_in(user)
        flash(_l("You were signed out after a period of inactivity. Please sign in again."), "info")
        return redirect(url_for("accounts.login", next=request.full_path if request.method == "GET" else None))
    session["last_seen"] = now
    session.permanent = True
    return None


def _keep_and_sign_in(user: User | None):
    """Keep what the form carried and send its author to sign in; afterwards they send it again."""
    token, secret = resume.stash(user)
    flash(_l("Your session had ended, so nothing was saved yet. Sign in again: what you typed is kept and "
             "you can send it at once."), "info")
    return resume.set_cookie(redirect(url_for("accounts.login", next=url_for("accounts.resume", token=token))),
                             secret)


def _unauthorized():
    """Flask-Login's refusal of an anonymous visitor: to the sign-in page, keeping a form that was sent."""
    if resume.wants_resume():
        return _keep_and_sign_in(None)
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _csrf_failed(error: CSRFError):
    """A form whose token no longer matches (the session behind it ended, or it sat open for too long).

    A signed-in author sends it again at once from the resume page (with a fresh token); an anonymous one
    signs in first. Anything else (no fields, the API) is the plain refusal."""
    if not resume.wants_resume():
        return error_response(400, "csrf_failed", _("The form has expired or was sent from another site. Reload "
                                                   "the page and send it again."))
    if not current_user.is_authenticated:
        return _keep_and_sign_in(None)
    token, secret = resume.stash(current_user._get_current_object())
    flash(_l("The form had expired, so nothing was saved yet. What you typed is kept: send it again."), "info")
    return resume.set_cookie(redirect(url_for("accounts.resume", token=token)), secret)


def init_app(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.unauthorized_handler(_unauthorized)
    app.register_error_handler(CSRFError, _csrf_failed)
    app.before_request(_idle_timeout)
    # The user object belongs to the request's database session, which ends with the request; a
    # longer-lived app context (tests, streamed responses) must not hand it to the next request.
    app.teardown_request(lambda _exc: g.pop("_login_user", None))
