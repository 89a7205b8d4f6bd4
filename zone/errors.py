"""Domain errors that services raise and both the HTML pages and the API translate for users.

A service never builds a response: it raises one of these with a translatable message (lazy_gettext);
the API turns it into ``{"error": {"code", "message", "fields"}}`` with the right status and an HTML
route shows the message next to what the user typed.
"""

from __future__ import annotations

from typing import Any


class ZoneError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: Any = None, *, code: str | None = None, fields: dict | None = None,
                 details: dict | None = None):
        super().__init__(message if message is not None else self.code)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}
        self.details = details or {}


class NotFound(ZoneError):
    status = 404
    code = "not_found"


class Forbidden(ZoneError):
    status = 403
    code = "forbidden"


class Conflict(ZoneError):
    """The object is not in a state that allows this (409)."""

    status = 409
    code = "conflict"


class StaleVersion(Conflict):
    """The caller acted on an older version of the object (409); ``details`` say who changed what."""

    code = "stale_version"


class ValidationFailed(ZoneError):
    """Invalid values (422); ``fields`` maps each field name to its messages."""

    status = 422
    code = "invalid"


class TooLarge(ZoneError):
    status = 413
    code = "too_large"


class Unauthorized(ZoneError):
    status = 401
    code = "unauthorized"


class Unavailable(ZoneError):
    """Something the request needs (the file storage) does not answer at the moment (503)."""

    status = 503
    code = "unavailable"
