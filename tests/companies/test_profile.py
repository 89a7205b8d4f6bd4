"""The company profile: every field saved and audited, validated, identity locked after a submission."""

from __future__ import annotations

import pytest

PROFILE = {
    "name": "ТОО «Туран Агромаш»", "name_en": "Turan Agromash LLP", "legal_form": "ТОО",
    "registration_country": "KZ", "tax_id": "180240012342",
    "address": "Туркестанская область, г. Туркестан, ул. Тауке хана, 12",
    "director_name": "Серікбаев Нұрлан Асқарұлы", "contact_person": "Иванова Анна Сергеевна",
    "phone": "+7 725 331 00 00", "email": "Office@Turan-Agromash.kz",
}


def test_profile_page_shows_and_saves_every_field(client, app, login_as, db_get):
    from zone.audit.models import AuditEvent
    from zone.companies.models import Company
    from zone.extensions import db

    user = login_as("applicant")
    page = client.get("/company").get_data(as_text=True)
    assert user.company.name in page and 'name="tax_id"' in page
    response = client.post("/company", data=PROFILE)
    assert response.status_code == 302
    company = db_get(Company, user.company_id)
    for name, value in PROFILE.items():
        expected = value.lower() if name == "email" else value
        assert getattr(company, name) == expected, name
    with app.app_context():
        entry = db.session.query(AuditEvent).filter_by(action="company.update").one()
        assert entry.actor_id == user.id
        assert entry.details["changes"]["name_en"] == {"from": None, "to": "Turan Agromash LLP"}


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": ""}, "name"),
    ({"name": "x" * 301}, "name"),
    ({"tax_id": "180240012343"}, "tax_id"),  # wrong check digit
    ({"tax_id": "12345"}, "tax_id"),
    ({"registration_country": "UZ", "tax_id": "12345678"}, "tax_id"),
    ({"registration_country": "XX"}, "registration_country"),
    ({"phone": "call me"}, "phone"),
    ({"email": "not-an-email"}, "email"),
    ({"address": "a" * 501}, "address"),
])
def test_invalid_profile_values_are_shown_next_to_the_field(client, login_as, db_get, changes, field):
    from zone.companies.models import Company

    user = login_as("applicant")
    response = client.post("/company", data={**PROFILE, **changes})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    for name, value in changes.items():
        if name != "registration_country":
            assert value in page  # what was typed stays
    assert db_get(Company, user.company_id).name == user.company.name  # nothing saved


def test_an_uzbek_company_uses_its_stir(client, login_as, db_get):
    from zone.companies.models import Company

    user = login_as("applicant")
    response = client.post("/company", data={**PROFILE, "registration_country": "UZ", "tax_id": "301 234 567"})
    assert response.status_code == 302
    company = db_get(Company, user.company_id)
    assert (company.registration_country, company.tax_id) == ("UZ", "301234567")


def test_identity_cannot_change_after_a_submission(client, app, make_user, api_token, login, db_get):
    from tests.applications.conftest import complete_fields, upload
    from zone.companies.models import Company

    user = make_user("applicant")
    headers = api_token(user)
    body = client.post("/api/v1/applications", json=complete_fields("KZ"), headers=headers).get_json()
    for kind in ("charter", "registration_certificate", "director_id", "business_plan", "financial_statements",
                 "proof_of_funds"):
        upload(client, body["id"], kind, headers=headers)
    login(user)
    company = db_get(Company, user.company_id)
    before = {"name": company.name, "registration_country": "KZ", "tax_id": company.tax_id}
    # before submission the tax id may still be corrected
    assert client.post("/company", data={**PROFILE, **before, "tax_id": "180240012342"}).status_code == 302
    assert client.post(f"/api/v1/applications/{body['id']}/submit", headers=headers).status_code == 200
    from tests.conftest import make_valid_bin

    response = client.post("/company", data={**PROFILE, "tax_id": make_valid_bin()})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="tax_id-error"' in page and ("submitted" in page or "подач" in page)
    response = client.post("/company", data={**PROFILE, "registration_country": "UZ", "tax_id": "301234567"})
    assert 'id="registration_country-error"' in response.get_data(as_text=True)
    assert db_get(Company, user.company_id).tax_id == "180240012342"
    # other details may still change
    assert client.post("/company", data={**PROFILE, "phone": "+7 700 000 00 01"}).status_code == 302
    assert db_get(Company, user.company_id).phone == "+7 700 000 00 01"


def test_a_tax_id_another_company_claims_is_accepted_and_flagged_to_staff(client, login_as, make_company, db_get,
                                                                         app):
    from sqlalchemy import select

    from zone.audit.models import AuditEvent
    from zone.companies.models import Company
    from zone.extensions import db

    other = make_company()
    user = login_as("applicant")
    response = client.post("/company?lang=en", data={**PROFILE, "tax_id": other.tax_id})
    assert response.status_code == 302
    assert db_get(Company, user.company_id).tax_id == other.tax_id
    with app.app_context():
        flagged = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "company.claim_disputed")).one()
        assert flagged.object_id == str(user.company_id) and flagged.details["claims"] == [other.id]


@pytest.mark.parametrize("role", ["reviewer", "auditor", "admin"])
def test_only_company_users_have_a_profile_page(client, login_as, role):
    login_as(role)
    assert client.get("/company").status_code == 403
    assert client.post("/company", data=PROFILE).status_code == 403
