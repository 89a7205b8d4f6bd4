"""The home page, the language switcher and the health check (the database, and the worker beside it)."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from sqlalchemy import text

from zone.extensions import db
from zone.web.access import PUBLIC, allow
from zone.web.security import safe_next
from zone.worker.services import health

log = logging.getLogger(__name__)

bp = Blueprint("web", __name__)


@bp.get("/")
@allow(PUBLIC)
def index():
    return render_template("web/index.html")


@bp.get("/lang/<code>")
@allow(PUBLIC)
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("web.index")))


@bp.get("/healthz")
@allow(PUBLIC)
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy"; never leak its text
        db.session.rollback()
        return jsonify({"status": "error", "database": "unreachable"}), 503
    # The worker reports beside the database: a stale one shows here, never in ``status`` or the 200.
    try:
        worker = health(current_app).to_json()
    except Exception as error:  # e.g. a schema not upgraded yet: say so without failing the check
        db.session.rollback()
        log.warning("The worker's health could not be read: %s", type(error).__name__)
        worker = {"status": "unknown"}
    return jsonify({"status": "ok", "database": "ok", "worker": worker})
