"""`make run` seeds demo sites on both sides from the shipped CSV: a free KZ building of 400 kW or more, and
one leased at the demo approval with the cooperation reduction."""

from __future__ import annotations

from sqlalchemy import func, select


def test_demo_sites(runner, ctx, client):
    from zone.extensions import db
    from zone.sites.models import Lease, Site

    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    sites = {s.code: s for s in db.session.scalars(select(Site))}
    assert {s.side for s in sites.values()} == {"KZ", "UZ"}
    assert len([s for s in sites.values() if s.side == "KZ" and s.kind == "building"]) == 8  # phase 1
    assert sites["KZ-B01"].status == "free" and sites["KZ-B01"].power_kw >= 400
    lease = db.session.scalars(select(Lease).where(Lease.site_id == sites["KZ-B02"].id)).one()
    assert sites["KZ-B02"].status == "leased" and lease.reduction_pct == 50 and lease.reduction_until is not None
    count = db.session.scalar(select(func.count()).select_from(Site))
    db.session.rollback()
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    assert db.session.scalar(select(func.count()).select_from(Site)) == count
    reimport = runner.invoke(args=["sites", "import", "zone/sites/data/demo_sites.csv"])
    assert reimport.exit_code == 0 and "0 new, 0 changed" in reimport.output, reimport.output
    public = client.get("/sites?side=KZ").get_data(as_text=True)
    assert "KZ-B01" in public and "KZ-B02" not in public


def test_occupancy_by_side_and_the_dashboard_chart(app, client, login_as, recommended, approve, make_site):
    from decimal import Decimal

    from zone.sites.queries import occupancy

    make_site("KZ-O01", area_m2="1000")
    make_site("KZ-O02", area_m2="3000")
    make_site("UZ-O01", side="UZ", area_m2="500")
    assert approve(recommended(), site="KZ-O02").status_code == 200
    with app.app_context():
        figures = occupancy()
    kz, uz = figures["KZ"], figures["UZ"]
    assert (kz.sites, kz.leased_sites, kz.area_m2, kz.leased_area_m2) == (2, 1, Decimal(4000), Decimal(3000))
    assert kz.leased_share == Decimal("0.75") and uz.leased_share == 0 and uz.sites == 1
    sites = client.get("/api/v1/stats").get_json()["sites"]  # public, and live: the lease shows at once
    assert sites["KZ"] == {"side": "KZ", "sites": 2, "leased_sites": 1, "area_m2": "4000.00",
                           "leased_area_m2": "3000.00", "leased_share": "0.7500"}, sites
    assert sites["UZ"]["sites"] == 1 and sites["UZ"]["leased_sites"] == 0
    login_as("auditor")
    page = client.get("/review/dashboard").get_data(as_text=True)
    assert 'id="chart-sites-caption"' in page and "75 %" in page
