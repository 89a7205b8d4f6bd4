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


def _without_nul(value, path: str = "", found: set[str] | None = None):
    """``value`` without NULs; the JSON paths where some were taken out are added to ``found``."""
    if isinstance(value, str):
        if "\x00" in value and found is not None:
            found.add(path)
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(v, f"{path}.{i}" if path else str(i), found) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v, f"{path}.{_without_nul(k)}" if path else _without_nul(k), found)
                for k, v in value.items()}
    return value


def _clean_pairs(pairs, found: set[str]):
    from werkzeug.datastructures import ImmutableMultiDict

    cleaned = []
    for key, value in pairs:
        key = _without_nul(key)
        if _has_nul(value):
            found.add(key)
        cleaned.append((key, _without_nul(value)))
    return ImmutableMultiDict(cleaned)


def drop_nul_characters() -> None:
    """Remove NUL characters from the query string, form fields and JSON bodies before any view runs.

    They are never meaningful in text typed by people or sent by integrators, and PostgreSQL cannot store
    or even compare them, so a NUL would otherwise turn a query into a server error. Where they were is
    remembered (:func:`nul_removed`): the text rules refuse such a field as they refuse any control
    character, while code that reads the input raw only ever sees it without them. Uploaded files are
    untouched (their content is binary).
    """
    from flask import g

    found: set[str] = set()
    if any(_has_nul(k) or _has_nul(v) for k, v in request.args.items(multi=True)):
        request.args = _clean_pairs(request.args.items(multi=True), found)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = request.form
            if any(_has_nul(k) or _has_nul(v) for k, v in form.items(multi=True)):
                request.form = _clean_pairs(form.items(multi=True), found)
        elif request.is_json:
            body = request.get_json(silent=True)
            if body is not None:
                cleaned = _without_nul(body, "", found)
                request._cached_json = (cleaned, cleaned)  # what get_json() returns from now on
    if found:
        g.nul_removed = frozenset(found)


def nul_removed(name: str) -> bool:
    """True when :func:`drop_nul_characters` took NULs out of the input ``name`` of this request: a form
    field or query parameter by name, a JSON value by path (``company.name``, ``products.0.unit``)."""
    from flask import g, has_request_context

    return has_request_context() and name in g.get("nul_removed", ())


def removed_nul_paths() -> frozenset[str]:
    """Every input of this request that :func:`drop_nul_characters` took NULs out of."""
    from flask import g, has_request_context

    return g.get("nul_removed", frozenset()) if has_request_context() else frozenset()
