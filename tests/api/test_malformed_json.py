"""Malformed and hostile JSON never gives a server error, at any API operation that reads a body.

Every state-changing rule under /api/v1 (walked from the app's URL map, so operations added later are
covered without listing them here) gets, from a caller allowed to reach it:

* bodies that are not JSON as RFC 8259 defines it: NaN, Infinity, numbers that overflow a double,
  integers beyond 64 bits, nesting hundreds or a hundred thousand levels deep, broken text;
* a valid body with one field at a time replaced by a hostile value (nested lists or objects where text
  is expected, NaN, Infinity, huge integers, deep nesting) for every field the OpenAPI document names;

and every list that takes a cursor gets cursors that decode to huge integers, NaN, deep nesting or junk.
Each answer must be a 4xx in the API's error envelope (400 malformed, 401, 403, 404, 409, 413, 422, 429),
or a success; never a 5xx.
"""

from __future__ import annotations

import base64
import io
import json
import re

import pytest

from tests.api.seed import KZ_APPLICATION, seed_through_api
from tests.conftest import PASSWORD
from zone.api.openapi import openapi_document

ERROR_STATUSES = {400, 401, 403, 404, 405, 409, 413, 415, 422, 429}
CALLERS = ("anonymous", "applicant", "reviewer", "approver", "admin", "auditor")


def _deep(levels: int, opening: str = "[", closing: str = "]") -> str:
    return opening * levels + '"x"' + closing * levels


def _deep_objects(levels: int) -> str:
    return '{"a": ' * levels + "1" + "}" * levels


# Whole bodies (raw text): not JSON, or JSON nobody can use.
RAW_BODIES = {
    "nan": '{"reason": NaN, "version": NaN}',
    "infinity": '{"reason": Infinity, "version": -Infinity}',
    "overflowing_float": '{"investment_amount": 1e400, "version": -1e999}',
    "int64_overflow": '{"version": 9223372036854775808, "proposal": 18446744073709551616}',
    "int64_underflow": '{"version": -9223372036854775809}',
    "thousands_of_digits": '{"version": ' + "9" * 4000 + "}",
    "too_many_digits": '{"version": ' + "9" * 5000 + "}",
    "nested_500": '{"reason": ' + _deep(500) + "}",
    "nested_objects_500": '{"reason": ' + _deep_objects(500) + "}",
    "nested_100000": _deep(100_000),
    "nested_objects_100000": _deep_objects(100_000),
    "top_level_list": "[]",
    "top_level_string": '"x"',
    "null": "null",
    "empty": "",
    "truncated": '{"reason": "x"',
    "not_utf8": b'{"reason": "\xff\xfe"}',
    "lone_surrogate": '{"reason": "\\ud800"}',
    "nul": '{"reason": "a\\u0000b"}',
}

# Values put in one field at a time (Python values, serialised with NaN and Infinity allowed).
NESTED_500: list = []
_cursor = NESTED_500
for _ in range(499):
    _cursor.append([])
    _cursor = _cursor[0]
HOSTILE_VALUES = {
    "nested_list": [["x"]],
    "nested_object": {"a": {"b": [None]}},
    "list_of_objects": [{"code": {"x": 1}, "until": [1], "periods": [[]]}],
    "nan": float("nan"),
    "infinity": float("inf"),
    "minus_infinity": float("-inf"),
    "huge_int": 2**64,
    "int64_max_plus_one": 2**63,
    "int64_min_minus_one": -(2**63) - 1,
    "huge_float": 1e308,
    "deep": NESTED_500,
    "bool": True,
    "negative": -1,
    "long_text": "x" * 100_000,
}


def _dumps(body) -> str:
    return json.dumps(body, allow_nan=True)


def _schema_fields(method: str, rule: str) -> set[str]:
    """The request fields the OpenAPI document names for an operation (top level, any ``oneOf`` branch)."""
    document = openapi_document()
    shape = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)
    shape = re.sub(r"\{application_id\}", "{id}", shape)
    item = document["paths"].get(shape, {}).get(method.lower(), {})
    schema = item.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    schemas = document["components"]["schemas"]

    def resolve(s):
        if "$ref" in s:
            return resolve(schemas[s["$ref"].rsplit("/", 1)[-1]])
        return s

    schema = resolve(schema)
    fields = set(schema.get("properties", {}))
    for branch in schema.get("oneOf", []) + schema.get("anyOf", []):
        fields |= set(resolve(branch).get("properties", {}))
    return fields or {"comment", "reason"}


def _base_body(method: str, rule: str, seed, client) -> dict:
    """A body that is valid, or nearly so, so that the hostile value reaches the deeper checks."""
    if rule.endswith("/tokens"):
        return {"email": seed.users["applicant"].email, "password": PASSWORD}
    if rule.endswith("/register"):
        return {"email": f"new{id(body_counter)}{next(body_counter)}@example.com", "password": PASSWORD,
                "company": {"name": "ТОО «Новая»", "tax_id": "123456789012", "registration_country": "KZ"}}
    if rule.endswith("/eligibility/check"):
        return {key: KZ_APPLICATION[key] for key in ("side", "activity_codes", "investment_amount",
                                                      "investment_currency", "priority_income_share",
                                                      "has_branches_outside_zone", "capital_shares")} | {
            "registration_country": "KZ", "is_legal_entity": True}
    if rule == "/api/v1/applications" and method == "POST":
        return dict(KZ_APPLICATION)
    if rule.endswith("/actions"):
        version = client.get(f"/api/v1/applications/{seed.application_ids[1]}",
                             headers=seed.tokens["reviewer"]).get_json()["version"]
        return {"action": "recommend_rejection", "version": version, "comment": "x", "grounds": ["OTHER"]}
    if "<int:application_id>" in rule and method == "PATCH":
        version = client.get(f"/api/v1/applications/{seed.application_ids[0]}",
                             headers=seed.tokens["applicant"]).get_json()["version"]
        return {"version": version, "project_title": "x"}
    if rule.endswith("/reissue"):
        return {"reason": "x"}
    if "/certificates/" in rule:
        return {"reason": "x"}
    return {}


body_counter = iter(range(10**9))


def _operations(app) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            found.append((method, rule.rule))
    return sorted(found)


def _fill(rule: str, seed) -> str:
    values = {"application_id": seed.application_ids[1], "id": seed.application_ids[1],
              "serial": seed.serials[0], "doc_id": seed.document_ids[0], "document_id": seed.document_ids[0],
              "token": seed.verify_tokens[0], "version": "2026.1"}
    if rule.endswith("/documents") or ("/applications/<int:application_id>" in rule and rule.count("/") == 4):
        values["application_id"] = seed.application_ids[0]  # the draft: uploads and edits are allowed there
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), 1)), rule)


def _headers(seed, caller: str, path: str = "") -> dict:
    if caller == "anonymous":
        return {}
    if path.endswith("/tokens/current"):  # the call revokes the token it is made with: a fresh one each time
        return seed.fresh_token(seed.users[caller])
    return dict(seed.tokens[caller])


def _caller_for(client, seed, method: str, path: str) -> str:
    """The first caller whose plain request is not refused for who they are (so the body is read)."""
    for caller in CALLERS:
        response = client.open(path, method=method, data="{}", content_type="application/json",
                               headers=_headers(seed, caller, path))
        if response.status_code not in (401, 403, 429):
            return caller
    return "admin"


def _check(response, label: str, problems: list[str]) -> None:
    status = response.status_code
    if status >= 500 or (status >= 400 and status not in ERROR_STATUSES):
        problems.append(f"{label}: HTTP {status} {response.get_data(as_text=True)[:200]}")
        return
    if status >= 400:
        body = response.get_json(silent=True)
        if not (isinstance(body, dict) and isinstance(body.get("error"), dict) and body["error"].get("code")):
            problems.append(f"{label}: HTTP {status} without the error envelope")


@pytest.fixture
def seeded(client, make_company, make_user, api_token):
    seed = seed_through_api(client, make_company, make_user, api_token)
    assert "certificate" in seed.stages, seed.problems
    seed.fresh_token = api_token
    return seed


def test_every_body_reading_operation_is_walked(app):
    """The walk below reaches every operation the OpenAPI document gives a JSON body."""
    walked = {(method, re.sub(r"<(?:\w+:)?(\w+)>", "{}", rule)) for method, rule in _operations(app)}
    document = openapi_document()
    with_body = {(method.upper(), re.sub(r"\{[^}]+\}", "{}", path)) for path, item in document["paths"].items()
                 for method, operation in item.items()
                 if isinstance(operation, dict) and "application/json" in operation.get("requestBody", {}).get(
                     "content", {})}
    assert with_body and with_body <= walked


@pytest.mark.slow
def test_malformed_bodies_never_give_a_server_error(app, client, seeded):
    problems: list[str] = []
    for method, rule in _operations(app):
        path = _fill(rule, seeded)
        caller = _caller_for(client, seeded, method, path)
        for name, raw in RAW_BODIES.items():
            response = client.open(path, method=method, data=raw, content_type="application/json",
                                   headers=_headers(seeded, caller, path))
            _check(response, f"{method} {rule} [{caller}] {name}", problems)
            if name in ("nan", "infinity", "overflowing_float", "int64_overflow", "nested_500",
                        "nested_100000") and response.status_code == 400:
                assert response.get_json()["error"]["code"] == "malformed_json"
    assert not problems, "\n".join(problems[:40])


@pytest.mark.slow
def test_hostile_values_in_every_field_never_give_a_server_error(app, client, seeded):
    problems: list[str] = []
    for method, rule in _operations(app):
        path = _fill(rule, seeded)
        caller = _caller_for(client, seeded, method, path)
        for field in sorted(_schema_fields(method, rule)):
            for name, value in HOSTILE_VALUES.items():
                body = {**_base_body(method, rule, seeded, client), field: value}
                response = client.open(path, method=method, data=_dumps(body), content_type="application/json",
                                       headers=_headers(seeded, caller, path))
                _check(response, f"{method} {rule} [{caller}] {field}={name}", problems)
    assert not problems, "\n".join(problems[:40])


def test_non_finite_numbers_deep_nesting_and_huge_integers_are_malformed_json(client, seeded):
    """Not JSON (RFC 8259 has no NaN or Infinity) or not usable: refused as malformed, saying why."""
    headers = seeded.tokens["admin"]
    serial = seeded.serials[0]
    for raw in (RAW_BODIES["nan"], RAW_BODIES["infinity"], RAW_BODIES["overflowing_float"],
                RAW_BODIES["int64_overflow"], RAW_BODIES["nested_500"], RAW_BODIES["nested_100000"]):
        response = client.post(f"/api/v1/certificates/{serial}/suspend", data=raw, content_type="application/json",
                               headers=headers)
        assert response.status_code == 400, (raw[:40], response.get_json())
        error = response.get_json()["error"]
        assert error["code"] == "malformed_json" and error["message"]
    assert client.get(f"/api/v1/certificates/{serial}", headers=headers).get_json()["status"] == "active"


def test_nested_lists_where_text_is_expected_are_invalid_values(client, seeded):
    app_id = seeded.application_ids[1]
    reviewer = seeded.tokens["reviewer"]
    version = client.get(f"/api/v1/applications/{app_id}", headers=reviewer).get_json()["version"]
    for grounds in ([["OTHER"]], [{"code": "OTHER"}], [None], ["OTHER", ["OTHER"]]):
        response = client.post(f"/api/v1/applications/{app_id}/actions", headers=reviewer, json={
            "action": "recommend_rejection", "version": version, "comment": "Баланс", "grounds": grounds})
        assert response.status_code == 422, (grounds, response.get_json())
        assert "grounds" in response.get_json()["error"]["fields"]
    response = client.post(f"/api/v1/certificates/{seeded.serials[0]}/suspend", headers=seeded.tokens["admin"],
                           json={"reason": [["x"]]})
    assert response.status_code == 422 and "reason" in response.get_json()["error"]["fields"]


def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value, allow_nan=True).encode()).decode().rstrip("=")


HOSTILE_CURSORS = {
    "int64_overflow": _cursor([2**63]),
    "uint64": _cursor([2**64]),
    "int64_underflow": _cursor([-(2**63) - 1]),
    "pair_overflow": _cursor([2**63, "desc"]),
    "name_and_overflow": _cursor(["ТОО", 2**64]),
    "nan": _cursor([float("nan")]),
    "infinity": _cursor([float("inf"), "asc"]),
    "deep": _cursor(NESTED_500),
    "object": _cursor({"id": 1}),
    "bool": _cursor([True]),
    "long_text": _cursor(["x" * 5000, 1]),
    "garbage": "garbage!!",
    "not_base64": "%%%%",
    "huge": "A" * 20000,
    "not_utf8": base64.urlsafe_b64encode(b"[\xff]").decode(),
}


def test_hostile_cursors_are_refused_at_every_list(app, client, seeded):
    document = openapi_document()
    lists = [path for path, item in document["paths"].items()
             if any(p.get("name") == "cursor" for p in item.get("get", {}).get("parameters", []))]
    assert "/api/v1/certificates" in lists and "/api/v1/applications" in lists
    problems: list[str] = []
    for path in lists:
        url = path.replace("{id}", str(seeded.application_ids[1]))
        for name, cursor in HOSTILE_CURSORS.items():
            for caller in ("admin", "applicant", "anonymous"):
                response = client.get(url, query_string={"cursor": cursor}, headers=_headers(seeded, caller))
                _check(response, f"GET {path} [{caller}] cursor={name}", problems)
                if response.status_code == 200:
                    problems.append(f"GET {path} [{caller}] cursor={name}: accepted")
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("size_mb", [10.5, 12])
def test_an_oversize_upload_to_another_companys_application_is_404_or_413(client, app, seeded, make_user, login,
                                                                         api_token, size_mb):
    """Through the API and the page, by a stranger and by nobody: never a server error, never a hint."""
    draft = seeded.application_ids[0]
    data = b"%PDF-" + b"0" * int(size_mb * 1024 * 1024)
    stranger = make_user("applicant")
    response = client.post(f"/api/v1/applications/{draft}/documents", headers=api_token(stranger),
                           data={"kind": "charter", "file": (io.BytesIO(data), "big.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code in (404, 413) and response.get_json()["error"]["code"] in ("not_found", "too_large")
    for who in ("anonymous", "stranger"):
        browser = app.test_client()
        if who == "stranger":
            login(stranger, the_client=browser)
        page = browser.post(f"/applications/{draft}/documents",
                            data={"kind": "charter", "file": (io.BytesIO(data), "big.pdf")})
        assert page.status_code in (302, 404, 413), (who, page.status_code)
        assert "Жетысай" not in page.get_data(as_text=True)
