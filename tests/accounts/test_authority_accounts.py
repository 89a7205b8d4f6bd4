"""Accounts of the tax and customs authorities: an admin makes them (page or CLI) for one side, audited like
staff accounts; they sign in for their own account and a token, and nothing else of zone admits them."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import PASSWORD
from zone.accounts.models import User
from zone.audit.models import AuditEvent
from zone.extensions import db


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def test_admin_creates_an_authority_of_one_side_on_the_staff_page(client, login_as, delivered_mail, ctx):
    admin = login_as("admin")
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert 'name="side"' in page and 'value="authority"' in page
    response = client.post("/admin/users/new", data={"email": "Notices@kgd.gov.kz", "full_name": "КГД МФ РК",
                                                     "role": "authority", "side": "KZ"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    user = _user("notices@kgd.gov.kz")
    assert user.role == "authority" and user.side == "KZ" and user.company_id is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create",
                                                       AuditEvent.object_id == str(user.id)))
    assert event.actor_id == admin.id
    assert event.details == {"email": "notices@kgd.gov.kz", "role": "authority", "side": "KZ"}
    assert any(m["to"] == "notices@kgd.gov.kz" and "/password/reset/" in m["body"] for m in delivered_mail())
    listing = client.get("/admin/users?role=authority").get_data(as_text=True)
    assert "notices@kgd.gov.kz" in listing and "(KZ)" in listing


def test_an_authority_needs_a_side_and_staff_have_none(client, login_as, ctx):
    login_as("admin")
    response = client.post("/admin/users/new", data={"email": "customs@uz.example", "full_name": "Таможня",
                                                     "role": "authority", "side": ""})
    assert response.status_code == 200
    assert "Choose the side" in response.get_data(as_text=True) or "сторону" in response.get_data(as_text=True)
    assert 'value="customs@uz.example"' in response.get_data(as_text=True)  # what was typed is kept
    response = client.post("/admin/users/new", data={"email": "rev@icic-demo.kz", "full_name": "Рев",
                                                     "role": "reviewer", "side": "UZ"})
    assert response.status_code == 200
    assert _user("customs@uz.example") is None and _user("rev@icic-demo.kz") is None


def test_users_cli_creates_an_authority_with_its_side(runner, ctx):
    result = runner.invoke(args=["users", "create", "--email", "customs@uz.example", "--role", "authority",
                                 "--side", "UZ", "--password", "customs-password-1"])
    assert result.exit_code == 0, result.output
    assert "authority of UZ" in result.output
    user = _user("customs@uz.example")
    assert (user.role, user.side) == ("authority", "UZ")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create",
                                                      AuditEvent.object_id == str(user.id))).details["side"] == "UZ"
    result = runner.invoke(args=["users", "create", "--email", "tax@kz.example", "--role", "authority"])
    assert result.exit_code != 0 and "side" in result.output
    assert _user("tax@kz.example") is None


def test_an_authority_is_never_converted_to_staff_or_back(client, login_as, make_user, ctx):
    login_as("admin")
    authority, reviewer = make_user("authority", side="KZ"), make_user("reviewer")
    client.post(f"/admin/users/{authority.id}/role", data={"role": "auditor"})
    client.post(f"/admin/users/{reviewer.id}/role", data={"role": "authority"})
    assert db.session.get(User, authority.id).role == "authority"
    assert db.session.get(User, reviewer.id).role == "reviewer"
    assert not db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.role_change"))


def test_an_authority_signs_in_for_its_own_account_and_a_token_only(client, make_user):
    authority = make_user("authority", side="KZ")
    assert client.post("/login", data={"email": authority.email, "password": PASSWORD}).status_code == 302
    assert client.get("/account").status_code == 200
    assert client.get("/").status_code == 200
    for page in ("/applications", "/review", "/admin/users", "/notices"):
        response = client.get(page)
        assert response.status_code in (403, 404), (page, response.status_code)
    token = client.post("/api/v1/tokens", json={"email": authority.email, "password": PASSWORD})
    assert token.status_code == 201
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    assert client.get("/api/v1/events", headers=headers).status_code == 200
    for path in ("/api/v1/applications", "/api/v1/certificates", "/api/v1/agreements", "/api/v1/subscriptions",
                 "/api/v1/notices/eaeu-register.csv", "/api/v1/audit/events"):
        response = client.get(path, headers=headers)
        assert response.status_code in (403, 404), (path, response.status_code)
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert client.get("/api/v1/events", headers=headers).status_code == 401
    page = client.get("/account").get_data(as_text=True)
    assert re.search(r"/api/v1/events", page)
