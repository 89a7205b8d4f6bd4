"""The home page, the language switcher and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from sqlalchemy import text

from zone.extensions import db
from zone.web.access import PUBLIC, allow
from zone.web.security import safe_next

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
    return jsonify({"status": "ok", "database": "ok"})
