"""Throttling of sign-in, registration and password-reset requests.

Sign-in failures count per address and account together: nobody can lock the owner out by failing on
purpose from elsewhere. An account that collects failures from many addresses slows each failing address
down, longer after every failure, while the right password from an address that has not failed still
signs in. Registration and reset requests are limited per address. Every refusal is audited.

The clock is frozen where the test reads a waiting time, so nothing depends on how fast the test runs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from tests.conftest import PASSWORD
from zone.audit.models import AuditEvent
from zone.extensions import db

OWNER_ADDRESS = "192.0.2.10"
ATTACKER = "198.51.100.66"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute;10 per hour",
            "LOGIN_LIMIT_PER_IP": "100 per minute", "REGISTER_LIMIT_PER_IP": "2 per minute",
            "RESET_LIMIT_PER_IP": "2 per minute"}


def sign_in(client, email, password, address):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def throttled_events(action="auth.login_throttled"):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)).all()


def test_failures_from_another_address_never_lock_out_the_owner(client, make_user):
    user = make_user("applicant")
    statuses = [sign_in(client, user.email, "wrong-password", ATTACKER).status_code for _ in range(6)]
    assert statuses == [200, 200, 200, 429, 429, 429]
    assert sign_in(client, user.email, PASSWORD, OWNER_ADDRESS).status_code == 302


def test_the_failing_address_is_refused_on_that_account_only_and_the_refusal_is_audited(client, make_user, ctx):
    user, other = make_user("applicant"), make_user("applicant")
    for _ in range(3):
        assert sign_in(client, user.email, "wrong-password", ATTACKER).status_code == 200
    response = sign_in(client, user.email, PASSWORD, ATTACKER)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert sign_in(client.application.test_client(), other.email, PASSWORD, ATTACKER).status_code == 302
    refused = throttled_events()
    assert len(refused) == 1
    assert refused[0].ip == ATTACKER and refused[0].actor == user.email
    assert refused[0].details["limit"] == "address_and_account"


def test_the_page_and_the_api_share_the_counters(client, make_user):
    user = make_user("reviewer")
    for _ in range(3):
        sign_in(client, user.email, "wrong-password", ATTACKER)
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": ATTACKER})
    assert response.status_code == 429 and response.get_json()["error"]["code"] == "throttled"
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": OWNER_ADDRESS})
    assert response.status_code == 201


def test_an_unknown_email_is_throttled_like_a_known_one(client, make_user):
    user = make_user("reviewer")
    known = [sign_in(client, user.email, "wrong-password", ATTACKER).status_code for _ in range(4)]
    unknown = [sign_in(client, "nobody@example.com", "wrong-password", ATTACKER).status_code for _ in range(4)]
    assert known == unknown == [200, 200, 200, 429]


def test_failures_from_many_addresses_slow_each_failing_address_progressively(client, make_user, ctx):
    user = make_user("applicant")
    with time_machine.travel(NOW, tick=False) as clock:
        # Three failures are free (the smallest per-account amount); after that each address that fails
        # waits before it is heard again on this account: 2, 4, 8… seconds.
        for i in range(6):
            assert sign_in(client, user.email, "wrong-password", f"203.0.113.{i}").status_code == 200
        for i in (3, 4, 5):
            response = sign_in(client, user.email, PASSWORD, f"203.0.113.{i}")
            assert response.status_code == 429
        # an address that has not failed signs in with the right password at once
        assert sign_in(client, user.email, PASSWORD, OWNER_ADDRESS).status_code == 302
        # once its wait is over the address is heard again, and its next failure waits longer still
        clock.shift(timedelta(seconds=9))
        other = client.application.test_client()
        assert sign_in(other, user.email, "wrong-password", "203.0.113.5").status_code == 200
        response = sign_in(other, user.email, PASSWORD, "203.0.113.5")
        assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 16
    delayed = [e for e in throttled_events() if e.details["limit"] == "delay"]
    assert [(e.ip, e.details["retry_after"]) for e in delayed] == [
        ("203.0.113.3", 2), ("203.0.113.4", 4), ("203.0.113.5", 8), ("203.0.113.5", 16)]


def test_the_progressive_delay_has_a_ceiling(client, make_user, ctx):
    user = make_user("applicant")
    with time_machine.travel(NOW, tick=False):
        for i in range(40):
            sign_in(client, user.email, "wrong-password", f"203.0.113.{i}")
        response = sign_in(client, user.email, PASSWORD, "203.0.113.39")
    assert response.status_code == 429
    assert throttled_events()[-1].details["retry_after"] == 15 * 60


def test_too_many_attempts_from_one_address_are_refused_and_audited(client, make_user, ctx):
    client.application.config["LOGIN_LIMIT_PER_IP"] = "2 per minute"
    user = make_user("reviewer")
    statuses = [sign_in(client, f"user{i}@example.com", "wrong-password", ATTACKER).status_code for i in range(3)]
    assert statuses == [200, 200, 429]
    assert sign_in(client, user.email, PASSWORD, OWNER_ADDRESS).status_code == 302
    refused = throttled_events()
    assert [e.details["limit"] for e in refused] == ["address"] and refused[0].ip == ATTACKER


class TestRegistration:
    def body(self, valid_bin, email):
        return {"email": email, "password": "a-long-secret-1",
                "company": {"name": "АО Тест", "tax_id": valid_bin(), "registration_country": "KZ"}}

    def test_registrations_are_limited_per_address_across_the_page_and_the_api(self, client, valid_bin, ctx):
        statuses = [client.post("/register", data={"email": f"r{i}@x.kz"}, environ_base={"REMOTE_ADDR": ATTACKER})
                    .status_code for i in range(2)]
        assert statuses == [200, 200]
        response = client.post("/api/v1/register", json=self.body(valid_bin, "api@x.kz"),
                               environ_base={"REMOTE_ADDR": ATTACKER})
        assert response.status_code == 429 and response.get_json()["error"]["code"] == "throttled"
        assert client.post("/register", data={}, environ_base={"REMOTE_ADDR": ATTACKER}).status_code == 429
        response = client.post("/api/v1/register", json=self.body(valid_bin, "api@x.kz"),
                               environ_base={"REMOTE_ADDR": OWNER_ADDRESS})
        assert response.status_code == 201
        refused = throttled_events("auth.register_throttled")
        assert len(refused) == 2 and {e.ip for e in refused} == {ATTACKER}

    def test_reading_the_registration_page_is_not_limited(self, client):
        for _ in range(5):
            assert client.get("/register", environ_base={"REMOTE_ADDR": ATTACKER}).status_code == 200


class TestPasswordReset:
    def test_reset_requests_are_limited_per_address(self, client, make_user, ctx):
        user = make_user("reviewer")
        for _ in range(2):
            response = client.post("/password/forgot", data={"email": user.email},
                                   environ_base={"REMOTE_ADDR": ATTACKER})
            assert response.status_code == 302
        response = client.post("/password/forgot", data={"email": user.email}, environ_base={"REMOTE_ADDR": ATTACKER})
        assert response.status_code == 429
        response = client.post("/password/forgot", data={"email": user.email},
                               environ_base={"REMOTE_ADDR": OWNER_ADDRESS})
        assert response.status_code == 302
        refused = throttled_events("auth.reset_throttled")
        assert len(refused) == 1 and refused[0].ip == ATTACKER

    def test_reset_requests_do_not_use_up_sign_in_attempts(self, client, make_user):
        user = make_user("reviewer")
        client.application.config["RESET_LIMIT_PER_IP"] = "20 per minute"
        for _ in range(5):
            client.post("/password/forgot", data={"email": user.email}, environ_base={"REMOTE_ADDR": OWNER_ADDRESS})
        assert sign_in(client, user.email, PASSWORD, OWNER_ADDRESS).status_code == 302
