"""What figures adds at app creation: the worker's refresh of the snapshot and the staff dashboard's tile."""

from __future__ import annotations

from datetime import date

from flask import Flask, url_for
from flask_babel import gettext as _

from zone.figures import charts, services
from zone.review import dashboard
from zone.worker.registry import register_job


def trends_tile(_today: date) -> dashboard.Tile:
    return dashboard.Tile(charts.trends(services.current()), url_for("figures.trends"), _("Trends by quarter"))


def init_app(app: Flask) -> None:
    register_job(app, "figures.refresh", services.refresh, every=services.REFRESH_EVERY)
    dashboard.register_tile(app, trends_tile)
