"""The applications' page blueprint and what its view modules share: loading an application the user
may see and reading the version a form was opened at.

The views are in :mod:`zone.applications.routes` (list, new, detail, transitions),
:mod:`zone.applications.section_routes` (the long form, section by section) and
:mod:`zone.applications.document_routes` (uploads); each imports ``bp`` from here, and ``create_app``
imports all three before it registers ``bp``.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from zone.applications import policies
from zone.applications.models import Application
from zone.database import get_for_update
from zone.extensions import db

bp = Blueprint("applications", __name__)


def load_application(application_id: int, *, lock: bool = False) -> Application:
    """The application if the signed-in user may see it; 404 otherwise (never 403: no hint it exists)."""
    application = get_for_update(Application, application_id) if lock else db.session.get(Application, application_id)
    if application is None or not policies.can_view(current_user, application):
        abort(404)
    return application


def parse_version(raw: str | None) -> int:
    """The version a form was opened at; a form without one is malformed (400)."""
    if raw is None or not str(raw).strip().isdigit():
        abort(400)
    return int(raw)
