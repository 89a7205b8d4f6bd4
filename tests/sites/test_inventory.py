"""The site inventory: administrators add, edit and import sites; the public list and the plan read it."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.sites.conftest import square

DEMO_CSV = Path(__file__).resolve().parents[2] / "zone" / "sites" / "data" / "demo_sites.csv"
HEADER = "code,side,kind,name,area_m2,power_kw,water_m3_day,gas_m3_h,rent_per_m2_year,currency,status,outline\n"


def _form(**fields) -> dict:
    values = {"code": "KZ-X01", "side": "KZ", "kind": "building", "name": "Корпус", "area_m2": "1200",
              "power_kw": "450", "water_m3_day": "40", "gas_m3_h": "10", "rent_per_m2_year": "18.50",
              "currency": "USD", "status": "free", "outline": square(500, 500, 30)}
    values.update(fields)
    return values


def _audit(app, action: str) -> list:
    from zone.audit.models import AuditEvent
    from zone.extensions import db

    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_admin_adds_a_site_and_it_is_audited(app, client, login_as):
    login_as("admin")
    response = client.post("/sites/new", data=_form())
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith("/sites/KZ-X01")
    page = client.get("/sites/KZ-X01").get_data(as_text=True)
    assert "KZ-X01" in page and "450" in page
    events = _audit(app, "site.create")
    assert len(events) == 1 and events[0].details["code"] == "KZ-X01"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("area_m2", "-5", "cannot be negative"),
    ("area_m2", "0", "greater than zero"),
    ("area_m2", "NaN", "finite"),
    ("area_m2", "Infinity", "finite"),
    ("area_m2", "1e30", "too large"),
    ("power_kw", "abc", "Enter a number"),
    ("side", "RU", "Unknown side"),
    ("kind", "castle", "Unknown kind"),
    ("currency", "EUR", "Unknown currency"),
    ("code", "kz x!", "site code"),
    ("outline", "0 0; 10 10; 10 0; 0 10", "crosses itself"),
    ("outline", "0 0; 10", "points"),
    ("outline", "0 0; 1e9 0; 0 5", "on the plan"),
])
def test_invalid_values_are_named_and_kept(client, login_as, field, value, message):
    login_as("admin")
    response = client.post("/sites/new", data=_form(**{field: value}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="Корпус"' in page  # what was typed is kept


def test_control_characters_are_refused(client, login_as):
    login_as("admin")
    response = client.post("/sites/new", data=_form(name="Корпус\x07"))
    assert response.status_code in (200, 400)
    assert client.get("/sites/KZ-X01").status_code == 404


def test_overlapping_outline_is_refused_naming_the_site(client, login_as, make_site):
    make_site("KZ-A01", outline=square(500, 500, 30))
    login_as("admin")
    response = client.post("/sites/new", data=_form(outline=square(510, 510, 30)))
    assert "overlaps site(s) KZ-A01" in response.get_data(as_text=True)
    touching = client.post("/sites/new", data=_form(outline=square(530, 500, 30)))
    assert touching.status_code == 302  # neighbours share a border


def test_overlap_on_the_other_side_is_no_overlap(client, login_as, make_site):
    make_site("UZ-A01", side="UZ", outline=square(500, 500, 30))
    login_as("admin")
    assert client.post("/sites/new", data=_form(outline=square(500, 500, 30))).status_code == 302


def test_edit_changes_and_audits_and_refuses_a_stale_version(app, client, login_as, make_site, get_site):
    make_site("KZ-E01", outline=square(0, 0, 20))
    login_as("admin")
    assert client.get("/sites/KZ-E01/edit").status_code == 200
    data = _form(code="ignored", power_kw="999", outline=square(0, 0, 20), version="1")
    assert client.post("/sites/KZ-E01/edit", data=data).status_code == 302
    site = get_site("KZ-E01")
    assert str(site.power_kw) == "999.00" and site.version == 2 and site.code == "KZ-E01"
    assert _audit(app, "site.update")[0].details["changes"]["power_kw"][1] == "999.00"
    stale = client.post("/sites/KZ-E01/edit", data={**data, "power_kw": "1"})
    assert stale.status_code == 409
    assert str(get_site("KZ-E01").power_kw) == "999.00"


def test_admin_cannot_lease_by_hand(client, login_as, make_site):
    make_site("KZ-E02")
    login_as("admin")
    response = client.post("/sites/KZ-E02/edit", data=_form(status="leased", version="1",
                                                             outline=square(3000, 3000, 10)))
    assert "not possible here" in response.get_data(as_text=True)


# --- the public list and the plan ---------------------------------------------------------------------------

def test_public_api_lists_sites_with_filters(client, make_site):
    make_site("KZ-L01", power_kw="450.5")
    make_site("UZ-L01", side="UZ", kind="plot")
    body = client.get("/api/v1/sites").get_json()
    assert set(body) == {"items"}
    first = next(i for i in body["items"] if i["code"] == "KZ-L01")
    assert first == {"code": "KZ-L01", "side": "KZ", "kind": "building", "area_m2": "500",
                     "utilities": {"power_kw": "450.5", "water_m3_day": "20", "gas_m3_h": "5"}, "status": "free"}
    assert [i["code"] for i in client.get("/api/v1/sites?side=UZ").get_json()["items"]] == ["UZ-L01"]
    assert client.get("/api/v1/sites?status=leased").get_json()["items"] == []
    assert client.get("/api/v1/sites?side=XX").status_code == 422
    assert client.get("/api/v1/sites?status=gone").status_code == 422


def test_admin_api_creates_and_patches(client, make_user, api_token):
    headers = api_token(make_user("admin"))
    created = client.post("/api/v1/sites", headers=headers, json=_form(code="KZ-J01"))
    assert created.status_code == 201, created.get_json()
    bad = client.post("/api/v1/sites", headers=headers, json=_form(code="KZ-J02", area_m2=-1))
    assert bad.status_code == 422 and "area_m2" in bad.get_json()["error"]["fields"]
    nan = client.post("/api/v1/sites", headers=headers, json=_form(code="KZ-J03", area_m2=math.inf))
    assert nan.status_code in (400, 422)
    patched = client.patch("/api/v1/sites/KZ-J01", headers=headers, json={"version": 1, "power_kw": "10"})
    assert patched.status_code == 200 and patched.get_json()["utilities"]["power_kw"] == "10"
    stale = client.patch("/api/v1/sites/KZ-J01", headers=headers, json={"version": 1, "power_kw": "11"})
    assert stale.status_code == 409
    reviewer = api_token(make_user("reviewer"))
    assert client.post("/api/v1/sites", headers=reviewer, json=_form(code="KZ-J04")).status_code == 403


def test_public_plan_shows_free_sites_only_and_staff_see_all(app, client, login_as, make_site):
    make_site("KZ-V01")
    make_site("KZ-V02")
    from zone.extensions import db
    from zone.sites import queries
    with app.test_request_context(method="POST"):
        queries.by_code("KZ-V02").status = "reserved"
        db.session.commit()
    public = client.get("/sites?side=KZ").get_data(as_text=True)
    assert "KZ-V01" in public and "KZ-V02" not in public
    assert "<svg" in public and 'href="/sites/KZ-V01"' in public and "<table" in public
    assert "http" not in public.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org/2000/svg", "")
    assert client.get("/sites/KZ-V02").status_code == 404
    login_as("reviewer")
    staff = client.get("/sites?side=KZ").get_data(as_text=True)
    assert "KZ-V01" in staff and "KZ-V02" in staff
    assert client.get("/sites/KZ-V02").status_code == 200


# --- the surveyor's CSV ----------------------------------------------------------------------------------------

def _upload(client, content: bytes):
    return client.post("/sites/import", data={"file": (io.BytesIO(content), "sites.csv")},
                       content_type="multipart/form-data")


def test_demo_csv_imports_and_imports_again(app, client, login_as):
    login_as("admin")
    first = _upload(client, DEMO_CSV.read_bytes())
    assert first.status_code == 200
    text = first.get_data(as_text=True)
    assert "Imported: 18 new" in text, text[:3000]
    again = _upload(client, DEMO_CSV.read_bytes()).get_data(as_text=True)
    assert "0 new, 0 changed, 18 unchanged" in again
    items = client.get("/api/v1/sites").get_json()["items"]
    assert {i["side"] for i in items} == {"KZ", "UZ"}
    assert any(i["code"].startswith("KZ-B") and float(i["utilities"]["power_kw"]) >= 400 for i in items)


def test_bad_rows_are_listed_by_line_and_nothing_is_imported(client, login_as):
    login_as("admin")
    rows = [
        "KZ-C01,KZ,building,A,100,10,1,1,5,USD,free,\"0 0; 10 0; 10 10; 0 10\"",
        "KZ-C02,KZ,building,B,-100,10,1,1,5,USD,free,\"20 0; 30 0; 30 10; 20 10\"",
        "KZ-C03,RU,building,C,100,10,1,1,5,USD,free,\"40 0; 50 0; 50 10; 40 10\"",
        "KZ-C04,KZ,building,D,100,10,1,1,5,USD,free,\"5 5; 15 5; 15 15; 5 15\"",
        "KZ-C05,KZ,plot,E,NaN,10,1,1,5,USD,free,\"60 0; 70 0; 70 10; 60 10\"",
        "KZ-C01,KZ,plot,F,100,10,1,1,5,USD,free,\"80 0; 90 0; 90 10; 80 10\"",
    ]
    response = _upload(client, (HEADER + "\n".join(rows) + "\n").encode())
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    assert "Line 3" in page and "negative" in page
    assert "Line 4" in page and "Unknown side" in page
    assert "Line 5" in page and "overlaps site(s) KZ-C01 (line 2)" in page
    assert "Line 6" in page and "finite" in page
    assert "Line 7" in page and "also on line 2" in page
    assert client.get("/api/v1/sites").get_json()["items"] == []


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"code;side\nX;Y\n", "Missing columns"),
    (b"", "Missing columns"),
    (HEADER.encode() + b"KZ-Z1,KZ,building,A,100,1,1,1,5,USD,free,\"0 0; 1 0; 1 1; 0 1\",extra\n", "more cells"),
])
def test_unreadable_files_are_refused(client, login_as, content, message):
    login_as("admin")
    page = _upload(client, content).get_data(as_text=True)
    assert message in page


def test_cli_import(app, runner, tmp_path):
    result = runner.invoke(args=["sites", "import", str(DEMO_CSV)])
    assert result.exit_code == 0, result.output
    assert "18 new" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "KZ-Q1,KZ,building,A,-1,1,1,1,5,USD,free,\"0 0; 1 0; 1 1; 0 1\"\n", encoding="utf-8")
    result = runner.invoke(args=["sites", "import", str(bad)])
    assert result.exit_code != 0
    assert "bad.csv:2:" in result.output and "negative" in result.output
    events = list(_audit(app, "site.create"))
    assert len(events) == 18 and events[0].actor == "cli"


@pytest.mark.parametrize("code", ["%00", "A" * 5000, "KZ-B01%0A", "%E2%80%AE", "..%2F..%2Fetc"])
def test_hostile_site_codes_in_urls_are_404(client, login_as, code):
    assert client.get(f"/sites/{code}").status_code == 404
    assert client.get(f"/api/v1/sites/{code}").status_code == 404
    login_as("admin")
    assert client.get(f"/sites/{code}/edit").status_code == 404
    assert client.get(f"/sites/{code}/lease.pdf").status_code == 404


def test_the_drawn_plan_is_reused_until_a_site_changes(app, client, login_as, make_site, recommended, approve):
    """Plans are kept per app while the side's sites are unchanged; a lease shows at once, on every server."""
    make_site("KZ-C01")
    make_site("KZ-C02")
    assert "KZ-C02" in client.get("/sites?side=KZ").get_data(as_text=True)
    assert "KZ-C02" in client.get("/sites?side=KZ").get_data(as_text=True)  # from the cache
    assert approve(recommended(), site="KZ-C02").status_code == 200
    public = client.get("/sites?side=KZ").get_data(as_text=True)
    assert "KZ-C01" in public and "KZ-C02" not in public  # leased: no longer offered
    make_site("KZ-C03")
    assert "KZ-C03" in client.get("/sites?side=KZ").get_data(as_text=True)  # a new site: drawn again
