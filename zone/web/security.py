"""Security headers on every response, safe redirects, and input PostgreSQL could not take."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def is_safe_redirect(target: str | None) -> bool:
    """Only local paths: no scheme, no host, no protocol-relative ``//`` and no backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str) -> str:
    return target if is_safe_redirect(target) else default


def init_app(app: Flask) -> None:
    app.before_request(drop_nul_characters)
    app.after_request(set_security_headers)


def _has_nul(value) -> bool:
    return isinstance(value, str) and "\x00" in value


def _without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


def drop_nul_characters() -> None:
    """Remove NUL characters from the query string, form fields and JSON bodies before any view runs.

    They are never meaningful in text typed by people or sent by integrators, and PostgreSQL cannot store
    or even compare them, so a NUL would otherwise turn a query into a server error. Uploaded files are
    untouched (their content is binary).
    """
    from werkzeug.datastructures import ImmutableMultiDict

    if any(_has_nul(k) or _has_nul(v) for k, v in request.args.items(multi=True)):
        request.args = ImmutableMultiDict(
            [(_without_nul(k), _without_nul(v)) for k, v in request.args.items(multi=True)])
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = request.form
            if any(_has_nul(k) or _has_nul(v) for k, v in form.items(multi=True)):
                request.form = ImmutableMultiDict(
                    [(_without_nul(k), _without_nul(v)) for k, v in form.items(multi=True)])
        elif request.is_json:
            body = request.get_json(silent=True)
            if body is not None:
                cleaned = _without_nul(body)
                request._cached_json = (cleaned, cleaned)  # what get_json() returns from now on
