"""Site needs on the application, matching free sites ranked by fit on the review page, the approver's site
choice in the HTML form, and NO_SITE_AVAILABLE only when nothing fits, naming the closest candidates."""

from __future__ import annotations

import time
from decimal import Decimal

NEEDS = {"site_kind": "building", "site_area_m2": Decimal("1000"), "site_power_kw": Decimal("400"),
         "site_water_m3_day": Decimal("10")}


def _sites(make_site):
    make_site("KZ-M01", area_m2="5000", power_kw="450")  # fits, big
    make_site("KZ-M02", area_m2="1200", power_kw="420")  # fits, closest
    make_site("KZ-M03", area_m2="1200", power_kw="100")  # too little power
    make_site("KZ-M04", kind="plot", area_m2="20000", power_kw="800")  # a plot
    make_site("UZ-M01", side="UZ", area_m2="1200", power_kw="420")  # the other side


def test_ranking_puts_the_closest_fit_first(app, make_site):
    from zone.sites import matching

    _sites(make_site)
    with app.app_context():
        ranked = matching.rank("KZ", matching.Needs("building", Decimal(1000), Decimal(400), Decimal(10)))
        assert [(c.code, c.fits) for c in ranked] == [
            ("KZ-M02", True), ("KZ-M01", True), ("KZ-M03", False), ("KZ-M04", False)]
        with app.test_request_context():
            assert ranked[2].reasons() == ["power 100 kW, 400 kW needed"]
            assert ranked[3].reasons() == ["a land plot, a production building is needed"]
        assert all(c.fits for c in matching.rank("KZ", matching.Needs()))


def test_ranking_2000_sites_is_fast(app):
    from zone.extensions import db
    from zone.sites import matching
    from zone.sites.models import Site

    with app.app_context():
        db.session.add_all(Site(code=f"KZ-F{i:04d}", side="KZ", kind="building" if i % 2 else "plot",
                                area_m2=Decimal(500 + i), power_kw=Decimal(i % 700), water_m3_day=Decimal(10),
                                gas_m3_h=Decimal(0), rent_per_m2_year=Decimal(10), currency="USD",
                                outline=[[0, 0], [1, 0], [1, 1]]) for i in range(2000))
        db.session.commit()
        needs = matching.Needs("building", Decimal(1000), Decimal(400), Decimal(5))
        matching.rank("KZ", needs)
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            ranked = matching.rank("KZ", needs)
            timings.append(time.perf_counter() - start)
        assert len(ranked) == 2000 and ranked[0].fits
        assert min(timings) < 0.1  # the benchmark holds it to 20 ms; the test only guards the order of magnitude


def test_review_page_shows_matches_and_the_approver_leases_through_the_form(app, client, recommended, make_site,
                                                                           login_as, get_site):
    _sites(make_site)
    app_id = recommended(**NEEDS)
    login_as("approver")
    page = client.get(f"/review/applications/{app_id}").get_data(as_text=True)
    assert 'id="site-candidates"' in page
    assert page.index("KZ-M02") < page.index("KZ-M01") < page.index("KZ-M03")
    assert "power 100 kW, 400 kW needed" in page
    assert "UZ-M01" not in page
    assert '<option value="KZ-M02">' in page
    refused = client.post(f"/review/applications/{app_id}/actions/approve",
                          data={"approve-version": "2", "approve-site": "UZ-M01", "approve-comment": "Одобрено"})
    assert refused.status_code == 409  # refused before the confirmation page
    assert "UZ-M01" in refused.get_data(as_text=True)
    confirm = client.post(f"/review/applications/{app_id}/actions/approve",
                          data={"approve-version": "2", "approve-site": "KZ-M02", "approve-comment": "Одобрено"})
    assert confirm.status_code == 200 and "Site leased to the company" in confirm.get_data(as_text=True)
    assert get_site("KZ-M02").status == "free"
    done = client.post(f"/review/applications/{app_id}/actions/approve",
                       data={"approve-version": "2", "approve-site": "KZ-M02", "approve-comment": "Одобрено",
                             "confirmed": "1"})
    assert done.status_code == 302, done.get_data(as_text=True)[:3000]
    assert get_site("KZ-M02").status == "leased"


def test_no_site_available_only_when_nothing_fits(app, client, recommended, make_site, make_user, api_token):
    _sites(make_site)
    headers = api_token(make_user("approver"))
    fitting = recommended(**NEEDS)
    refused = client.post(f"/api/v1/applications/{fitting}/actions", headers=headers, json={
        "action": "reject", "version": 2, "comment": "Нет участка", "grounds": ["NO_SITE_AVAILABLE"]})
    assert refused.status_code == 422
    assert "KZ-M02" in str(refused.get_json()["error"]["fields"]["grounds"])
    big = recommended(**{**NEEDS, "site_power_kw": Decimal("5000")})
    rejected = client.post(f"/api/v1/applications/{big}/actions", headers=headers, json={
        "action": "reject", "version": 2, "comment": "Нет участка", "grounds": ["NO_SITE_AVAILABLE"]})
    assert rejected.status_code == 200, rejected.get_json()
    search = rejected.get_json()["event"]["details"]["site_search"]
    assert search["free_sites"] == 4
    assert [c["code"] for c in search["closest"]][:1] == ["KZ-M01"]
    assert search["closest"][0]["shortfalls"] == [{"what": "power_kw", "have": "450", "need": "5000"}]
    history = client.get(f"/api/v1/applications/{big}/history",
                         headers=api_token(make_user("reviewer"))).get_json()["items"]
    assert any("site_search" in e["details"] for e in history)


def test_the_company_states_its_needs_in_the_form_and_the_api(app, client, login_as, make_company, api_token):
    import re

    from tests.applications.test_form_html import save
    from zone.applications.models import Application
    from zone.extensions import db

    company = make_company()
    user = login_as("applicant", company=company)
    response = client.post("/applications/new", data={"side": "KZ"})
    application_id = int(re.search(r"/applications/(\d+)/", response.headers["Location"]).group(1))
    page = client.get(f"/applications/{application_id}/edit/site").get_data(as_text=True)
    assert 'name="site_power_kw"' in page
    bad = save(client, application_id, "site", {"site_kind": "castle", "site_area_m2": "-1", "site_power_kw": "NaN"})
    assert bad.status_code == 200
    saved = save(client, application_id, "site", {"site_kind": "building", "site_area_m2": "1000",
                                                  "site_power_kw": "400", "site_water_m3_day": ""})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert (application.site_kind, application.site_area_m2, application.site_power_kw) == (
            "building", Decimal("1000.00"), Decimal("400.00"))
    created = client.post("/api/v1/applications", headers=api_token(user),
                          json={"side": "KZ", "site_kind": "plot", "site_area_m2": "25000", "site_power_kw": "800"})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["site_kind"] == "plot"
    refused = client.post("/api/v1/applications", headers=api_token(user), json={"side": "KZ", "site_power_kw": "-5"})
    assert refused.status_code == 422 and "site_power_kw" in refused.get_json()["error"]["fields"]
