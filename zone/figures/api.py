"""``GET /api/v1/stats``: the zone's headline figures, public (API.md "Cooperation and zone figures")."""

from __future__ import annotations

from flask import Blueprint, jsonify

from zone.figures import services
from zone.web.access import PUBLIC, allow

api_bp = Blueprint("figures_api", __name__, url_prefix="/api/v1")


@api_bp.get("/stats")
@allow(PUBLIC)
def stats():
    return jsonify(services.stats(services.current()))
