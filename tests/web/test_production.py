"""The production configuration, booted for real: gunicorn in its own process with the environment an
operator exports (README "Deployment"), answered over HTTP. Also: what production refuses (weak keys,
missing settings, demo data) and how loudly the development configuration says it is not for real use.
"""

from __future__ import annotations

import logging
import secrets
from http.cookies import SimpleCookie

import pytest

from tests.web.servers import flask_command, gunicorn, production_environment, request

pytestmark = pytest.mark.slow


@pytest.fixture
def server(workdir):
    process = gunicorn(production_environment(workdir), workdir).start()
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()


def _set_cookies(headers) -> dict[str, dict]:
    cookies = {}
    for header in headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            cookies[name] = {"raw": header, "secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
                             "samesite": morsel["samesite"]}
    return cookies


def test_production_serves_with_security_headers(server):
    status, headers, body = request(server.port, "GET", "/healthz")
    assert status == 200, body
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    status, headers, body = request(server.port, "GET", "/login?lang=en")
    assert status == 200 and b"Sign in" in body
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert b"not for real use" not in body  # the development notice is not shown in production


def test_production_session_cookie_is_secure_httponly_samesite(server):
    status, headers, body = request(server.port, "GET", "/login")  # the form's CSRF token lives in the session
    assert status == 200, body
    cookie = _set_cookies(headers)["zone_session"]
    assert cookie["secure"] and cookie["httponly"], cookie["raw"]
    assert cookie["samesite"] == "Lax", cookie["raw"]


@pytest.mark.parametrize(("setting", "value", "message"), [
    ("SECRET_KEY", "", "SECRET_KEY"),
    ("SECRET_KEY", "dev-only-insecure-secret-key", "SECRET_KEY"),
    ("SECRET_KEY", "short-but-secret", "SECRET_KEY"),
    ("DATABASE_URL", "", "DATABASE_URL"),
    ("ZONE_BASE_URL", "", "ZONE_BASE_URL"),
    ("ZONE_BASE_URL", "http://residents.zone.test", "ZONE_BASE_URL"),
])
def test_production_refuses_to_start_without_what_it_needs(workdir, setting, value, message):
    env = production_environment(workdir)
    env[setting] = value
    process = gunicorn(env, workdir).start()
    try:
        assert process.wait_exit() != 0
    finally:
        process.stop()
    output = process.output()
    assert f"Refusing to start in production: {message}" in output, output


def test_a_real_random_key_is_accepted_by_every_command(workdir):
    """The same environment runs the operator's commands, not only the web server."""
    result = flask_command(production_environment(workdir), "db", "current")
    assert result.returncode == 0, result.stderr


def test_demo_seed_refuses_to_run_in_production(workdir):
    import sqlite3

    result = flask_command(production_environment(workdir), "demo", "seed")
    assert result.returncode != 0
    assert "demo data" in result.stderr and "production" in result.stderr, result.stderr
    with sqlite3.connect(workdir / "zone.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM users").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM companies").fetchone() == (0,)


# --- the configuration check itself (no server): what the effective settings must be -------------------

def _production(**overrides):
    from zone import create_app

    settings = {"SECRET_KEY": secrets.token_urlsafe(48), "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "BASE_URL": "https://residents.zone.test", "AUDIT_CHAIN_KEY": secrets.token_urlsafe(48)}
    settings.update(overrides)
    return create_app("production", settings)


def test_the_check_accepts_a_random_key_whatever_the_environment_says(monkeypatch):
    key = secrets.token_urlsafe(48)
    monkeypatch.setenv("SECRET_KEY", key)  # the same value in the environment and in the settings
    assert _production(SECRET_KEY=key).config["SECRET_KEY"] == key


@pytest.mark.parametrize("secret", ["", "dev-only-insecure-secret-key", "x" * 31])
def test_the_check_refuses_a_weak_key(secret):
    from config import ConfigurationError

    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        _production(SECRET_KEY=secret)


def test_the_check_refuses_to_start_without_the_audit_chain_key(tmp_path):
    from config import ConfigurationError

    with pytest.raises(ConfigurationError, match="AUDIT_CHAIN_KEY"):
        _production(AUDIT_CHAIN_KEY="", AUDIT_CHAIN_KEY_FILE=tmp_path / "missing.key")


def test_the_check_refuses_a_guessable_metrics_token():
    from config import ConfigurationError

    with pytest.raises(ConfigurationError, match="METRICS_TOKEN"):
        _production(METRICS_TOKEN="metrics")
    assert _production(METRICS_TOKEN=secrets.token_urlsafe(32)).config["METRICS_TOKEN"]


def test_proxy_hops_must_be_a_count():
    from config import ConfigurationError
    from zone import create_app

    with pytest.raises(ConfigurationError, match="TRUSTED_PROXY_HOPS"):
        create_app("test", {"TRUSTED_PROXY_HOPS": -1})


# --- development says it is not for real use -----------------------------------------------------------

@pytest.fixture
def development_app(database_url, tmp_path):
    from zone import create_app

    return create_app("development", {"SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_DIR": tmp_path / "up",
                                      "MAIL_OUTBOX_DIR": tmp_path / "outbox"})


def test_development_warns_at_start_up(database_url, caplog, monkeypatch):
    from zone import create_app

    # Alembic's logging setup, run in this process by the migration tests, disables existing loggers.
    monkeypatch.setattr(logging.getLogger("zone"), "disabled", False)
    with caplog.at_level(logging.WARNING, logger="zone"):
        create_app("development", {"SQLALCHEMY_DATABASE_URI": database_url})
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("not for real use" in message and "ZONE_ENV=production" in message for message in warnings), warnings


NOTICE = {
    "ru": "Конфигурация для разработки — не для реальной работы. Не вводите здесь настоящие данные.",
    "en": "Development configuration — not for real use. Do not enter real data here.",
    "kk": "Әзірлеу конфигурациясы — нақты жұмысқа арналмаған. Мұнда нақты деректерді енгізбеңіз.",
    "uz": "Ishlab chiqish konfiguratsiyasi — haqiqiy ish uchun emas. Bu yerga haqiqiy maʼlumotlarni kiritmang.",
}


@pytest.mark.parametrize("lang", sorted(NOTICE))
def test_development_pages_carry_a_notice_in_the_reader_s_language(development_app, lang):
    client = development_app.test_client()
    for path in ("/", "/login", "/register"):
        text = client.get(f"{path}?lang={lang}").get_data(as_text=True)
        assert NOTICE[lang] in text, (path, lang)


def test_test_configuration_shows_no_notice(client):
    assert "not for real use" not in client.get("/login?lang=en").get_data(as_text=True)
