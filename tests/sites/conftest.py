"""Sites test helpers: sites made through the service, as an administrator would."""

from __future__ import annotations

import itertools

import pytest

_x = itertools.count(0)


def square(x: float, y: float, size: float = 10) -> str:
    return f"{x} {y}; {x + size} {y}; {x + size} {y + size}; {x} {y + size}"


@pytest.fixture
def make_site(app):
    """Create a free site (a KZ building of 500 m² and 400 kW by default); returns its code."""
    from zone.extensions import db
    from zone.sites import services

    def _make(code: str | None = None, **fields) -> str:
        n = next(_x)
        values = {"code": code or f"T-{n:04d}", "side": "KZ", "kind": "building", "area_m2": "500",
                  "power_kw": "400", "water_m3_day": "20", "gas_m3_h": "5", "rent_per_m2_year": "18",
                  "currency": "USD", "outline": square(n * 20 % 20000, n * 20 // 20000 * 20)}
        values.update(fields)
        with app.test_request_context(method="POST"):
            site = services.create_site(values, None, label="test")
            db.session.commit()
            return site.code

    return _make


@pytest.fixture
def get_site(app):
    from zone.extensions import db
    from zone.sites import queries

    def _get(code: str):
        with app.app_context():
            site = queries.by_code(code)
            db.session.expunge(site)
            return site

    return _get
