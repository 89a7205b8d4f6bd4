"""Contract fuzzing with schemathesis: every documented operation, called in-process (WSGI) by each kind
of caller with generated valid and invalid input, never answers 5xx and always answers what the OpenAPI
document promises (status, content type, body schema incl. the error envelope); invalid input is refused
with a 4xx.

Bounded for `make test`: a few dozen examples per operation and caller, no deadline. Path parameters are
half the time the seeded objects' (so the happy paths are reached), half the time generated. A third,
hostile mode takes valid cases and puts in what no schema generates (NaN, Infinity, integers beyond 64
bits, nesting 500 and 100,000 levels deep, lists where text belongs, such cursors and query values).
"""

from __future__ import annotations

import base64
import json
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.exceptions import MethodNotAllowed, NotFound

from tests.api.seed import seed_through_api

pytestmark = pytest.mark.slow

def invalid_body_or_path_rejected(ctx, response, case):
    """schemathesis' negative-data check, for invalid bodies and path parameters only. Unknown query
    parameters are ignored by design (as most HTTP APIs do), and the Authorization header is added by
    the test after generation, so a case that "lacks" it is not invalid when sent."""
    meta = case.meta
    negated = {loc.value for loc, info in (meta.components.items() if meta else ())
               if info.mode is GenerationMode.NEGATIVE}
    if not negated & {"body", "path"}:
        return None
    return negative_data_rejection(ctx, response, case)


POSITIVE_EXAMPLES = 12
NEGATIVE_EXAMPLES = 8
HOSTILE_EXAMPLES = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CALLERS = ["anonymous", "applicant", "reviewer", "approver", "auditor", "admin"]


@pytest.fixture
def seeded(client, make_company, make_user, api_token):
    seed = seed_through_api(client, make_company, make_user, api_token)
    # A report draft of the current quarter on the agreement, so the report operations reach a real one.
    from zone.calendar import today
    from zone.reports.periods import quarter_of

    with client.application.app_context():
        period = quarter_of(today()).code
    seed.report_ids = []
    if seed.agreement_numbers:
        response = client.post("/api/v1/reports", headers=seed.tokens["applicant"], json={
            "agreement": seed.agreement_numbers[0], "period": period, "currency": "KZT", "jobs_total": 3})
        if _ok_report(seed, response):
            seed.report_ids.append(response.get_json()["id"])
    return seed


def _ok_report(seed, response) -> bool:
    if response.status_code == 201:
        return True
    seed.problems.append(f"create report: HTTP {response.status_code} {response.get_data(as_text=True)[:300]}")
    return False


def _routed(app, operation) -> bool:
    adapter = app.url_map.bind("zone.test")
    path = re.sub(r"\{[^}]+\}", "1", operation.path)  # "1" fits every converter (int, string, path)
    try:
        adapter.match(path, method=operation.method.upper())
    except (NotFound, MethodNotAllowed):
        return False
    return True


def _fixed_parameters(operation, seed) -> dict[str, list]:
    """Known values per path parameter, so generated cases reach real objects too."""
    known = {"id": seed.application_ids, "doc_id": seed.document_ids, "serial": seed.serials,
             "token": seed.verify_tokens, "version": ["2026.1"], "number": seed.agreement_numbers,
             "revision": [1], "report_id": getattr(seed, "report_ids", [])}
    names = [p.name for p in operation.path_parameters]
    return {name: known[name] for name in names if known.get(name)}


def _strategy(operation, mode, seed):
    fixed = _fixed_parameters(operation, seed)
    generated = operation.as_strategy(generation_mode=mode)
    if not fixed or mode is GenerationMode.NEGATIVE:
        return generated
    seeded = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in fixed.items()}).flatmap(
        lambda params: operation.as_strategy(generation_mode=mode, path_parameters=params))
    return st.one_of(seeded, generated)


def _cursor_of(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# What a JSON schema never generates but an attacker sends, as raw JSON text (Python's encoder would refuse
# or recurse): non-finite numbers, integers beyond 64 bits, nesting hundreds of levels deep, containers where
# text is expected, a lone surrogate.
HOSTILE_JSON = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", str(2**63), str(2**64), str(-(2**63) - 1),
                                "9" * 40, "1e308", "[" * 500 + "]" * 500, '{"a": ' * 500 + "1" + "}" * 500,
                                '[["x"]]', '{"a": [{"b": null}]}', '"\\ud800"'])
HOSTILE_BODIES = st.sampled_from(["[" * 100_000 + "]" * 100_000, '{"a": ' * 100_000 + "1" + "}" * 100_000,
                                  "NaN", str(2**64)])
HOSTILE_TEXT = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", str(2**64), "9" * 400,
                                _cursor_of(f"[{2**64}]"), _cursor_of("[NaN]"), _cursor_of("[" * 500 + "]" * 500),
                                _cursor_of(f'["x", {2**63}]'), "[" * 500])


@st.composite
def _hostile_request(draw, operation, seed):
    """A valid case with one hostile change (a body field, the whole body, or a query parameter), as the
    raw request to send: (case, query, body text or None)."""
    case = draw(_strategy(operation, GenerationMode.POSITIVE, seed))
    query = dict(case.query or {})
    if isinstance(case.body, dict) and case.media_type == "application/json":
        if draw(st.integers(0, 3)):
            field = draw(st.sampled_from(sorted(case.body) or ["x"]))
            rest = {k: v for k, v in case.body.items() if k != field}
            text = json.dumps(rest, allow_nan=True)[:-1]
            return case, query, f"{text}{', ' if rest else ''}{json.dumps(field)}: {draw(HOSTILE_JSON)}}}"
        return case, query, draw(HOSTILE_BODIES)
    name = draw(st.sampled_from(sorted(query) or ["cursor", "limit"]))
    query[name] = draw(HOSTILE_TEXT)
    return case, query, None


def _fuzz_hostile(client, operation, headers_for, seed, failures: list[str]) -> int:
    """Hostile values the schema-driven modes never produce: answered 4xx in the error envelope (or, for a
    value the operation ignores, a success), never 5xx."""
    calls = 0

    @settings(max_examples=HOSTILE_EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(request=_hostile_request(operation, seed))
    def run(request):
        nonlocal calls
        case, query, body = request
        calls += 1
        kwargs = {"data": body, "content_type": "application/json"} if body is not None else {}
        response = client.open(case.formatted_path, method=case.method, query_string=query,
                               headers=headers_for(), **kwargs)
        label = f"{case.method} {case.formatted_path} {query} {(body or '')[:80]!r}"
        assert response.status_code < 500, f"{label}: HTTP {response.status_code}"
        if response.status_code >= 400 and case.formatted_path.startswith("/api/"):
            error = (response.get_json(silent=True) or {}).get("error")
            assert isinstance(error, dict) and error.get("code"), f"{label}: no error envelope"

    try:
        run()
    except Unsatisfiable:
        pass
    except (Exception, BaseExceptionGroup) as error:
        failures.append(f"{operation.label} [hostile]: {str(error)[:2000]}")
    return calls


def _fuzz(operation, mode, headers_for, seed, failures: list[str]) -> int:
    checks = CHECKS + ([invalid_body_or_path_rejected] if mode is GenerationMode.NEGATIVE else [])
    calls = 0

    @settings(max_examples=POSITIVE_EXAMPLES if mode is GenerationMode.POSITIVE else NEGATIVE_EXAMPLES,
              deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=_strategy(operation, mode, seed))
    def run(case):
        nonlocal calls
        calls += 1
        case.call_and_validate(headers=headers_for(), checks=checks)

    try:
        run()
    except Unsatisfiable:
        pass  # nothing to make invalid (no parameters, or any string is valid)
    except (Exception, BaseExceptionGroup) as error:  # collect every operation's failure, fail once with all
        failures.append(f"{operation.label} [{mode.value}]: {str(error)[:2000]}")
    return calls


def _headers(caller, operation, seed, api_token):
    """A function giving each request's headers: none for anonymous callers (so protected operations
    answer 401, which is checked too), a fresh token where the call revokes it, else the caller's token."""
    if caller == "anonymous":
        return dict
    if operation.label == "DELETE /api/v1/tokens/current":
        user = seed.users[caller]
        return lambda: api_token(user)
    token = seed.tokens[caller]
    return lambda: dict(token)


def _read_whole(app):
    """The app as schemathesis calls it: each response read whole and closed at once. schemathesis reads
    the body but never closes the response, which would leave a downloaded file open until the garbage
    collector finds it (a warning, so a failure)."""
    def wsgi(environ, start_response):
        iterable = app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()

    return wsgi


@pytest.mark.parametrize("caller", CALLERS)
def test_no_server_error_and_every_response_matches_the_document(app, client, seeded, api_token, caller):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _read_whole(app))
    failures: list[str] = []
    exercised = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not _routed(app, operation):
            continue  # not built yet; the drift test in test_openapi.py reports it
        public = operation.definition.raw.get("security") == []
        headers_for = _headers(caller, operation, seeded, api_token)
        if caller != "anonymous" and public and caller not in ("applicant", "auditor"):
            continue  # public operations do not depend on the caller; two callers are enough
        calls = sum(_fuzz(operation, mode, headers_for, seeded, failures)
                    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE))
        calls += _fuzz_hostile(client, operation, headers_for, seeded, failures)
        exercised.append(f"{operation.label}: {calls}")
    print(f"{caller}: " + "; ".join(exercised))
    assert exercised, "no documented operation is routed"
    broken_seed = [p for p in seeded.problems if not p.split(": HTTP ")[1].startswith(("404", "405"))]
    assert not broken_seed, f"the seed's valid calls were refused or failed: {broken_seed}"
    assert not failures, f"seed stages: {seeded.stages}; seed problems: {seeded.problems}\n\n" + "\n\n".join(failures)
