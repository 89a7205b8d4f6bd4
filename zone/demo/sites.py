"""Demo sites of both sides, from the CSV shipped with the sites domain (an administrator can import the same
file again from the inventory page: it changes nothing then)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from zone.extensions import db
from zone.sites.models import Site
from zone.sites.services import import_csv

DEMO_CSV = Path(__file__).resolve().parents[1] / "sites" / "data" / "demo_sites.csv"
# The approved demo applications lease these at their approval (the KZ one with the cooperation reduction).
LEASED_AT_APPROVAL = {"Завод систем капельного орошения": "KZ-B02", "Фабрика трикотажных изделий": "UZ-B01"}
# The recommended KZ application asks for a building with 400 kW: KZ-B01 (450 kW) stays free for the demo.
DEMO_NEEDS = {"Производство трансформаторов": {"site_kind": "building", "site_area_m2": "4000",
                                               "site_power_kw": "400", "site_water_m3_day": "100"}}


def seed_sites() -> None:
    """Import the demo sites once (nothing when any site exists)."""
    if db.session.scalar(select(func.count()).select_from(Site)):
        return
    report = import_csv(DEMO_CSV.read_bytes(), None, label="demo-seed")
    if not report.ok:
        raise RuntimeError(f"the demo sites do not import: {report.problems}")
