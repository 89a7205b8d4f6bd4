"""Behind a proxy, zone sees each visitor (``TRUSTED_PROXY_HOPS``), and nobody can claim another address.

The deployment test runs the README's setup for real: gunicorn with the production configuration and
nginx in front of it, both subprocesses on 127.0.0.1. Two visitors are two source addresses on the
loopback network (127.0.0.2 and 127.0.0.3); nginx tells the app who they are in ``X-Forwarded-For``.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.web.servers import gunicorn, nginx, production_environment, request

pytestmark = pytest.mark.slow

CLIENT_A, CLIENT_B, CLIENT_C = "127.0.0.2", "127.0.0.3", "127.0.0.4"
PROXY = "127.0.0.1"
SETTINGS = {"LOGIN_LIMIT_PER_IP": "3 per hour", "LOGIN_LIMIT_PER_ACCOUNT": "100 per hour",
          # cheap password hashing: failed sign-ins still hash, and the test makes a few dozen
          "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_COST": "1024", "ARGON2_PARALLELISM": "1"}


def _servers(workdir, hops: int, with_nginx: bool):
    env = production_environment(workdir, TRUSTED_PROXY_HOPS=str(hops), **SETTINGS)
    started = [gunicorn(env, workdir).start()]
    try:
        started[0].wait_ready()
        if with_nginx:
            started.append(nginx(workdir / "nginx", upstream=started[0].port).start())
            started[-1].wait_ready()
    except BaseException:
        for process in reversed(started):
            process.stop()
        raise
    return started


@pytest.fixture
def behind_nginx(workdir):
    """The port of nginx in front of zone, which trusts one proxy hop."""
    started = _servers(workdir, hops=1, with_nginx=True)
    yield started[-1].port
    for process in reversed(started):
        process.stop()


@pytest.fixture
def without_proxy(workdir):
    """The port of zone served directly, trusting no proxy (the default)."""
    started = _servers(workdir, hops=0, with_nginx=False)
    yield started[0].port
    for process in reversed(started):
        process.stop()


_attempts = iter(range(1, 10_000))


def sign_in_badly(port: int, source: str, headers: dict | None = None) -> int:
    """A failed sign-in (a new unknown email each time, so only the per-address limit adds up)."""
    body = json.dumps({"email": f"nobody{next(_attempts)}@example.com", "password": "wrong-password-1"})
    status, _, _ = request(port, "POST", "/api/v1/tokens", source=source, body=body.encode(),
                           headers={"Content-Type": "application/json", **(headers or {})})
    assert status in (401, 429), status
    return status


def failed_sign_in_addresses(workdir) -> list[str]:
    with sqlite3.connect(workdir / "zone.sqlite3") as connection:
        rows = connection.execute(
            "SELECT ip FROM audit_events WHERE action = 'auth.login_failed' ORDER BY seq").fetchall()
    return [ip for (ip,) in rows]


def test_behind_nginx_each_client_has_its_own_limit_and_its_own_address_in_the_audit(behind_nginx, workdir):
    port = behind_nginx
    assert [sign_in_badly(port, CLIENT_A) for _ in range(3)] == [401, 401, 401]
    assert sign_in_badly(port, CLIENT_A) == 429  # A has used its three attempts
    assert sign_in_badly(port, CLIENT_B) == 401  # B, behind the same proxy, has its own
    assert sign_in_badly(port, CLIENT_A) == 429
    assert failed_sign_in_addresses(workdir) == [CLIENT_A] * 3 + [CLIENT_B]


def test_behind_nginx_a_client_s_own_forwarded_for_is_not_believed(behind_nginx, workdir):
    """nginx appends the address it sees to what the client sent; zone trusts only that last hop."""
    port = behind_nginx
    for fake in ("203.0.113.7", CLIENT_B, "198.51.100.1, 203.0.113.8"):
        assert sign_in_badly(port, CLIENT_C, {"X-Forwarded-For": fake}) == 401
    assert sign_in_badly(port, CLIENT_C, {"X-Forwarded-For": "192.0.2.99"}) == 429  # one bucket for C
    assert sign_in_badly(port, CLIENT_B) == 401  # B's bucket was never touched by C claiming to be B
    assert failed_sign_in_addresses(workdir) == [CLIENT_C] * 3 + [CLIENT_B]


def test_without_a_trusted_proxy_a_forwarded_for_header_changes_nothing(without_proxy, workdir):
    port = without_proxy
    for fake in ("203.0.113.7", CLIENT_B, PROXY):
        assert sign_in_badly(port, CLIENT_A, {"X-Forwarded-For": fake, "X-Forwarded-Proto": "https"}) == 401
    assert sign_in_badly(port, CLIENT_A, {"X-Forwarded-For": "192.0.2.99"}) == 429
    assert sign_in_badly(port, CLIENT_B) == 401
    assert failed_sign_in_addresses(workdir) == [CLIENT_A] * 3 + [CLIENT_B]


# --- what the app sees of a request, for each number of trusted hops (in process) ----------------------

@pytest.fixture
def app_overrides(request):
    return {"TRUSTED_PROXY_HOPS": getattr(request, "param", 0)}


@pytest.fixture
def seen(app):
    """Through the whole WSGI stack (the proxy middleware included): what a view learns of the request."""
    from flask import jsonify, url_for
    from flask import request as flask_request

    from zone.web.access import PUBLIC, allow

    @app.get("/_test/seen")
    @allow(PUBLIC)
    def _seen():
        return jsonify(addr=flask_request.remote_addr, scheme=flask_request.scheme,
                       secure=flask_request.is_secure, url=url_for("web.index", _external=True))

    client = app.test_client()

    def _ask(headers: dict[str, str]) -> dict:
        response = client.get("/_test/seen", headers={"Host": "residents.zone.test", **headers},
                              environ_base={"REMOTE_ADDR": PROXY})
        return response.get_json()

    return _ask


FORWARDED = {"X-Forwarded-For": "203.0.113.7, 198.51.100.1", "X-Forwarded-Proto": "https, https"}


@pytest.mark.parametrize(("app_overrides", "expected"), [
    (0, {"addr": PROXY, "scheme": "http", "secure": False, "url": "http://residents.zone.test/"}),
    (1, {"addr": "198.51.100.1", "scheme": "https", "secure": True, "url": "https://residents.zone.test/"}),
    (2, {"addr": "203.0.113.7", "scheme": "https", "secure": True, "url": "https://residents.zone.test/"}),
], indirect=["app_overrides"])
def test_the_client_address_scheme_and_urls_follow_the_trusted_hops(seen, expected):
    assert seen(FORWARDED) == expected


@pytest.mark.parametrize("app_overrides", [1], indirect=True)
def test_a_request_without_forwarded_headers_keeps_the_peer(seen):
    assert seen({}) == {"addr": PROXY, "scheme": "http", "secure": False, "url": "http://residents.zone.test/"}
