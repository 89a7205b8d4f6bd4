"""Public figures, the staff's trends by quarter, open data and the service page."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, make_response, render_template

from zone.accounts.roles import READER_ROLES
from zone.figures import charts, opendata, service, services
from zone.vocabulary import SECTOR_LABELS
from zone.web.access import PUBLIC, allow

bp = Blueprint("figures", __name__)


@bp.get("/figures")
@allow(PUBLIC)
def public():
    figures = services.current()
    return render_template("figures/public.html", figures=figures, stats=services.stats(figures),
                           residents=charts.residents_by_sector(figures),
                           indicators=charts.committed_against_reported(figures),
                           matchmaking=charts.matchmaking(figures), sector_labels=SECTOR_LABELS)


@bp.get("/figures/trends")
@allow(*READER_ROLES)
def trends():
    figures = services.current()
    return render_template("figures/trends.html", figures=figures, chart=charts.trends(figures))


@bp.get("/open-data")
@allow(PUBLIC)
def open_data():
    figures = services.current()
    return render_template("figures/open_data.html", figures=figures, files=opendata.catalogue(figures))


@bp.get("/open-data/<name>.csv")
@allow(PUBLIC)
def open_data_file(name: str):
    dataset = opendata.BY_NAME.get(name)
    if dataset is None:
        abort(404)
    figures = services.current()
    response = make_response(opendata.csv_bytes(dataset, figures))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="icic-{name}.csv"'
    response.last_modified = datetime.fromisoformat(figures["as_of"].replace("Z", "+00:00"))
    response.headers["X-As-Of"] = figures["as_of"]
    return response


@bp.get("/service")
@allow(PUBLIC)
def service_page():
    figures = services.current()
    return render_template("figures/service.html", steps=service.STEPS, times=figures["processing"],
                           as_of=figures["as_of"])
