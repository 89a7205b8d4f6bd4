"""The application form in the browser: sections saved one by one, errors next to the fields, typed values
kept, rows added without JavaScript, OKED search, stale saves, the overview, submission."""

from __future__ import annotations

import html
import io
import re

import pytest

from tests.applications.conftest import PDF, REQUIRED_KINDS


def version_of(page: str) -> str:
    match = re.search(r'name="version"[^>]*value="(\d+)"', page) or re.search(r'value="(\d+)"[^>]*name="version"', page)
    assert match, "no version field"
    return match.group(1)


def open_section(client, application_id: int, section: str) -> str:
    response = client.get(f"/applications/{application_id}/edit/{section}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def save(client, application_id: int, section: str, data: dict, **extra):
    version = version_of(open_section(client, application_id, section))
    return client.post(f"/applications/{application_id}/edit/{section}",
                       data={"version": version, "save": "1", **data}, **extra)


SECTIONS = {
    "project": {"project_title": "Завод капельного орошения", "project_description": "Ленты и трубки из ПЭ.",
                "sector": "plastics", "activity_codes": "22.21, 22.29"},
    "products": {"products-0-name": "Лента капельного орошения", "products-0-hs_code": "3917 32",
                 "products-0-annual_volume": "12 000 000", "products-0-unit": "м",
                 "products-2-name": "Трубка", "products-2-hs_code": "3917.23", "products-2-annual_volume": "1,5",
                 "products-2-unit": "т"},
    "investment": {"investment_amount": "2 500 000", "investment_currency": "USD", "own_funds_share": "40",
                   "capital_shares-0-country": "KZ", "capital_shares-0-percent": "60",
                   "capital_shares-1-country": "UZ", "capital_shares-1-percent": "40"},
    "operations": {"jobs_total": "120", "jobs_local": "100", "land_area_ha": "2,5", "building_area_m2": "",
                   "priority_income_share": "95", "has_branches_outside_zone": "no", "export_share": "30"},
    "timeline": {"construction_start": "2026-09-01", "production_start": "01.06.2027"},
}


@pytest.fixture
def new_draft(client):
    def _new(side: str = "KZ") -> int:
        response = client.post("/applications/new", data={"side": side})
        assert response.status_code == 302
        return int(re.search(r"/applications/(\d+)/edit/project", response.headers["Location"]).group(1))

    return _new


@pytest.mark.parametrize("side", ["KZ", "UZ"])
def test_fill_attach_and_submit_in_the_browser(client, app, login_as, make_company, new_draft, side, db_get):
    from zone.applications.models import Application

    company = make_company(registration_country=side)
    user = login_as("applicant", company=company)
    assert client.get("/applications").status_code == 200
    application_id = new_draft(side)
    for section, data in SECTIONS.items():
        if side == "UZ" and section == "operations":
            data = {k: v for k, v in data.items() if k not in ("priority_income_share", "has_branches_outside_zone")}
        response = save(client, application_id, section, data)
        assert response.status_code == 302, (section, response.get_data(as_text=True)[:3000])
    overview = client.get(f"/applications/{application_id}").get_data(as_text=True)
    assert "Charter" in overview or "Устав" in overview  # documents still missing
    for kind in REQUIRED_KINDS:
        response = client.post(f"/applications/{application_id}/documents",
                               data={"kind": kind, "file": (io.BytesIO(PDF), f"{kind}.pdf")},
                               content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    saved = db_get(Application, application_id)
    assert saved.products == [
        {"name": "Лента капельного орошения", "hs_code": "391732", "annual_volume": "12000000", "unit": "м"},
        {"name": "Трубка", "hs_code": "391723", "annual_volume": "1.5", "unit": "т"}]
    assert saved.capital_shares == {"KZ": "60", "UZ": "40"}
    assert str(saved.investment_amount) == "2500000.00" and str(saved.land_area_ha) == "2.5000"
    assert saved.production_start.isoformat() == "2027-06-01"
    assert saved.has_branches_outside_zone is (False if side == "KZ" else None)
    page = client.get(f"/applications/{application_id}").get_data(as_text=True)
    response = client.post(f"/applications/{application_id}/submit", data={"version": version_of(page)})
    problems = re.findall(r'<li><a href="[^"]*">[^<]*</a></li>', response.get_data(as_text=True))
    assert response.status_code == 302, problems
    submitted = db_get(Application, application_id)
    assert submitted.status == "submitted" and re.fullmatch(r"A-\d{4}-00001", submitted.number)
    page = client.get(f"/applications/{application_id}").get_data(as_text=True)
    assert submitted.number in page
    dashboard = client.get("/applications").get_data(as_text=True)
    assert submitted.number in dashboard
    assert user.company_id == company.id


def test_a_draft_needs_a_side_in_the_browser(client, login_as):
    login_as("applicant")
    response = client.post("/applications/new", data={})
    assert response.status_code == 200
    assert 'aria-invalid' in response.get_data(as_text=True) or "errors" in response.get_data(as_text=True)


INVALID = [
    ("project", {"project_title": "x" * 301}, "project_title"),
    ("project", {"sector": "mining"}, "sector"),
    ("project", {"activity_codes": "22.21, банан"}, "activity_codes"),
    ("products", {"products-1-name": "Лента", "products-1-hs_code": "12"}, "products-1-hs_code"),
    ("products", {"products-0-name": "Лента", "products-0-annual_volume": "-3"}, "products-0-annual_volume"),
    ("products", {"products-0-name": "Лента", "products-0-annual_volume": "много"}, "products-0-annual_volume"),
    ("investment", {"investment_amount": "0"}, "investment_amount"),
    ("investment", {"investment_amount": "10000000000000000"}, "investment_amount"),
    ("investment", {"investment_amount": "12.345"}, "investment_amount"),
    ("investment", {"investment_currency": "EUR"}, "investment_currency"),
    ("investment", {"own_funds_share": "101"}, "own_funds_share"),
    ("investment", {"capital_shares-0-country": "KZ", "capital_shares-0-percent": "60",
                    "capital_shares-1-country": "UZ", "capital_shares-1-percent": "30"}, "capital_shares"),
    ("investment", {"capital_shares-0-country": "KZ", "capital_shares-0-percent": "50",
                    "capital_shares-1-country": "KZ", "capital_shares-1-percent": "50"}, "capital_shares-1-country"),
    ("investment", {"capital_shares-0-country": "XX", "capital_shares-0-percent": "100"}, "capital_shares-0-country"),
    ("investment", {"capital_shares-0-country": "KZ", "capital_shares-0-percent": ""}, "capital_shares-0-percent"),
    ("operations", {"jobs_total": "12.5"}, "jobs_total"),
    ("operations", {"jobs_total": "-1"}, "jobs_total"),
    ("operations", {"jobs_total": "10", "jobs_local": "11"}, "jobs_local"),
    ("operations", {"land_area_ha": "0"}, "land_area_ha"),
    ("operations", {"priority_income_share": "-1"}, "priority_income_share"),
    ("operations", {"export_share": "100.5"}, "export_share"),
    ("operations", {"has_branches_outside_zone": "maybe"}, "has_branches_outside_zone"),
    ("timeline", {"construction_start": "2026-02-30"}, "construction_start"),
    ("timeline", {"construction_start": "1899-01-01"}, "construction_start"),
    ("timeline", {"construction_start": "2027-01-01", "production_start": "2026-12-31"}, "production_start"),
]


@pytest.mark.parametrize(("section", "data", "field_id"), INVALID, ids=[f"{s}-{f}" for s, _d, f in INVALID])
def test_every_rule_shows_its_error_next_to_the_field_and_keeps_what_was_typed(client, login_as, new_draft, db_get,
                                                                               section, data, field_id):
    from zone.applications.models import Application

    login_as("applicant")
    application_id = new_draft("KZ")
    response = save(client, application_id, section, data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page
    assert f'href="#{field_id}"' in page  # the summary links to the field
    if field_id not in ("capital_shares", "has_branches_outside_zone"):
        assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field_id}"', page) \
            or re.search(rf'<[^>]*id="{field_id}"', page)
    for name, value in data.items():  # every typed value is shown again
        if name.endswith("country") or name in ("sector", "investment_currency", "has_branches_outside_zone"):
            continue
        assert f'value="{html.escape(value)}"' in page or f">{html.escape(value)}</textarea>" in page, name
    assert db_get(Application, application_id).version == 1  # nothing saved


def test_hostile_text_is_kept_as_text_and_escaped(client, login_as, new_draft, db_get):
    from zone.applications.models import Application

    login_as("applicant")
    application_id = new_draft("KZ")
    evil = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>\x00'
    assert save(client, application_id, "project", {"project_title": evil, "project_description": evil}).status_code \
        == 302
    saved = db_get(Application, application_id)
    assert saved.project_title == evil.replace("\x00", "")
    for url in (f"/applications/{application_id}", f"/applications/{application_id}/edit/project", "/applications"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_more_rows_without_javascript_keeps_typed_rows(client, login_as, new_draft, db_get):
    from zone.applications.models import Application

    login_as("applicant")
    application_id = new_draft("KZ")
    page = open_section(client, application_id, "products")
    assert "products-4-name" in page and "products-5-name" not in page
    response = client.post(f"/applications/{application_id}/edit/products",
                           data={"version": version_of(page), "products-0-name": "Насос", "more_rows": "1"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "products-9-name" in page and 'value="Насос"' in page
    assert db_get(Application, application_id).products is None  # not saved yet
    data = {f"products-{i}-{p}": "" for i in range(10) for p in ("name", "hs_code", "annual_volume", "unit")}
    data.update({"products-8-name": "Фильтр", "products-8-hs_code": "842121", "products-8-annual_volume": "500",
                 "products-8-unit": "шт"})
    response = client.post(f"/applications/{application_id}/edit/products",
                           data={"version": version_of(page), "save": "1", **data})
    assert response.status_code == 302
    assert db_get(Application, application_id).products == [
        {"name": "Фильтр", "hs_code": "842121", "annual_volume": "500", "unit": "шт"}]
    page = open_section(client, application_id, "products")
    assert 'value="Фильтр"' in page and "products-4-name" in page  # saved rows first, blank rows after


def test_a_row_error_points_at_the_row_the_user_typed_in(client, login_as, new_draft):
    login_as("applicant")
    application_id = new_draft("KZ")
    response = save(client, application_id, "products", {"products-3-name": "Лента", "products-3-hs_code": "39"})
    page = response.get_data(as_text=True)
    assert 'href="#products-3-hs_code"' in page
    assert re.search(r'id="products-3-hs_code"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="products-3-hs_code"',
                     page)


def test_oked_search_and_add_without_javascript(client, login_as, new_draft, db_get):
    from zone.applications.models import Application

    login_as("applicant")
    application_id = new_draft("KZ")
    page = open_section(client, application_id, "project")
    response = client.post(f"/applications/{application_id}/edit/project",
                           data={"version": version_of(page), "project_title": "Насосы", "activity_codes": "25.11",
                                 "activity_query": "28.1", "search_codes": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'value="Насосы"' in page
    assert 'name="add_code" value="28.13"' in page or 'name="add_code" value="28.1"' in page
    response = client.post(f"/applications/{application_id}/edit/project",
                           data={"version": version_of(page), "project_title": "Насосы", "activity_codes": "25.11",
                                 "activity_query": "28.1", "add_code": "28.13"})
    page = response.get_data(as_text=True)
    assert 'value="25.11, 28.13"' in page
    assert db_get(Application, application_id).activity_codes is None  # search and add do not save
    response = client.post(f"/applications/{application_id}/edit/project",
                           data={"version": version_of(page), "save": "1", "activity_codes": "25.11, 28.13, 46.69"})
    assert response.status_code == 302
    page = open_section(client, application_id, "project")
    assert "46.69" in page and ("not manufacturing" in page or "не обрабатывающее" in page or "tag bad" in page)


def test_stale_save_in_the_browser_tells_who_changed_what_and_keeps_the_typed_values(client, app, login_as,
                                                                                   make_user, new_draft, db_get):
    from zone.applications.models import Application

    me = login_as("applicant")
    application_id = new_draft("KZ")
    page = open_section(client, application_id, "operations")
    opened_at = version_of(page)
    colleague = make_user("applicant", company=me.company, full_name="Дина Коллегова")
    other = app.test_client()
    other.post("/login", data={"email": colleague.email, "password": "correct-horse-battery"})
    assert save(other, application_id, "operations", {"jobs_total": "50"}).status_code == 302

    response = client.post(f"/applications/{application_id}/edit/operations",
                           data={"version": opened_at, "save": "1", "jobs_total": "70", "jobs_local": "60"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Дина Коллегова" in page
    assert 'value="70"' in page and 'value="60"' in page  # what I typed
    assert ">50<" in page  # what is saved now, shown next to it
    assert db_get(Application, application_id).jobs_total == 50
    # having seen the conflict, saving again keeps my values
    response = client.post(f"/applications/{application_id}/edit/operations",
                           data={"version": version_of(page), "save": "1", "jobs_total": "70", "jobs_local": "60"})
    assert response.status_code == 302
    assert db_get(Application, application_id).jobs_total == 70


def test_overview_lists_what_is_missing_with_links(client, login_as, new_draft):
    login_as("applicant")
    application_id = new_draft("KZ")
    save(client, application_id, "project", {"project_title": "Завод"})
    page = client.get(f"/applications/{application_id}").get_data(as_text=True)
    assert f'href="/applications/{application_id}/edit/project#sector"' in page
    assert f'href="/applications/{application_id}/edit/investment#capital_shares"' in page
    assert f'href="/applications/{application_id}/documents#documents-charter"' in page
    assert '/edit/project#project_title"' not in page


def test_submit_in_the_browser_lists_what_is_missing(client, login_as, new_draft, db_get):
    from zone.applications.models import Application

    login_as("applicant")
    application_id = new_draft("UZ")
    page = client.get(f"/applications/{application_id}").get_data(as_text=True)
    response = client.post(f"/applications/{application_id}/submit", data={"version": version_of(page)})
    assert response.status_code == 200  # the overview again, listing what to complete
    page = response.get_data(as_text=True)
    assert 'id="submit-problems-title"' in page
    assert f'/applications/{application_id}/edit/timeline#production_start' in page
    assert db_get(Application, application_id).status == "draft"


def test_sections_of_a_submitted_application_cannot_be_edited(client, login_as, applicant_headers, applicant,
                                                              submitted_application, login):
    body = submitted_application(applicant_headers)
    login(applicant)
    response = client.get(f"/applications/{body['id']}/edit/project")
    assert response.status_code == 302
    response = client.post(f"/applications/{body['id']}/edit/project",
                           data={"version": str(body["version"]), "save": "1", "project_title": "Новое"})
    assert response.status_code == 302
    assert client.get(f"/applications/{body['id']}/edit/nonsense").status_code == 404


def test_form_without_version_is_refused(client, login_as, new_draft):
    login_as("applicant")
    application_id = new_draft("KZ")
    response = client.post(f"/applications/{application_id}/edit/project", data={"save": "1", "project_title": "X"})
    assert response.status_code == 400
