"""What the API layer installs in the app: strict JSON parsing for every body any view, form or hook reads."""

from __future__ import annotations

from flask import Flask

from zone.api import common


def init_app(app: Flask) -> None:
    common.init_app(app)
