"""Sign-in throttling: per client address and per account; only failed attempts count per account."""

from __future__ import annotations

from flask import current_app, request

from zone.extensions import limiter


def _account_key() -> str:
    email = request.form.get("email") if request.form else None
    if email is None and request.is_json:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else None
    return "login-account:" + (str(email or "").strip().lower()[:254])


def _failed(response) -> bool:
    return response.status_code not in (201, 302, 303)


per_ip = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"],
                       scope="login-ip")
per_account = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
                            key_func=_account_key, deduct_when=_failed, scope="login-account")


def throttled(view):
    """Apply both sign-in limits to a view."""
    return per_ip(per_account(view))
