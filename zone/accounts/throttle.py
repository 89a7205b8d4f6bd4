"""Throttling of sign-in, registration and password-reset requests; every refusal is audited.

Sign-in (the sign-in page and ``POST /api/v1/tokens`` share the counters):

* ``LOGIN_LIMIT_PER_IP``: every attempt from one address;
* ``LOGIN_LIMIT_PER_ACCOUNT``: failed attempts from one address on one account. Keyed on both, so
  failing on purpose from one address never keeps the owner out from another;
* progressive delay: once an account has collected more failures (from any addresses, within the longest
  window of ``LOGIN_LIMIT_PER_ACCOUNT``) than that setting's smallest amount, each address that fails on
  it is not heard on that account for 2, 4, 8… seconds, at most 15 minutes. An address that has not
  failed is never delayed: the right password from it signs in.

Registration (page and API together) and password-reset requests: ``REGISTER_LIMIT_PER_IP`` and
``RESET_LIMIT_PER_IP`` per address, counting every request. Unknown and known emails are treated alike.
"""

from __future__ import annotations

import functools
import logging
import math
import time

from flask import after_this_request, current_app, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from limits import parse_many

from zone.audit.services import record
from zone.errors import ZoneError
from zone.extensions import db, limiter

log = logging.getLogger(__name__)

MAX_DELAY = 15 * 60  # seconds
_MAX_DOUBLINGS = 10  # 2 ** 10 s is past the ceiling already
_FAILURES_KEY = "zone/sign-in-failures/{account}"
_WAIT_KEY = "zone/sign-in-wait/{address}/{account}"


class TooManyAttempts(ZoneError):
    status = 429
    code = "throttled"


def _address() -> str:
    return get_remote_address() or "unknown"


def _email() -> str:
    """The email the request names (form or JSON), normalised; empty when none."""
    email = request.form.get("email") if request.form else None
    if email is None and request.is_json:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else None
    return str(email).strip().lower()[:254] if isinstance(email, str) else ""


def _address_and_account() -> str:
    return f"{_address()}/{_email()}"


def _failed(response) -> bool:
    """A sign-in that did not succeed; a refusal by a limit is not an attempt and does not count."""
    return response.status_code not in (201, 302, 303, 429)


def _refused(action: str, limit: str, **details) -> None:
    """Audit a refusal in a transaction of its own (nothing else of the request is committed)."""
    try:
        db.session.rollback()
        record(action, actor_label=_email() or "?", details={"limit": limit, "path": request.path[:200], **details})
        db.session.commit()
    except Exception:  # the refusal stands even when its record cannot be written
        db.session.rollback()
        log.exception("could not record the refusal %s (%s)", action, limit)


def _on_breach(action: str, limit: str):
    return lambda _request_limit: _refused(action, limit)


# --- progressive delay per account ------------------------------------------------------------------

def _failure_window() -> tuple[int, int]:
    """(seconds over which an account's failures are counted, failures before any delay)."""
    items = parse_many(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])
    return max(item.get_expiry() for item in items), min(item.amount for item in items)


def _wait_left(address: str, account: str) -> int:
    key = _WAIT_KEY.format(address=address, account=account)
    if limiter.storage.get(key) <= 0:
        return 0
    return max(0, math.ceil(limiter.storage.get_expiry(key) - time.time()))


def _note_failure(address: str, account: str) -> None:
    window, free = _failure_window()
    failures = limiter.storage.incr(_FAILURES_KEY.format(account=account), window)
    if failures <= free:
        return
    delay = min(2 ** min(failures - free, _MAX_DOUBLINGS), MAX_DELAY)
    key = _WAIT_KEY.format(address=address, account=account)
    limiter.storage.clear(key)
    limiter.storage.incr(key, delay)


def _progressive_delay(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.method != "POST" or not limiter.enabled:
            return view(*args, **kwargs)
        address, account = _address(), _email()
        wait = _wait_left(address, account)
        if wait:
            _refused("auth.login_throttled", "delay", retry_after=wait)

            @after_this_request
            def _retry_after(response):
                response.headers["Retry-After"] = str(wait)
                return response

            raise TooManyAttempts(_l("Too many failed attempts to sign in to this account from your address. "
                                     "Try again in %(n)s seconds.", n=wait))

        @after_this_request
        def _count(response):
            if _failed(response):
                _note_failure(address, account)
            return response

        return view(*args, **kwargs)

    return wrapper


# --- the decorators -----------------------------------------------------------------------------------

_sign_in_per_address = limiter.shared_limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_IP"], scope="sign-in-address", methods=["POST"],
    on_breach=_on_breach("auth.login_throttled", "address"))
_sign_in_per_address_and_account = limiter.shared_limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], scope="sign-in-address-account", methods=["POST"],
    key_func=_address_and_account, deduct_when=_failed,
    on_breach=_on_breach("auth.login_throttled", "address_and_account"))
_register_per_address = limiter.shared_limit(
    lambda: current_app.config["REGISTER_LIMIT_PER_IP"], scope="register-address", methods=["POST"],
    on_breach=_on_breach("auth.register_throttled", "address"))
_reset_per_address = limiter.shared_limit(
    lambda: current_app.config["RESET_LIMIT_PER_IP"], scope="reset-address", methods=["POST"],
    on_breach=_on_breach("auth.reset_throttled", "address"))


def sign_in_throttled(view):
    """The sign-in limits and the progressive delay, for a view that checks a password."""
    return _sign_in_per_address(_sign_in_per_address_and_account(_progressive_delay(view)))


def registration_throttled(view):
    """The registration limit per address (the page and the API count together)."""
    return _register_per_address(view)


def reset_throttled(view):
    """The limit per address on requests for a password-reset link."""
    return _reset_per_address(view)
