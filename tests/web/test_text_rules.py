"""Control characters in texts are refused at every door, with a message, keeping what was typed.

A single-line text (a name, a title, an email) takes no control character at all; a multi-line text
(a description, a comment, an address) takes line feeds and tabs, ``\\r\\n`` becoming ``\\n``.
"""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

RU_SINGLE = "Уберите переносы строк и невидимые управляющие символы"
EN_SINGLE = "Remove the line breaks and invisible control characters"
RU_MULTI = "Уберите невидимые управляющие символы"

# CR, LF, NUL, other C0 (BEL, ESC, TAB), DEL, C1 (NEL, CSI), the Unicode line separator
CONTROLS = ["\r", "\n", "\r\n", "\x00", "\x07", "\x1b", "\t", "\x7f", "\x85", "\x9b", "\u2028"]
IDS = [f"U+{ord(c[0]):04X}" + ("+LF" if c == "\r\n" else "") for c in CONTROLS]


def _registration(valid_bin, **overrides) -> dict:
    data = {"company_name": "ТОО «Ромашка»", "registration_country": "KZ", "tax_id": valid_bin(),
            "full_name": "Айгерім Сейітова", "email": "owner@romashka.kz", "password": "a-long-secret-1",
            "password_confirm": "a-long-secret-1"}
    data.update(overrides)
    return data


def _companies(app) -> list[str]:
    from zone.companies.models import Company
    from zone.extensions import db

    with app.app_context():
        return list(db.session.scalars(select(Company.name)))


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
def test_registration_form_refuses_a_control_character_in_the_company_name(client, app, valid_bin, control):
    response = client.post("/register", data=_registration(valid_bin, company_name=f"ТОО «Ромашка»{control}Bcc: x"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and RU_SINGLE in page
    assert html.escape("ТОО «Ромашка»") in page and "Bcc: x" in page  # what was typed is still in the form
    assert _companies(app) == []


@pytest.mark.parametrize("field", ["full_name", "email", "tax_id"])
def test_registration_form_refuses_line_breaks_in_every_single_line_field(client, app, valid_bin, field):
    data = _registration(valid_bin)
    data[field] = data[field] + "\r\nX-Injected: 1"
    page = client.post("/register?lang=en", data=data).get_data(as_text=True)
    assert EN_SINGLE in page and _companies(app) == []


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
def test_api_registration_refuses_a_control_character_naming_the_field(client, app, valid_bin, control):
    body = {"email": "api@romashka.kz", "password": "a-long-secret-1", "full_name": f"Имя{control}",
            "company": {"name": f"ТОО «Ромашка»{control}", "tax_id": valid_bin(), "registration_country": "KZ"}}
    response = client.post("/api/v1/register", json=body, headers={"Accept-Language": "ru"})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"company.name", "full_name"} and RU_SINGLE in fields["company.name"][0]
    assert _companies(app) == []


def test_api_multi_line_fields_take_line_breaks_and_tabs_only(client, make_user, api_token):
    headers = api_token(make_user("applicant"))
    created = client.post("/api/v1/applications", headers=headers, json={
        "side": "KZ", "project_title": "Завод", "project_description": "Первая строка\r\nвторая\tс табуляцией"})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["project_description"] == "Первая строка\nвторая\tс табуляцией"

    for body, field in (({"project_title": "Завод\nи склад"}, "project_title"),
                        ({"project_description": "звонок\x07"}, "project_description"),
                        ({"project_description": "старый Mac\rперенос"}, "project_description"),
                        ({"products": [{"name": "Лента", "unit": "м\x85"}]}, "products.0.unit"),
                        ({"capital_shares": {"K\nZ": 100}}, "capital_shares")):
        response = client.post("/api/v1/applications", headers=headers, json={"side": "KZ", **body})
        assert response.status_code == 422, body
        assert field in response.get_json()["error"]["fields"], response.get_json()


def test_api_nul_is_refused_not_silently_dropped(client, make_user, api_token):
    user = make_user("applicant")
    response = client.post("/api/v1/tokens", json={"email": user.email + "\x00", "password": "correct-horse-battery"})
    assert response.status_code == 422 and "email" in response.get_json()["error"]["fields"]


def test_application_section_form_refuses_a_line_break_in_the_title_and_keeps_it(client, app, make_user, login,
                                                                                   api_token):
    from zone.applications.models import Application
    from zone.extensions import db

    owner = make_user("applicant")
    created = client.post("/api/v1/applications", headers=api_token(owner), json={"side": "KZ"}).get_json()
    login(owner)
    response = client.post(f"/applications/{created['id']}/edit/project", data={
        "version": created["version"], "save": "1", "project_title": "Завод\rкапельного орошения",
        "project_description": "Строка один\r\nстрока два"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and RU_SINGLE in page and "капельного орошения" in page
    with app.app_context():
        assert db.session.get(Application, created["id"]).project_title is None  # nothing saved

    response = client.post(f"/applications/{created['id']}/edit/project", data={
        "version": created["version"], "save": "1", "project_title": "Завод капельного орошения",
        "project_description": "Строка один\r\nстрока два"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Application, created["id"]).project_description == "Строка один\nстрока два"


def test_company_profile_refuses_a_carriage_return_in_the_name(client, app, login_as):
    from zone.companies.models import Company
    from zone.extensions import db

    owner = login_as("applicant")
    with app.app_context():
        company = db.session.get(Company, owner.company_id)
        data = {name: getattr(company, name) or "" for name in ("name", "registration_country", "tax_id")}
    response = client.post("/company", data={**data, "name": "ТОО «Новое имя»\rBcc: x",
                                             "address": "г. Туркестан,\r\nул. Тауке хана, 1"})
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 422) and RU_SINGLE in page and "Bcc: x" in page
    with app.app_context():
        assert db.session.get(Company, owner.company_id).name == data["name"]


def test_company_profile_address_takes_several_lines(client, app, login_as):
    from zone.companies.models import Company
    from zone.extensions import db

    owner = login_as("applicant")
    with app.app_context():
        company = db.session.get(Company, owner.company_id)
        data = {name: getattr(company, name) or "" for name in ("name", "registration_country", "tax_id")}
    assert client.post("/company", data={**data, "address": "г. Туркестан,\r\nул. Тауке хана, 1"}).status_code == 302
    with app.app_context():
        assert db.session.get(Company, owner.company_id).address == "г. Туркестан,\nул. Тауке хана, 1"
    page = client.post("/company", data={**data, "address": "г. Туркестан\x0b"}).get_data(as_text=True)
    assert RU_MULTI in page


def test_invitation_refuses_an_address_with_a_line_break(client, app, login_as):
    from zone.companies.records import Invitation
    from zone.extensions import db

    login_as("applicant")
    page = client.post("/company/members", data={"email": "new@example.com\r\nBcc: victim@example.com"})
    assert page.status_code == 200 and RU_SINGLE in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Invitation)).all() == []


def test_staff_form_and_text_areas_follow_the_same_rules(client, app, login_as):
    from zone.accounts.models import User
    from zone.extensions import db

    login_as("admin")
    page = client.post("/admin/users/new?lang=en", data={"email": "staff@icic.kz", "full_name": "Name\u0085Other",
                                                          "role": "reviewer"}).get_data(as_text=True)
    assert EN_SINGLE in page and "Name" in page
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "staff@icic.kz")) is None


def test_login_with_a_nul_in_the_email_is_refused_with_a_message(client, make_user):
    user = make_user("reviewer")
    response = client.post("/login?lang=en", data={"email": user.email + "\x00", "password": "correct-horse-battery"})
    assert response.status_code == 200 and EN_SINGLE in response.get_data(as_text=True)


def test_a_withdrawal_reason_with_a_control_character_is_refused_and_kept(client, app, make_user, login, api_token):
    from zone.applications.models import Application
    from zone.extensions import db

    owner = make_user("applicant")
    created = client.post("/api/v1/applications", headers=api_token(owner), json={"side": "KZ"}).get_json()
    login(owner)
    response = client.post(f"/applications/{created['id']}/withdraw",
                           data={"version": created["version"], "comment": "Передумали\x07 строить"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and RU_MULTI in page and "Передумали" in page and "строить" in page
    with app.app_context():
        assert db.session.get(Application, created["id"]).status == "draft"
    response = client.post(f"/applications/{created['id']}/withdraw",
                           data={"version": created["version"], "comment": "Передумали,\r\nне будем строить"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Application, created["id"]).status == "withdrawn"
