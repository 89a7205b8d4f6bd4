"""Subscriptions through the API: who may manage them, what is refused (SSRF), the feed's access."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("role", ["applicant", "reviewer", "approver", "auditor"])
def test_only_admins_manage_subscriptions(client, make_user, api_token, role):
    headers = api_token(make_user(role))
    response = client.post("/api/v1/subscriptions", headers=headers,
                           json={"name": "x", "url": "http://127.0.0.1:9/", "events": ["certificate.issued"]})
    assert response.status_code == 403
    assert client.get("/api/v1/subscriptions", headers=headers).status_code == 403


@pytest.mark.parametrize("role", ["applicant", "reviewer", "approver"])
def test_the_feed_is_for_auditors_and_admins(client, make_user, api_token, role):
    assert client.get("/api/v1/events", headers=api_token(make_user(role))).status_code == 403


@pytest.mark.parametrize("url", [
    "http://10.0.0.5/hook", "https://192.168.1.1/", "https://169.254.169.254/latest/meta-data",
    "https://[::ffff:10.0.0.1]/", "ftp://example.org/", "https://user:pw@127.0.0.1/", "https://0.0.0.0/",
    "https://[fe80::1]/", "not a url",
])
def test_private_and_link_local_receivers_are_refused(client, admin, url):
    response = client.post("/api/v1/subscriptions", headers=admin,
                           json={"name": "x", "url": url, "events": ["certificate.issued"]})
    assert response.status_code == 422 and "url" in response.get_json()["error"]["fields"]


def test_production_refuses_loopback_unless_allow_listed(app, client, admin):
    body = {"name": "x", "url": "http://127.0.0.1:9/", "events": ["certificate.issued"]}
    app.config["NOTICES_ALLOW_LOOPBACK"] = False
    assert client.post("/api/v1/subscriptions", headers=admin, json=body).status_code == 422
    app.config["NOTICES_ALLOWED_NETWORKS"] = ["127.0.0.0/8"]
    assert client.post("/api/v1/subscriptions", headers=admin, json=body).status_code == 201


def test_a_receiver_that_turns_private_is_not_posted_to(app, client, admin, receiver, subscribe, emit_events,
                                                         deliver):
    created = subscribe(receiver, events=["certificate.issued"])
    app.config["NOTICES_ALLOW_LOOPBACK"] = False  # as if the name now resolved to a refused address
    emit_events(1)
    assert "failed 1" in deliver()
    assert receiver.seen == []
    log = client.get(f"/api/v1/subscriptions/{created['id']}/deliveries", headers=admin).get_json()["items"]
    assert log[0]["attempts"][0]["error"].startswith("refused")


def test_create_list_delete(client, admin, receiver):
    response = client.post("/api/v1/subscriptions", headers=admin, json={
        "name": "Customs UZ", "url": receiver.url, "events": ["certificate.revoked"], "side": "UZ"})
    assert response.status_code == 201
    created = response.get_json()
    assert created["secret"].startswith("whsec_")
    listed = client.get("/api/v1/subscriptions", headers=admin).get_json()["items"]
    assert [s["name"] for s in listed] == ["Customs UZ"] and "secret" not in listed[0]
    assert client.delete(f"/api/v1/subscriptions/{created['id']}", headers=admin).status_code == 204
    assert client.get("/api/v1/subscriptions", headers=admin).get_json()["items"] == []
    assert client.delete(f"/api/v1/subscriptions/{created['id']}", headers=admin).status_code == 404


def test_unknown_event_types_and_cursors_are_refused(client, admin, receiver):
    response = client.post("/api/v1/subscriptions", headers=admin,
                           json={"name": "x", "url": receiver.url, "events": ["certificate.eaten"]})
    assert response.status_code == 422 and "events" in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/events?after=evt_nope", headers=admin).status_code == 422
    assert client.get("/api/v1/events?type=nope", headers=admin).status_code == 422
