"""Company self-registration through the HTML form and the API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from zone.accounts.models import User
from zone.audit.models import AuditEvent
from zone.companies.models import Company
from zone.extensions import db


def form(valid_bin, **overrides):
    data = {
        "company_name": "ТОО «Жібек Жолы Текстиль»",
        "registration_country": "KZ",
        "tax_id": valid_bin(),
        "full_name": "Айгерім Сейітова",
        "email": "aigerim@zhibek.kz",
        "password": "a-long-secret-1",
        "password_confirm": "a-long-secret-1",
    }
    data.update(overrides)
    return data


def test_registration_creates_company_and_applicant_and_signs_in(client, ctx, valid_bin):
    data = form(valid_bin)
    response = client.post("/register", data=data)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "aigerim@zhibek.kz"))
    assert user.role == "applicant"
    assert user.company.tax_id == data["tax_id"]
    assert user.company.name == "ТОО «Жібек Жолы Текстиль»"
    assert user.password_hash.startswith("$argon2id$")
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "company.register" in actions and "user.create" in actions
    # signed in: the account page opens
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"tax_id": "123456789012"}, "tax_id", "check digit"),
        ({"tax_id": "12345"}, "tax_id", "12 digits"),
        ({"registration_country": "UZ", "tax_id": "12345678"}, "tax_id", "9 digits"),
        ({"registration_country": "XX"}, "registration_country", ""),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"password": "short", "password_confirm": "short"}, "password", "at least 10"),
        ({"password_confirm": "different-secret"}, "password_confirm", "do not match"),
        ({"company_name": ""}, "company_name", "required"),
        ({"company_name": "x" * 301}, "company_name", "300"),
    ],
)
def test_registration_errors_keep_what_was_typed(client, ctx, valid_bin, overrides, field, message):
    client.get("/?lang=en")
    data = form(valid_bin, **overrides)
    response = client.post("/register?lang=en", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="errors"' in html
    assert message.lower() in html.lower()
    # what the user typed is still in the form (except passwords)
    if field != "email":
        assert 'value="aigerim@zhibek.kz"' in html
    assert db.session.scalar(select(User).where(User.email == "aigerim@zhibek.kz")) is None


def test_uzbek_company_with_stir_registers(client, ctx):
    response = client.post("/register", data=form(lambda: "", registration_country="UZ", tax_id="305123456"))
    assert response.status_code == 302
    assert db.session.scalar(select(Company).where(Company.tax_id == "305123456")).registration_country == "UZ"


def test_an_existing_email_is_told_to_sign_in_or_reset_and_nothing_is_said_of_the_tax_id(client, ctx, valid_bin,
                                                                                         make_user):
    existing = make_user("applicant")
    response = client.post("/register?lang=en", data=form(valid_bin, email=existing.email,
                                                          tax_id=existing.company.tax_id))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Sign in or reset the password" in html and 'href="/password/forgot"' in html
    assert "tax id" not in html.lower().replace("tax identification number", "")
    assert db.session.scalar(select(User.id).where(User.email == existing.email)) == existing.id


def test_registration_page_is_russian_by_default(client):
    html = client.get("/register").get_data(as_text=True)
    assert '<html lang="ru">' in html


class TestApiRegister:
    def body(self, valid_bin, **company):
        return {"email": "api@firm.kz", "password": "a-long-secret-1",
                "company": {"name": "АО Тест", "tax_id": valid_bin(), "registration_country": "KZ", **company}}

    def test_register_returns_user_and_company(self, client, valid_bin):
        response = client.post("/api/v1/register", json=self.body(valid_bin))
        assert response.status_code == 201
        data = response.get_json()
        assert data["user"]["role"] == "applicant" and data["user"]["email"] == "api@firm.kz"
        assert data["company"]["id"] and data["company"]["registration_country"] == "KZ"

    def test_existing_email_is_409(self, client, valid_bin):
        assert client.post("/api/v1/register", json=self.body(valid_bin)).status_code == 201
        response = client.post("/api/v1/register", json=self.body(valid_bin))
        assert response.status_code == 409
        assert response.get_json()["error"]["code"] == "email_taken"

    @pytest.mark.parametrize(
        ("mutate", "field"),
        [
            (lambda b: b.pop("email"), "email"),
            (lambda b: b.update(password=123), "password"),
            (lambda b: b.update(company="nope"), "company"),
            (lambda b: b["company"].update(tax_id="123456789012"), "company.tax_id"),
            (lambda b: b["company"].pop("registration_country"), "company.registration_country"),
            (lambda b: b.update(email="x" * 300 + "@a.kz"), "email"),
            (lambda b: b.update(unexpected=True), "unexpected"),
        ],
    )
    def test_bad_values_are_422_naming_the_field(self, client, valid_bin, mutate, field):
        body = self.body(valid_bin)
        mutate(body)
        response = client.post("/api/v1/register", json=body)
        assert response.status_code == 422, response.get_json()
        assert field in response.get_json()["error"]["fields"]

    @pytest.mark.parametrize("payload", [b"not json", b"[1,2]", b"\xff\xfe", b""])
    def test_malformed_body_is_400(self, client, payload):
        response = client.post("/api/v1/register", data=payload, content_type="application/json")
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "malformed_json"


@pytest.mark.parametrize("path", ["/api/v1/register", "page"])
def test_two_registrations_of_one_email_that_both_pass_the_check_give_409_not_500(client, valid_bin, monkeypatch,
                                                                                  path):
    """Two requests can both find the email free before either inserts (on PostgreSQL they run at once);
    the unique key then refuses the second, which must read as "email taken", with nothing half-made."""
    from zone.companies import registration

    body = {"email": "race@firm.kz", "password": "a-long-secret-1",
            "company": {"name": "АО Гонка", "tax_id": valid_bin(), "registration_country": "KZ"}}
    assert client.post("/api/v1/register", json=body).status_code == 201
    monkeypatch.setattr(registration, "_check_email_free", lambda email: None)  # as if the check ran first
    if path == "page":
        client.post("/logout")
        response = client.post("/register", data=form(valid_bin, email="race@firm.kz", company_name="АО Гонка 2"))
        assert response.status_code == 200, response.status_code
        assert "already exists" in response.get_data(as_text=True) or "уже" in response.get_data(as_text=True)
    else:
        response = client.post("/api/v1/register", json={**body, "company": {**body["company"], "name": "АО 2"}})
        assert response.status_code == 409, response.get_json()
        assert response.get_json()["error"]["code"] == "email_taken"
    with client.application.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "race@firm.kz")) == 1
        assert db.session.scalar(select(func.count()).select_from(Company).where(Company.name.like("АО%2"))) == 0
