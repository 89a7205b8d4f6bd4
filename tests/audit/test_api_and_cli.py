"""``GET /api/v1/audit/events`` and ``/audit/verify`` as API.md describes them, and ``flask audit verify``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from zone.audit.services import record
from zone.extensions import db


@pytest.fixture
def auditor_headers(make_user, api_token):
    return api_token(make_user("auditor"))


def _all_pages(client, headers, url: str) -> list[dict]:
    items, cursor = [], None
    while True:
        joiner = "&" if "?" in url else "?"
        response = client.get(url + (f"{joiner}cursor={cursor}" if cursor else ""), headers=headers)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_events_newest_first_with_cursor_pages(client, fill_chain, make_user, api_token):
    fill_chain(25)
    auditor_headers = api_token(make_user("auditor"))
    items = _all_pages(client, auditor_headers, "/api/v1/audit/events?limit=7&action=test.event")
    assert [i["seq"] for i in items] == list(range(25, 0, -1))
    first = items[-1]
    assert set(first) >= {"seq", "at", "actor", "actor_id", "action", "object_type", "object_id", "details",
                          "prev_hash", "hash"}
    assert first["details"] == {"i": 1, "note": "событие 1"} and first["at"].endswith("Z")
    oldest_first = _all_pages(client, auditor_headers, "/api/v1/audit/events?limit=10&order=asc&action=test.*")
    assert [i["seq"] for i in oldest_first] == list(range(1, 26))


def test_events_filters(client, fill_chain, make_user, api_token):
    fill_chain(3)
    auditor = make_user("auditor")
    headers = api_token(auditor)  # records auth.login and api_token.issue
    url = "/api/v1/audit/events"
    assert [i["action"] for i in client.get(f"{url}?actor={auditor.email}", headers=headers).get_json()["items"]] \
        == ["api_token.issue", "auth.login"]
    assert len(client.get(f"{url}?actor={auditor.id}", headers=headers).get_json()["items"]) == 2
    assert [i["seq"] for i in client.get(f"{url}?object_type=thing&object_id=2", headers=headers)
            .get_json()["items"]] == [2]
    assert [i["action"] for i in client.get(f"{url}?action=auth.*", headers=headers).get_json()["items"]] \
        == ["auth.login"]
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert client.get(f"{url}?since={future.replace('+', '%2B')}", headers=headers).get_json()["items"] == []
    past = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(client.get(f"{url}?since={past}", headers=headers).get_json()["items"]) == 5
    assert len(client.get(f"{url}?since=2020-01-01", headers=headers).get_json()["items"]) == 5


@pytest.mark.parametrize(("query", "status", "field"), [("since=yesterday", 422, "since"),
                                                        ("limit=0", 422, "limit"),
                                                        ("order=sideways", 422, "order"),
                                                        ("cursor=!!!", 400, None)])
def test_events_bad_arguments(client, auditor_headers, query, status, field):
    response = client.get(f"/api/v1/audit/events?{query}", headers=auditor_headers)
    assert response.status_code == status
    error = response.get_json()["error"]
    if field:
        assert field in error["fields"]


def test_events_are_for_auditors_and_admins_only(client, make_user, api_token):
    assert client.get("/api/v1/audit/events").status_code == 401
    assert client.get("/api/v1/audit/verify").status_code == 401
    for role in ("applicant", "reviewer", "approver"):
        headers = api_token(make_user(role))
        assert client.get("/api/v1/audit/events", headers=headers).status_code == 403
        assert client.get("/api/v1/audit/verify", headers=headers).status_code == 403
    assert client.get("/api/v1/audit/events", headers=api_token(make_user("admin"))).status_code == 200


def test_verify_api_reports_the_chain_and_the_first_bad_seq(client, fill_chain, tamper, make_user, api_token):
    fill_chain(4)
    auditor_headers = api_token(make_user("auditor"))  # + auth.login + api_token.issue = 6
    body = client.get("/api/v1/audit/verify", headers=auditor_headers).get_json()
    assert body["ok"] is True and body["length"] == 6 and body["first_bad_seq"] is None
    assert len(body["head_hash"]) == 64
    tamper("UPDATE audit_events SET object_id = '99' WHERE seq = 3")
    body = client.get("/api/v1/audit/verify", headers=auditor_headers).get_json()
    assert {k: body[k] for k in ("ok", "first_bad_seq", "problem")} == {"ok": False, "first_bad_seq": 3,
                                                                          "problem": "altered"}
    assert body["length"] == 7  # the first check was recorded too


def test_cli_verify_exits_1_and_names_the_first_bad_seq(runner, fill_chain, tamper):
    fill_chain(5)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "chain intact: 5 entries" in result.output
    tamper("DELETE FROM audit_events WHERE seq = 2")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "chain BROKEN: first bad seq 2 (missing)" in result.output
    result = runner.invoke(args=["audit", "verify", "--json"])
    assert result.exit_code == 1 and '"first_bad_seq": 2' in result.output


def test_cli_verify_sees_commits_made_meanwhile(runner, fill_chain):
    fill_chain(2)
    record("test.later")
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "3 entries" in result.output
