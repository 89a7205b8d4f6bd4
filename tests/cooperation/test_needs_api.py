"""Needs and offers through the API: who may publish, what is valid, who sees what."""

from __future__ import annotations

import pytest

from tests.cooperation.conftest import NEED_PVC


def test_a_resident_publishes_a_need_and_lists_its_own(client, chain):
    created = client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers,
                          json={**NEED_PVC, "target_price": "950.5", "price_currency": "usd",
                                "certificates_required": ["ISO 9001", "EAC"]})
    assert created.status_code == 201, created.get_json()
    need = created.get_json()
    assert need["hs_code"] == "390410" and need["annual_volume"] == "1500" and need["side"] == "KZ"
    assert need["price_currency"] == "USD" and need["certificates_required"] == ["ISO 9001", "EAC"]
    mine = client.get("/api/v1/cooperation/needs", headers=chain.buyer.headers).get_json()["items"]
    assert [n["id"] for n in mine] == [need["id"]]
    # the other company never sees it in a list
    assert client.get("/api/v1/cooperation/needs", headers=chain.maker.headers).get_json()["items"] == []


def test_offers_come_from_the_application_and_stay_editable(client, chain):
    offers = client.get("/api/v1/cooperation/offers", headers=chain.maker.headers).get_json()["items"]
    assert [(o["hs_code"], o["capacity"], o["unit"], o["source"]) for o in offers] == [
        ("390410", "12000", "t", "application")]
    changed = client.put(f"/api/v1/cooperation/offers/{offers[0]['id']}", headers=chain.maker.headers,
                         json={"hs_code": "390410", "name": "PVC resin SG-5", "capacity": "15000", "unit": "t"})
    assert changed.status_code == 200 and changed.get_json()["capacity"] == "15000"
    assert client.put(f"/api/v1/cooperation/offers/{offers[0]['id']}", headers=chain.buyer.headers,
                      json={"hs_code": "390410", "name": "x", "capacity": "1", "unit": "t"}).status_code == 404
    gone = client.delete(f"/api/v1/cooperation/offers/{offers[0]['id']}", headers=chain.maker.headers)
    assert gone.status_code == 204
    assert client.get("/api/v1/cooperation/offers", headers=chain.maker.headers).get_json()["items"] == []


def test_a_company_that_is_not_a_resident_cannot_publish(client, make_user, api_token, make_resident):
    applicant = make_user("applicant")
    response = client.post("/api/v1/cooperation/needs", headers=api_token(applicant), json=NEED_PVC)
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "not_resident"
    revoked = make_resident("KZ", status="revoked")
    assert client.post("/api/v1/cooperation/needs", headers=revoked.headers, json=NEED_PVC).status_code == 403
    assert client.get("/api/v1/cooperation/matches", headers=revoked.headers).get_json() == {"items": []}


@pytest.mark.parametrize(("field", "value"), [
    ("hs_code", "3904"), ("hs_code", "999999"), ("hs_code", "39 04 1X"), ("hs_code", 390410.0), ("hs_code", ["390410"]),
    ("hs_code", "3904\u000710"), ("annual_volume", "NaN"), ("annual_volume", "-5"), ("annual_volume", "0"),
    ("annual_volume", "1e400"), ("annual_volume", "9" * 40), ("annual_volume", True), ("annual_volume", {}),
    ("annual_volume", "Infinity"), ("unit", "t" * 31), ("unit", "t\u0000"), ("description", "x" * 501),
    ("description", "line\nbreak"), ("description", ""), ("target_price", "abc"),
    ("certificates_required", [1, 2]), ("certificates_required", ["x"] * 11),
])
def test_hostile_or_wrong_values_are_refused_naming_the_field(client, chain, field, value):
    response = client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers, json={**NEED_PVC, field: value})
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/cooperation/needs", headers=chain.buyer.headers).get_json()["items"] == []


def test_malformed_bodies_are_refused(client, chain):
    assert client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers, data="[1,",
                       content_type="application/json").status_code == 400
    assert client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers,
                       json={**NEED_PVC, "extra": 1}).status_code == 422
    assert client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers, data='{"annual_volume": NaN}',
                       content_type="application/json").status_code == 400
    assert client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers, json=[NEED_PVC]).status_code == 400


def test_a_price_needs_its_currency(client, chain):
    response = client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers,
                           json={**NEED_PVC, "target_price": "900"})
    assert response.status_code == 422 and "price_currency" in response.get_json()["error"]["fields"]


def test_staff_read_a_companys_needs_and_the_hs_search_is_public(client, chain, make_user, api_token):
    client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers, json=NEED_PVC)
    reviewer = api_token(make_user("reviewer"))
    rows = client.get(f"/api/v1/cooperation/needs?company_id={chain.buyer.company.id}", headers=reviewer)
    assert [n["hs_code"] for n in rows.get_json()["items"]] == ["390410"]
    found = client.get("/api/v1/cooperation/hs?q=3904&limit=3").get_json()
    assert found["edition"] == "HS 2022" and [i["code"] for i in found["items"]] == ["390410", "390421", "390422"]
    assert client.get("/api/v1/cooperation/hs?q=3904&limit=0").status_code == 422
    ru = client.get("/api/v1/cooperation/hs?q=390410", headers={"Accept-Language": "ru"}).get_json()["items"][0]
    assert ru["chapter_name"] == "Пластмассы и изделия из них"
