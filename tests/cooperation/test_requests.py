"""Contact requests: sent through the system with mail, answered, the outcome recorded, seen by staff only
besides the two companies."""

from __future__ import annotations

import pytest

from tests.cooperation.conftest import NEED_PVC
from zone.cooperation.workflow import TRANSITIONS, Action, State, target


def _send(client, chain, message="Нужны 1 500 т ПВХ в год, поставка в Туркестан."):
    client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers, json=NEED_PVC)
    [match] = client.get("/api/v1/cooperation/matches", headers=chain.buyer.headers).get_json()["items"]
    return client.post("/api/v1/cooperation/requests", headers=chain.buyer.headers,
                       json={"need_id": match["need"]["id"], "offer_id": match["offer"]["id"], "message": message})


def test_the_buyer_writes_the_maker_accepts_and_a_contract_is_recorded(client, chain, make_user, api_token,
                                                                       delivered_mail):
    sent = _send(client, chain)
    assert sent.status_code == 201, sent.get_json()
    request = sent.get_json()
    assert request["state"] == "sent" and request["recipient"]["name"] == "MChJ «Navoiyazot PVX»"
    mails = delivered_mail()
    assert [m["to"] for m in mails] == [chain.maker.user.email]
    assert "390410" in mails[0]["subject"] and "1 500 т ПВХ" in mails[0]["body"]

    url = f"/api/v1/cooperation/requests/{request['id']}"
    assert client.post(f"{url}/accept", headers=chain.buyer.headers, json={}).status_code == 409  # not the sender's
    accepted = client.post(f"{url}/accept", headers=chain.maker.headers,
                           json={"version": request["version"], "response": "Готовы, SG-5."})
    assert accepted.status_code == 200 and accepted.get_json()["state"] == "accepted"
    stale = client.post(f"{url}/record_meeting", headers=chain.buyer.headers, json={"version": request["version"]})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale_version"
    met = client.post(f"{url}/record_meeting", headers=chain.buyer.headers, json={"meeting_on": "2026-12-10"})
    assert met.get_json()["state"] == "met"
    bad = client.post(f"{url}/record_contract", headers=chain.maker.headers,
                      json={"annual_volume": "NaN", "unit": "t", "annual_value_usd": "-1"})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"annual_volume", "annual_value_usd"}
    contract = client.post(f"{url}/record_contract", headers=chain.maker.headers,
                           json={"contract_on": "2026-12-20", "annual_volume": "1200", "unit": "t",
                                 "annual_value_usd": "1140000"})
    assert contract.status_code == 200
    outcome = contract.get_json()["outcome"]
    assert outcome == {"meeting_on": "2026-12-10", "contract_on": "2026-12-20", "annual_volume": "1200", "unit": "t",
                       "annual_value_usd": "1140000", "note": None}
    assert client.post(f"{url}/record_no_deal", headers=chain.buyer.headers, json={}).status_code == 409

    staff = api_token(make_user("auditor"))
    listed = client.get("/api/v1/cooperation/requests", headers=staff).get_json()["items"]
    assert [(r["id"], r["state"]) for r in listed] == [(request["id"], "contracted")]
    assert client.get(url, headers=staff).status_code == 200
    assert client.post(f"{url}/withdraw", headers=staff, json={}).status_code == 403


def test_other_companies_never_see_the_request(client, chain, make_resident, make_user, api_token):
    request = _send(client, chain).get_json()
    stranger = make_resident("UZ")
    url = f"/api/v1/cooperation/requests/{request['id']}"
    assert client.get(url, headers=stranger.headers).status_code == 404
    assert client.post(f"{url}/accept", headers=stranger.headers, json={}).status_code == 404
    assert client.get("/api/v1/cooperation/requests", headers=stranger.headers).get_json()["items"] == []
    assert client.get("/api/v1/cooperation/needs", headers=stranger.headers).get_json()["items"] == []
    outsider = api_token(make_user("applicant"))
    assert client.get(url, headers=outsider).status_code == 404


def test_a_request_must_name_a_match_across_the_border(client, chain, make_resident):
    need = client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers, json=NEED_PVC).get_json()
    same_side = make_resident("KZ", products=[{"name": "PVC", "hs_code": "390410", "annual_volume": "10", "unit": "t"}])
    [kz_offer] = client.get("/api/v1/cooperation/offers", headers=same_side.headers).get_json()["items"]
    [uz_offer] = client.get("/api/v1/cooperation/offers", headers=chain.maker.headers).get_json()["items"]
    cases = [
        ({"need_id": need["id"], "offer_id": kz_offer["id"], "message": "x"}, 422),  # same side
        ({"need_id": need["id"], "offer_id": 987654, "message": "x"}, 422),
        ({"need_id": need["id"], "offer_id": uz_offer["id"], "message": ""}, 422),
        ({"need_id": need["id"], "offer_id": uz_offer["id"], "message": "x\u0000"}, 422),
        ({"need_id": "1", "offer_id": uz_offer["id"], "message": "x"}, 422),
        ({"need_id": need["id"], "offer_id": 2**70, "message": "x"}, 422),
        ({"need_id": need["id"], "offer_id": uz_offer["id"], "message": "x" * 4001}, 422),
        ({"need_id": need["id"], "offer_id": uz_offer["id"]}, 422),
    ]
    for body, status in cases:
        response = client.post("/api/v1/cooperation/requests", headers=chain.buyer.headers, json=body)
        assert response.status_code in (status, 400), (body, response.get_json())
    # someone else's need and offer: not the sender's own
    response = client.post("/api/v1/cooperation/requests", headers=same_side.headers,
                           json={"need_id": need["id"], "offer_id": uz_offer["id"], "message": "x"})
    assert response.status_code == 422
    first = client.post("/api/v1/cooperation/requests", headers=chain.buyer.headers,
                        json={"need_id": need["id"], "offer_id": uz_offer["id"], "message": "Здравствуйте"})
    assert first.status_code == 201
    again = client.post("/api/v1/cooperation/requests", headers=chain.buyer.headers,
                        json={"need_id": need["id"], "offer_id": uz_offer["id"], "message": "Ещё раз"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "duplicate"


def test_unknown_actions_are_not_found(client, chain):
    request = _send(client, chain).get_json()
    response = client.post(f"/api/v1/cooperation/requests/{request['id']}/approve", headers=chain.maker.headers,
                           json={})
    assert response.status_code == 404


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("party", ["sender", "recipient", None])
def test_the_transition_table_is_the_whole_workflow(state, action, party):
    allowed = TRANSITIONS.get((state, action))
    expected = allowed[0] if allowed and party in allowed[1] else None
    assert target(state, action, party) == expected
    if state in (State.DECLINED, State.WITHDRAWN, State.CONTRACTED, State.NO_DEAL):
        assert expected is None  # final states


def test_the_answer_and_the_contract_are_mailed_to_the_other_company(client, chain, delivered_mail):
    request = _send(client, chain).get_json()
    delivered_mail()
    url = f"/api/v1/cooperation/requests/{request['id']}"
    client.post(f"{url}/accept", headers=chain.maker.headers, json={"response": "Готовы."})
    client.post(f"{url}/record_contract", headers=chain.maker.headers, json={"annual_volume": "10", "unit": "т"})
    mails = [m for m in delivered_mail() if m["to"] == chain.buyer.user.email]
    assert len(mails) == 2
    assert "Готовы." in mails[0]["body"] and f"/cooperation/requests/{request['id']}" in mails[0]["body"]
    assert "10" in mails[1]["body"]
