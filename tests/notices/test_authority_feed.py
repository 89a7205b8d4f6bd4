"""The pull feed for the tax and customs authorities: an authority's token reads its own side's events,
in order, gap-free within what it may see, and never another side's."""

from __future__ import annotations


def _feed(client, headers, query: str = "") -> dict:
    response = client.get(f"/api/v1/events{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_an_authority_reads_only_its_sides_events(client, make_user, api_token, emit_events, admin):
    kz_first = emit_events(2, side="KZ")
    uz = emit_events(2, type_="certificate.revoked", side="UZ")
    kz_last = emit_events(1, type_="certificate.suspended", side="KZ")
    kz = api_token(make_user("authority", side="KZ"))
    uz_token = api_token(make_user("authority", side="UZ"))

    seen = _feed(client, kz)
    assert [e["id"] for e in seen["items"]] == kz_first + kz_last
    assert {e["data"]["side"] for e in seen["items"]} == {"KZ"}
    assert seen["next_cursor"] == kz_last[0]
    assert [e["id"] for e in _feed(client, uz_token)["items"]] == uz
    assert len(_feed(client, admin)["items"]) == 5  # admins and auditors read both sides

    # Resuming after its own last id, by type, and by pages: still only its side.
    assert [e["id"] for e in _feed(client, kz, f"?after={kz_first[0]}")["items"]] == [kz_first[1], *kz_last]
    assert [e["id"] for e in _feed(client, kz, "?type=certificate.revoked")["items"]] == []
    assert [e["id"] for e in _feed(client, kz, "?limit=1")["items"]] == kz_first[:1]
    assert _feed(client, kz, f"?after={kz_last[0]}") == {"items": [], "next_cursor": None}

    # Another side's id is not a cursor it can use: as if the event did not exist.
    refused = client.get(f"/api/v1/events?after={uz[0]}", headers=kz)
    assert refused.status_code == 422 and "after" in refused.get_json()["error"]["fields"]


def test_a_revocation_reaches_only_the_authority_of_its_side(client, make_company, make_user, api_token):
    from tests.api.seed import seed_through_api

    seed = seed_through_api(client, make_company, make_user, api_token)
    serial = seed.serials[0]
    revoked = client.post(f"/api/v1/certificates/{serial}/revoke", headers=seed.tokens["admin"],
                          json={"reason": "Ложные сведения"})
    assert revoked.status_code == 200, revoked.get_json()
    kz = api_token(make_user("authority", side="KZ"))
    uz = api_token(make_user("authority", side="UZ"))
    assert [e["type"] for e in _feed(client, kz)["items"]] == ["certificate.issued", "certificate.revoked",
                                                               "agreement.terminated"]
    assert _feed(client, uz) == {"items": [], "next_cursor": None}


def test_a_disabled_authority_reads_nothing(client, app, make_user, api_token, emit_events):
    from zone.accounts.models import User
    from zone.extensions import db

    emit_events(1, side="KZ")
    authority = make_user("authority", side="KZ")
    headers = api_token(authority)
    assert len(_feed(client, headers)["items"]) == 1
    with app.app_context():
        db.session.get(User, authority.id).active = False
        db.session.commit()
    assert client.get("/api/v1/events", headers=headers).status_code == 401
