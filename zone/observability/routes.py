"""``GET /metrics`` for Prometheus: only the scraper's token or address gets it; everyone else a 404."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST

from zone.observability.metrics import exposition, scraper_admitted
from zone.web.access import MACHINE_CREDENTIAL, allow

bp = Blueprint("observability", __name__)


@bp.get("/metrics")
@allow(MACHINE_CREDENTIAL)
def metrics():
    if not scraper_admitted(request):
        abort(404)  # nothing to see: the endpoint is not advertised to whoever lacks the credential
    return Response(exposition(current_app._get_current_object()), content_type=CONTENT_TYPE_LATEST)
