"""The OpenAPI document: valid OpenAPI 3.1, served publicly, and in step with the app's routes."""

from __future__ import annotations

import re

import jsonschema_rs
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from zone.api.openapi import documented_operations

API_PREFIX = "/api/v1/"
DOCUMENTED_OUTSIDE_API = {"/healthz", "/metrics", "/verify/{}"}  # API.md lists them next to the JSON endpoints
# Routes for a machine's credential answer whoever lacks it 404, never 401: they are not advertised.
REFUSED_AS_NOT_FOUND = {"/metrics"}


def _shape(path: str) -> str:
    """A path with its parameters blanked, so `<int:app_id>` and `{id}` compare equal."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


def _rule_for(app, method: str, path: str):
    """The app's rule that serves a documented operation (parameters filled with "1"), or None."""
    adapter = app.url_map.bind("zone.test")
    try:
        rule, _args = adapter.match(re.sub(r"\{[^}]+\}", "1", path), method=method, return_rule=True)
    except (NotFound, MethodNotAllowed, RequestRedirect):
        return None
    return rule


def _api_rules(app) -> set[tuple[str, str]]:
    operations = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API_PREFIX) or _shape(rule.rule) in DOCUMENTED_OUTSIDE_API:
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                operations.add((method, rule.rule))
    return operations


def test_served_publicly_as_valid_openapi_31(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    try:
        OPENAPI_31_VALIDATOR.validate(document)
    except jsonschema_rs.ValidationError as error:
        raise AssertionError(f"not valid OpenAPI 3.1: {error}") from None
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": document["components"]["securitySchemes"]
        ["bearerAuth"]["description"]}
    envelope = document["components"]["schemas"]["Error"]
    assert envelope["required"] == ["error"]
    assert set(envelope["properties"]["error"]["properties"]) >= {"code", "message", "fields"}


def test_every_api_route_is_documented(app):
    served = {(method, rule.rule) for method, path in documented_operations()
              if (rule := _rule_for(app, method, path)) is not None}
    undocumented = sorted(_api_rules(app) - served)
    assert not undocumented, f"routes missing from zone/api/openapi.py: {undocumented}"


def test_every_documented_operation_is_routed(app):
    missing = sorted(op for op in documented_operations() if _rule_for(app, *op) is None)
    assert not missing, f"documented in zone/api/openapi.py (API.md) but not served by the app: {missing}"


def test_every_operation_documents_the_error_envelope_and_its_security(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            content = operation["responses"]["default"]["content"]
            if path.startswith("/api/"):
                assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, (method, path)
            if path in REFUSED_AS_NOT_FOUND:
                assert "404" in operation["responses"], f"{method} {path} hides itself but documents no 404"
            elif operation.get("security") != []:
                assert "401" in operation["responses"], f"{method} {path} needs a token but documents no 401"
