"""An approval produces a signed certificate.issued notice and a feed entry; a suspension a suspended one."""

from __future__ import annotations

from tests.api.seed import seed_through_api


def test_approval_and_suspension_reach_the_receiver_and_the_feed(client, make_company, make_user, api_token,
                                                                 receiver, subscribe, deliver, admin):
    subscribe(receiver, events=["certificate.issued", "certificate.suspended"], side="KZ")
    seed = seed_through_api(client, make_company, make_user, api_token)
    assert "agreement" in seed.stages, seed.problems
    serial, number = seed.serials[0], seed.agreement_numbers[0]

    deliver()
    (issued,) = receiver.received
    data = issued["payload"]["data"]
    assert issued["payload"]["type"] == "certificate.issued"
    assert data["serial"] == serial and data["side"] == "KZ" and data["status"] == "active"
    assert data["agreement"] == {"number": number}
    assert data["company"]["tax_id"] == seed.tax_ids[0] and data["company"]["name"]
    assert data["benefits"] and all(b["periods"] for b in data["benefits"])
    assert data["effective_from"] and data["reason"] is None
    assert issued["headers"]["webhook-signature"].startswith("v1,")

    response = client.post(f"/api/v1/certificates/{serial}/suspend", headers=seed.tokens["admin"],
                           json={"reason": "Отчёт не сдан"})
    assert response.status_code == 200, response.get_json()
    deliver()
    suspended = receiver.received[1]["payload"]
    assert suspended["type"] == "certificate.suspended"
    assert suspended["data"]["reason"] == "Отчёт не сдан" and suspended["data"]["status"] == "suspended"

    feed = client.get("/api/v1/events", headers=seed.tokens["auditor"]).get_json()
    assert [e["id"] for e in feed["items"]] == [r["id"] for r in receiver.received]
    assert feed["next_cursor"] == feed["items"][-1]["id"]
    rest = client.get(f"/api/v1/events?after={feed['next_cursor']}", headers=admin).get_json()
    assert rest == {"items": [], "next_cursor": None}
    only = client.get("/api/v1/events?type=certificate.suspended", headers=admin).get_json()["items"]
    assert [e["type"] for e in only] == ["certificate.suspended"]


def test_a_failed_change_writes_no_event(client, make_company, make_user, api_token, admin):
    seed = seed_through_api(client, make_company, make_user, api_token)
    serial = seed.serials[0]
    before = client.get("/api/v1/events", headers=admin).get_json()["items"]
    response = client.post(f"/api/v1/certificates/{serial}/reinstate", headers=admin, json={"reason": "x"})
    assert response.status_code == 409
    assert client.get("/api/v1/events", headers=admin).get_json()["items"] == before


def test_every_status_change_is_an_event_in_order(client, runner, make_company, make_user, api_token, admin):
    seed = seed_through_api(client, make_company, make_user, api_token)
    serial = seed.serials[0]
    for action in ("suspend", "reinstate", "revoke"):
        response = client.post(f"/api/v1/certificates/{serial}/{action}", headers=seed.tokens["admin"],
                               json={"reason": f"{action} reason"})
        assert response.status_code == 200, response.get_json()
    items = client.get("/api/v1/events", headers=admin).get_json()["items"]
    assert [e["type"] for e in items] == ["certificate.issued", "certificate.suspended", "certificate.reinstated",
                                         "certificate.revoked", "agreement.terminated"]
    assert [e["data"]["status"] for e in items] == ["active", "suspended", "active", "revoked", "revoked"]
    assert items[3]["data"]["reason"] == items[4]["data"]["reason"] == "revoke reason"


def test_expiry_is_an_event(client, runner, make_company, make_user, api_token, admin):
    seed = seed_through_api(client, make_company, make_user, api_token)
    result = runner.invoke(args=["certificates", "expire", "--date", "2099-01-01"])
    assert result.exit_code == 0, result.output
    items = client.get("/api/v1/events?type=certificate.expired", headers=admin).get_json()["items"]
    assert [e["data"]["serial"] for e in items] == [seed.serials[0]]
    assert items[0]["data"]["effective_from"]


def test_a_reissue_tells_of_the_superseded_and_the_new_certificate(client, make_company, make_user, api_token,
                                                                    admin):
    seed = seed_through_api(client, make_company, make_user, api_token)
    serial, other = seed.serials[0], api_token(make_user("approver"))
    proposal = client.post(f"/api/v1/certificates/{serial}/reissue", headers=seed.tokens["approver"],
                           json={"reason": "Смена наименования"}).get_json()["proposal"]
    confirmed = client.post(f"/api/v1/certificates/{serial}/reissue", headers=other,
                            json={"proposal": proposal["id"], "decision": "confirm"})
    assert confirmed.status_code == 201, confirmed.get_json()
    items = client.get("/api/v1/events", headers=admin).get_json()["items"]
    assert [(e["type"], e["data"]["serial"]) for e in items] == [
        ("certificate.issued", serial), ("certificate.superseded", serial),
        ("certificate.issued", confirmed.get_json()["serial"])]
    assert items[2]["data"]["supersedes"] == serial and items[2]["data"]["agreement"]["number"]
