"""Matching across the border: exact subheading, then heading, then chapter, weighted by capacity fit."""

from __future__ import annotations

from tests.cooperation.conftest import NEED_PVC


def _matches(client, resident, query=""):
    response = client.get(f"/api/v1/cooperation/matches{query}", headers=resident.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_the_kz_buyer_finds_the_uz_maker_and_the_maker_sees_the_buyer(client, chain):
    client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers, json=NEED_PVC)
    [best] = _matches(client, chain.buyer)
    assert best["company"]["name"] == "MChJ «Navoiyazot PVX»" and best["side"] == "UZ"
    assert best["offer"]["hs_code"] == "390410" and best["need"]["hs_code"] == "390410"
    assert best["direction"] == "buy" and best["score"] == 1.0
    assert best["matched"] == {"digits": 6, "code": "390410", "capacity_covers": 8.0}
    assert "390410" in best["explanation"]
    [seller] = _matches(client, chain.maker)
    assert seller["direction"] == "sell" and seller["company"]["name"] == "ТОО «Профиль Туркестан»"
    # the buyer's description, price and certificates stay private
    assert "description" not in seller["need"] and seller["need"]["annual_volume"] == "1500"


def test_grades_exact_then_heading_then_chapter_and_capacity(client, make_resident):
    buyer = make_resident("KZ")
    make_resident("UZ", products=[{"name": "PVC", "hs_code": "390410", "annual_volume": "500", "unit": "t"}],
                  name="Exact but small")
    make_resident("UZ", products=[{"name": "PVC compound", "hs_code": "390421", "annual_volume": "9000", "unit": "t"}],
                  name="Same heading")
    make_resident("UZ", products=[{"name": "Polyethylene", "hs_code": "390110", "annual_volume": "9000", "unit": "t"}],
                  name="Same chapter")
    make_resident("UZ", products=[{"name": "Tyres", "hs_code": "401110", "annual_volume": "9000", "unit": "pcs"}],
                  name="Other chapter")
    make_resident("KZ", products=[{"name": "PVC", "hs_code": "390410", "annual_volume": "9000", "unit": "t"}],
                  name="Same side")
    make_resident("UZ", products=[{"name": "PVC", "hs_code": "390410", "annual_volume": "9000", "unit": "t"}],
                  name="Suspended", status="suspended")
    make_resident("UZ", products=[{"name": "PVC", "hs_code": "390410", "annual_volume": "9000", "unit": "t"}],
                  name="Revoked", status="revoked")
    client.post("/api/v1/cooperation/needs", headers=buyer.headers, json=NEED_PVC)
    found = _matches(client, buyer)
    names = [m["company"]["name"] for m in found]
    assert names == ["Suspended", "Exact but small", "Same heading", "Same chapter"]
    assert [m["matched"]["digits"] for m in found] == [6, 6, 4, 2]
    assert found[1]["score"] == round(1.0 * (0.5 + 0.5 * 500 / 1500), 3)
    assert found[2]["score"] == 0.6 and found[3]["score"] == 0.3
    assert [m["score"] for m in found] == sorted((m["score"] for m in found), reverse=True)


def test_different_units_are_not_compared(client, make_resident):
    buyer = make_resident("UZ")
    make_resident("KZ", products=[{"name": "PVC", "hs_code": "390410", "annual_volume": "9000", "unit": "kg"}])
    client.post("/api/v1/cooperation/needs", headers=buyer.headers, json=NEED_PVC)
    [match] = _matches(client, buyer)
    assert match["score"] == 0.75 and match["matched"]["capacity_covers"] is None


def test_direction_and_limit_are_checked(client, chain):
    client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers, json=NEED_PVC)
    assert _matches(client, chain.buyer, "?direction=sell") == []
    assert len(_matches(client, chain.buyer, "?direction=buy&limit=1")) == 1
    for bad in ("?direction=up", "?limit=0", "?limit=abc", "?limit=100000", "?limit=-1"):
        assert client.get(f"/api/v1/cooperation/matches{bad}", headers=chain.buyer.headers).status_code == 422


def test_a_removed_need_matches_nothing(client, chain):
    need = client.post("/api/v1/cooperation/needs", headers=chain.buyer.headers, json=NEED_PVC).get_json()
    assert client.delete(f"/api/v1/cooperation/needs/{need['id']}", headers=chain.buyer.headers).status_code == 204
    assert _matches(client, chain.buyer) == []
