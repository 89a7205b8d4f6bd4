"""Sign-in, sign-out, throttling, session renewal and revocation, inactivity timeout."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from zone.audit.models import AuditEvent
from zone.extensions import db


def test_login_and_logout(client, make_user, ctx):
    user = make_user("reviewer")
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302
    assert "auth.login" in db.session.scalars(select(AuditEvent.action)).all()


def test_sign_out_ends_a_copied_session_cookie(app, client, make_user, login):
    user = make_user("applicant")
    login(user)
    stolen = app.test_client()
    stolen.set_cookie("zone_session", client.get_cookie("zone_session").value)
    assert stolen.get("/account").status_code == 200  # the copy works while the session lives
    assert client.post("/logout").status_code == 302
    response = stolen.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(user)  # signing in again works, with a fresh session
    assert client.get("/account").status_code == 200
    assert stolen.get("/account").status_code == 302


def test_sign_out_is_audited(client, make_user, login, ctx):
    user = make_user("reviewer")
    login(user)
    client.post("/logout")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.logout")).one()
    assert event.actor_id == user.id


def test_wrong_password_is_refused_and_audited(client, make_user, ctx):
    user = make_user("reviewer")
    response = client.post("/login?lang=en", data={"email": user.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert "not right" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302
    failed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).all()
    assert failed and failed[-1].details["reason"] == "bad_password"


def test_unknown_email_gets_the_same_message(client):
    response = client.post("/login?lang=en", data={"email": "nobody@x.kz", "password": "whatever-it-is"})
    assert "not right" in response.get_data(as_text=True)


def test_disabled_account_cannot_sign_in(client, make_user):
    user = make_user("auditor", active=False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200


def test_next_redirects_only_to_local_paths(client, make_user):
    user = make_user("reviewer")
    home = "/review"  # a reviewer's landing page (tests/accounts/test_landing.py)
    for target, expected in [("/account", "/account"), ("https://evil.example/x", home),
                             ("//evil.example", home), ("/\\evil.example", home), ("javascript:alert(1)", home)]:
        client.post("/logout")
        response = client.post(f"/login?next={target}", data={"email": user.email, "password": PASSWORD})
        assert response.headers["Location"] == expected, target


def test_session_is_renewed_at_login(client, make_user):
    user = make_user("reviewer")
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}:")


def test_password_change_ends_other_sessions(app, client, make_user, login):
    user = make_user("applicant")
    other = app.test_client()
    login(user, the_client=other)
    login(user)
    response = client.post("/account", data={"current_password": PASSWORD, "new_password": "brand-new-secret-9",
                                             "new_password_confirm": "brand-new-secret-9"})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # this session stays
    assert other.get("/account").status_code == 302  # the other one is over


def test_disabling_an_account_ends_its_session(app, client, make_user, login):
    admin = make_user("admin")
    victim = make_user("reviewer")
    victim_client = app.test_client()
    login(victim, the_client=victim_client)
    assert victim_client.get("/account").status_code == 200
    login(admin)
    asked = client.post(f"/admin/users/{victim.id}/active?lang=en", data={"active": "0"})
    assert "Disable the account of" in asked.get_data(as_text=True)
    assert victim_client.get("/account").status_code == 200  # asked, not done
    response = client.post(f"/admin/users/{victim.id}/active", data={"active": "0", "confirmed": "1"})
    assert response.status_code == 302
    assert victim_client.get("/account").status_code == 302


def test_inactivity_timeout_signs_out(client, make_user, login):
    user = make_user("reviewer")
    login(user)
    with client.session_transaction() as session:
        session["last_seen"] = session["last_seen"] - 31 * 60
    response = client.get("/account")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.get("/account").status_code == 302


@pytest.fixture
def app_overrides():
    return {}


class TestThrottle:
    @pytest.fixture
    def app_overrides(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute",
                "LOGIN_LIMIT_PER_IP": "6 per minute"}

    def test_failed_logins_are_throttled_per_account(self, client, make_user):
        user = make_user("reviewer")
        for _ in range(3):
            assert client.post("/login", data={"email": user.email, "password": "wrong-one-x"}).status_code == 200
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 429
        assert "Too many" in response.get_data(as_text=True) or "Слишком" in response.get_data(as_text=True)

    def test_logins_are_throttled_per_address(self, client):
        statuses = [client.post("/login", data={"email": f"u{i}@x.kz", "password": "wrong-one-x"}).status_code
                    for i in range(8)]
        assert statuses[:6] == [200] * 6 and statuses[6:] == [429, 429]

    def test_api_tokens_are_throttled_with_json(self, client, make_user):
        user = make_user("reviewer")
        for _ in range(3):
            client.post("/api/v1/tokens", json={"email": user.email, "password": "bad-password"})
        response = client.post("/api/v1/tokens", json={"email": user.email, "password": "bad-password"})
        assert response.status_code == 429
        assert response.get_json()["error"]["code"] == "throttled"
