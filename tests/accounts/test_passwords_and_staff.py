"""Password reset by emailed token, staff administration and the users CLI."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import PASSWORD
from zone.accounts.models import User
from zone.audit.models import AuditEvent
from zone.extensions import db


def _reset_link(text: str) -> str:
    match = re.search(r"http://zone\.test(/password/reset/\S+)", text)
    assert match, text
    return match.group(1)


def test_password_reset_by_emailed_link(client, make_user, delivered_mail):
    user = make_user("applicant")
    response = client.post("/password/forgot", data={"email": user.email})
    assert response.status_code == 302
    mails = delivered_mail()
    assert len(mails) == 1 and mails[0]["to"] == user.email
    link = _reset_link(mails[0]["body"])
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "fresh-password-42", "password_confirm": "fresh-password-42"})
    assert response.status_code == 302
    # the link is single-use, the new password works, the old one does not
    assert client.get(link).status_code == 302
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert client.post("/login", data={"email": user.email, "password": "fresh-password-42"}).status_code == 302


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(client, delivered_mail):
    response = client.post("/password/forgot", data={"email": "ghost@nowhere.kz"}, follow_redirects=True)
    assert response.status_code == 200
    assert delivered_mail() == []


def test_tampered_reset_token_is_refused(client):
    response = client.get("/password/reset/not-a-real-token")
    assert response.status_code == 302 and "/password/forgot" in response.headers["Location"]


def test_admin_creates_staff_who_gets_a_set_password_link(client, login_as, delivered_mail, ctx):
    login_as("admin")
    response = client.post("/admin/users/new", data={"email": "New.Reviewer@icic-demo.kz", "full_name": "Нурлан",
                                                     "role": "reviewer"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.reviewer@icic-demo.kz"))
    assert user.role == "reviewer" and user.company_id is None
    mails = delivered_mail()
    assert any(m["to"] == "new.reviewer@icic-demo.kz" and "/password/reset/" in m["body"] for m in mails)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create",
                                                      AuditEvent.object_id == str(user.id)))


def test_admin_changes_a_role_and_the_change_is_audited(client, login_as, make_user, ctx):
    login_as("admin")
    staff = make_user("reviewer")
    assert client.post(f"/admin/users/{staff.id}/role", data={"role": "approver"}).status_code == 302
    assert db.session.get(User, staff.id).role == "approver"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.role_change"))
    assert event.details == {"from": "reviewer", "to": "approver"}


def test_admin_cannot_disable_self(client, login_as, ctx):
    admin = login_as("admin")
    client.post(f"/admin/users/{admin.id}/active", data={"active": "0", "confirmed": "1"})
    assert db.session.get(User, admin.id).active is True


def test_staff_pages_are_for_admins_only(client, login_as):
    login_as("reviewer")
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users/new", data={}).status_code == 403


def test_users_cli_creates_accounts(runner, ctx):
    result = runner.invoke(args=["users", "create", "--email", "aud@icic-demo.kz", "--role", "auditor",
                                 "--password", "auditor-password-1"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "aud@icic-demo.kz")).role == "auditor"
    result = runner.invoke(args=["users", "create", "--email", "aud@icic-demo.kz", "--role", "auditor"])
    assert result.exit_code != 0 and "already exists" in result.output
    result = runner.invoke(args=["users", "create", "--email", "x@icic-demo.kz", "--role", "applicant"])
    assert result.exit_code != 0 and "company" in result.output


class TestApiTokens:
    def test_token_round_trip(self, client, make_user):
        user = make_user("auditor")
        response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
        assert response.status_code == 201
        body = response.get_json()
        assert body["token"] and body["expires_at"].endswith("Z")
        headers = {"Authorization": f"Bearer {body['token']}"}
        assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
        assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 401

    def test_tokens_are_stored_hashed(self, client, make_user, ctx):
        from zone.accounts.models import ApiToken

        user = make_user("auditor")
        token = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD}).get_json()["token"]
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
        assert token not in stored and len(stored[0]) == 64

    def test_bad_credentials_are_401(self, client, make_user):
        user = make_user("auditor")
        response = client.post("/api/v1/tokens", json={"email": user.email, "password": "nope-nope-nope"})
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "invalid_credentials"

    def test_cookie_session_does_not_authenticate_the_api(self, client, login_as):
        login_as("auditor")
        assert client.delete("/api/v1/tokens/current").status_code == 401

    def test_password_change_revokes_tokens(self, client, make_user, api_token, login):
        user = make_user("applicant")
        headers = api_token(user)
        login(user)
        client.post("/account", data={"current_password": PASSWORD, "new_password": "another-secret-77",
                                      "new_password_confirm": "another-secret-77"})
        assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 401
