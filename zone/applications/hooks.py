"""Wire the companies pages into the app while ``companies`` is not yet listed in ``zone.DOMAINS``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    import zone

    if "companies" not in zone.DOMAINS and "companies" not in app.blueprints:
        from zone.companies.routes import bp

        app.register_blueprint(bp)
