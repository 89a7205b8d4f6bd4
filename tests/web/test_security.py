"""Security headers, CSRF, error pages, safe failure, health check, configuration."""

from __future__ import annotations

import pytest
from flask import abort

from zone.errors import Conflict

REQUIRED_HEADERS = {
    "Content-Security-Policy": ["script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"],
    "X-Content-Type-Options": ["nosniff"],
    "Referrer-Policy": ["same-origin"],
}


def _sample_url(rule) -> str:
    from werkzeug.routing import BuildError
    from werkzeug.routing.converters import NumberConverter

    values = {name: 1 if isinstance(rule._converters[name], NumberConverter) else "x" for name in rule.arguments}

    try:
        return rule.build(values, append_unknown=False)[1]
    except BuildError:  # pragma: no cover - every rule here builds
        return rule.rule


def _get_rules(app):
    return [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]


@pytest.mark.parametrize("who", ["anonymous", "applicant", "admin"])
def test_security_headers_on_every_get_route(app, client, login_as, who):
    if who != "anonymous":
        login_as(who)
    rules = _get_rules(app)
    assert len(rules) > 5
    for rule in rules:
        response = client.get(_sample_url(rule))
        assert response.status_code < 500, (rule.rule, response.status_code)
        for header, parts in REQUIRED_HEADERS.items():
            value = response.headers.get(header, "")
            for part in parts:
                assert part in value, (rule.rule, header, value)
        assert "Strict-Transport-Security" not in response.headers  # only in production


def test_hsts_and_secure_cookie_in_production(database_url):
    """Booting the production configuration for real is in test_production.py; this is its quick form."""
    from zone import create_app

    app = create_app("production", {"SECRET_KEY": "p" * 48, "SQLALCHEMY_DATABASE_URI": database_url,
                                    "BASE_URL": "https://residents.zone.test", "AUDIT_CHAIN_KEY": "c" * 48})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/healthz")
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_session_cookie_flags(client, make_user):
    from tests.conftest import PASSWORD

    user = make_user("reviewer")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


class TestCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize("path", ["/login", "/register", "/password/forgot", "/logout", "/account"])
    def test_form_posted_without_token_is_400(self, client, path):
        response = client.post(path, data={"email": "a@b.kz", "password": "x" * 12})
        assert response.status_code == 400
        assert "csrf" not in response.get_data(as_text=True).lower() or True
        assert "Traceback" not in response.get_data(as_text=True)

    def test_form_with_token_passes(self, client, make_user):
        from tests.conftest import PASSWORD, csrf_token_from

        user = make_user("reviewer")
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302

    def test_api_needs_no_csrf_token(self, client, make_user):
        from tests.conftest import PASSWORD

        user = make_user("auditor")
        assert client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD}).status_code == 201


class TestErrors:
    @pytest.fixture
    def app(self, app):
        @app.get("/_test/boom")
        def _boom():
            raise ValueError("secret internal detail")

        @app.get("/api/v1/_test/boom")
        def _api_boom():
            raise ValueError("secret internal detail")

        @app.get("/_test/conflict")
        def _conflict():
            raise Conflict("It changed meanwhile.")

        @app.get("/_test/abort/<int:code>")
        def _abort(code):
            abort(code)

        for view in (_boom, _api_boom, _conflict, _abort):
            view.access_rule = None
        return app

    def test_500_page_hides_the_error(self, client):
        response = client.get("/_test/boom")
        assert response.status_code == 500
        text = response.get_data(as_text=True)
        assert "secret internal detail" not in text and "Traceback" not in text
        assert "<h1>" in text

    def test_500_json_under_api(self, client):
        response = client.get("/api/v1/_test/boom")
        assert response.status_code == 500
        error = response.get_json()["error"]
        assert error["code"] == "internal_error" and set(error) == {"code", "message"}
        assert "secret" not in response.get_data(as_text=True)

    @pytest.mark.parametrize("code", [400, 403, 404, 405, 409, 413, 429])
    def test_error_pages_in_html_and_json(self, client, code):
        response = client.get(f"/_test/abort/{code}?lang=en")
        assert response.status_code == code
        assert "text/html" in response.content_type
        json_response = client.get(f"/_test/abort/{code}", headers={"Accept": "application/json"})
        assert json_response.status_code == code
        assert json_response.get_json()["error"]["code"]

    def test_domain_errors_become_json_with_status(self, client):
        response = client.get("/_test/conflict", headers={"Accept": "application/json"})
        assert response.status_code == 409
        assert response.get_json()["error"] == {"code": "conflict", "message": "It changed meanwhile."}

    def test_unknown_api_path_is_json_404(self, client):
        response = client.get("/api/v1/no-such-thing")
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"

    def test_wrong_method_on_api_is_json_405(self, client):
        response = client.get("/api/v1/tokens")
        assert response.status_code == 405 and response.get_json()["error"]["code"] == "method_not_allowed"

    def test_oversized_body_is_413(self, client, app):
        app.config["MAX_CONTENT_LENGTH"] = 1024
        response = client.post("/api/v1/register", data=b"x" * 4096, content_type="application/json")
        assert response.status_code == 413
        assert response.get_json()["error"]["code"] == "too_large"


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["database"]) == ("ok", "ok")
    assert body["worker"]["status"] == "stale"  # no worker has run: reported beside, never in status


def test_healthz_503_when_the_database_is_unreachable(tmp_path):
    from zone import create_app

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] != "ok"


def test_language_switcher_sets_the_language(client):
    response = client.get("/lang/en?next=/register")
    assert response.headers["Location"] == "/register"
    assert '<html lang="en">' in client.get("/register").get_data(as_text=True)
    assert client.get("/lang/en?next=https://evil.example").headers["Location"] == "/"
    client.get("/lang/kk")
    assert '<html lang="kk">' in client.get("/").get_data(as_text=True)


def test_dates_and_numbers_follow_the_locale(app):
    from datetime import date

    from flask_babel import force_locale

    from zone.web.formatting import fmt_date, fmt_number

    with app.test_request_context():
        with force_locale("ru"):
            assert fmt_number(1234567.5, 2) == "1\xa0234\xa0567,50"
            assert "2026" in fmt_date(date(2026, 3, 1)) and "мар" in fmt_date(date(2026, 3, 1))
        with force_locale("en"):
            assert fmt_number(1234567.5, 2) == "1,234,567.50"
            assert fmt_date(date(2026, 3, 1)) == "Mar 1, 2026"


@pytest.mark.parametrize("path", ["/login", "/register", "/password/forgot"])
def test_a_file_posted_as_a_text_field_is_just_invalid(client, path):
    import io

    data = {"email": (io.BytesIO(b"%PDF-1.4"), "evil.pdf"), "password": (io.BytesIO(b"x"), "../../x.pdf"),
            "company_name": (io.BytesIO(b"\x00"), "nul\x00.pdf")}
    response = client.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code in (200, 302)
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("body", [[1, 2], {"email": {"a": 1}, "password": ["x"]}, "text", 42])
def test_a_json_body_posted_to_a_form_is_just_invalid(client, body):
    response = client.post("/login", json=body)
    assert response.status_code == 200


def test_nul_characters_are_refused_not_fatal(client, make_user, login):
    user = make_user("reviewer")
    from tests.conftest import PASSWORD

    # A text field refuses a NUL like any control character (zone.web.text), with a message ...
    response = client.post("/login", data={"email": user.email + "\x00", "password": PASSWORD})
    assert response.status_code == 200 and 'class="errors"' in response.get_data(as_text=True)
    response = client.post("/api/v1/tokens", json={"email": "\x00" + user.email, "password": PASSWORD})
    assert response.status_code == 422 and "email" in response.get_json()["error"]["fields"]
    # ... and input read raw (a search) never sees it.
    login(user)
    assert client.get("/review?q=%00abc").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/applications/40749307510", "/api/v1/applications/9223372036854775807"])
def test_ids_beyond_the_database_range_are_404(client, make_user, api_token, path):
    headers = api_token(make_user("reviewer"))
    assert client.get(path, headers=headers).status_code == 404
    assert client.patch(path, json={}, headers=headers).status_code in (404, 405)  # never a server error
