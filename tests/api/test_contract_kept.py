"""What API.md promises an integrator, call by call, where the code asked for more or accepted less.

Each test sends exactly what the contract names (and nothing the contract does not), so an extra required
field or a stricter check added later shows up here.
"""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from tests.api.seed import DOCUMENT_KINDS, KZ_APPLICATION, action, seed_through_api, upload


def _under_review(client, make_company, make_user, api_token):
    seed = seed_through_api(client, make_company, make_user, api_token)
    assert "submitted" in seed.stages, seed.problems
    return seed, seed.application_ids[1]  # start_review was taken on it


def test_request_info_without_a_deadline_gives_the_configured_working_days(client, make_company, make_user,
                                                                           api_token):
    seed, app_id = _under_review(client, make_company, make_user, api_token)
    with time_machine.travel(datetime(2026, 2, 2, 6, 0, tzinfo=UTC), tick=False):  # Monday 2 February 2026
        response = action(client, seed.tokens["reviewer"], app_id, "request_info", "Приложите выписку банка.")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "info_requested"
    assert response.get_json()["info_deadline"] == "2026-02-16"  # 10 working days of the KZ side


def test_reject_with_only_the_named_fields(client, make_company, make_user, api_token):
    """`{"action", "comment", "version"}` is a whole rejection: the ground is then "other reasons"."""
    seed, app_id = _under_review(client, make_company, make_user, api_token)
    recommended = action(client, seed.tokens["reviewer"], app_id, "recommend_rejection", "Нет финансирования")
    assert recommended.status_code == 200, recommended.get_json()
    rejected = action(client, seed.tokens["approver"], app_id, "reject", "Не подтверждены источники средств.")
    assert rejected.status_code == 200, rejected.get_json()
    body = rejected.get_json()
    assert body["status"] == "rejected"
    assert [g["code"] for g in body["rejection_grounds"]] == ["OTHER"]
    # Grounds that are sent are still checked: an empty list or an unknown code is refused.
    seed2, app2 = _under_review(client, make_company, make_user, api_token)
    for grounds in ([], ["NO_SUCH_GROUND"]):
        refused = action(client, seed2.tokens["reviewer"], app2, "recommend_rejection", "x", grounds=grounds)
        assert refused.status_code == 422 and "grounds" in refused.get_json()["error"]["fields"], grounds


def _foreign_uz_application(client, make_company, make_user, api_token, **extra):
    company = make_company(registration_country="KZ")  # a Kazakh company applying to the Uzbek part
    headers = api_token(make_user("applicant", company=company))
    body = {k: v for k, v in KZ_APPLICATION.items() if k not in ("priority_income_share", "has_branches_outside_zone")}
    created = client.post("/api/v1/applications", headers=headers, json={**body, "side": "UZ", **extra})
    assert created.status_code == 201, created.get_json()
    for kind in DOCUMENT_KINDS:
        assert upload(client, headers, created.get_json()["id"], kind).status_code == 201
    return headers, created.get_json()["id"]


def test_a_submission_never_fails_for_a_field_added_after_the_contract(client, make_company, make_user, api_token):
    headers, app_id = _foreign_uz_application(client, make_company, make_user, api_token)
    response = client.post(f"/api/v1/applications/{app_id}/submit", headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "submitted"


def test_a_declared_missing_apostille_still_stops_the_submission(client, make_company, make_user, api_token):
    headers, app_id = _foreign_uz_application(client, make_company, make_user, api_token,
                                              foreign_documents_apostilled=False)
    response = client.post(f"/api/v1/applications/{app_id}/submit", headers=headers)
    assert response.status_code == 422
    assert "foreign_documents_apostilled" in response.get_json()["error"]["fields"]


def test_hs_codes_have_6_to_10_digits(client, make_user, api_token):
    headers = api_token(make_user("applicant"))

    def product(code):
        return client.post("/api/v1/applications", headers=headers, json={
            "products": [{"name": "Лента", "hs_code": code, "annual_volume": "1", "unit": "км"}]})

    for code in ("8424", "84248", "84248200001"):
        response = product(code)
        assert response.status_code == 422, code
        assert "products.0.hs_code" in response.get_json()["error"]["fields"]
    for code in ("842482", "8424820", "8424820000", "8424 82", "8424.82.000.0"):
        assert product(code).status_code == 201, code


def test_the_documented_staff_action_carries_the_optional_extras(client):
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["StaffAction"]
    assert schema["required"] == ["action", "version"]
    assert schema["properties"]["deadline"]["format"] == "date"
    assert "grounds" in schema["properties"] and "benefits" in schema["properties"]
