"""Error pages in HTML and, under ``/api/``, JSON as in API.md. No stack trace ever reaches a user."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from zone.errors import ZoneError

log = logging.getLogger(__name__)

TITLES = {
    400: _l("The request could not be understood"),
    401: _l("Please sign in"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("This action is not available here"),
    409: _l("The action conflicts with the current state"),
    413: _l("The file or request is too large"),
    422: _l("Some values are not valid"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("The service is temporarily unavailable"),
}

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "throttled",
    500: "internal_error",
    503: "unavailable",
}


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def default_message(status: int) -> str:
    messages = {
        400: _("Check the form and try again. If you came from a bookmark, reload the page."),
        401: _("Sign in to continue."),
        403: _("Your account does not have access to this page or action."),
        404: _("The address may be mistyped, or the item was removed or never existed."),
        405: _("This action is not available at this address."),
        409: _("Someone may have changed it meanwhile. Reload the page and try again."),
        413: _("The maximum upload size is %(mb)s MB.", mb=_max_upload_mb()),
        422: _("Correct the highlighted values and try again."),
        429: _("Please wait a little before trying again."),
        500: _("The error has been logged. Your data is safe; please try again in a moment."),
        503: _("Please try again in a few minutes."),
    }
    return messages.get(status, str(TITLES.get(status, "")))


def _max_upload_mb() -> int:
    from flask import current_app

    return current_app.config["MAX_UPLOAD_MB"]


def error_response(status: int, code: str | None = None, message: str | None = None,
                   fields: dict | None = None, details: dict | None = None):
    code = code or CODES.get(status, "error")
    message = message or default_message(status)
    if wants_json():
        body: dict = {"error": {"code": code, "message": str(message)}}
        if fields:
            body["error"]["fields"] = {k: [str(m) for m in v] for k, v in fields.items()}
        if details:
            body["error"]["details"] = details
        response = jsonify(body)
        response.status_code = status
        return response
    title = TITLES.get(status, TITLES[500])
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(ZoneError)
    def _zone_error(error: ZoneError):
        return error_response(error.status, error.code, error.message, error.fields, error.details)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        if status == 401 and not wants_json():
            from zone.extensions import login_manager

            return login_manager.unauthorized()
        return error_response(status)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return _http_error(error)
        log.exception("Unhandled error on %s %s", request.method, request.path)
        from zone.extensions import db

        try:
            db.session.rollback()  # a failed statement leaves the session unusable for rendering the page
        except Exception:
            log.exception("rollback after an unhandled error failed")
        return error_response(500)
