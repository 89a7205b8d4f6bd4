"""The public benefits check: JSON API and HTML page, in the user's language."""

from __future__ import annotations

from datetime import date

import pytest

from zone.calendar import today as zone_today

from .http_helpers import UZ_BODY

NBSP = "\u00a0"


def test_api_check_answers_the_api_md_shape(client):
    response = client.post("/api/v1/eligibility/check?lang=en", json={**UZ_BODY, "on_date": "2026-03-10"})
    assert response.status_code == 200
    body = response.get_json()
    assert {"rule_set", "on_date", "admitted", "derived", "admission", "benefits"} <= set(body)
    assert body["rule_set"] == {"version": "2026.1", "effective_from": "2026-01-01"}
    assert body["on_date"] == "2026-03-10" and body["admitted"] is True
    assert body["derived"]["investment_usd"] == "400000.00"
    codes = {b["code"]: b for b in body["benefits"]}
    assert set(codes) == {
        "UZ_PROFIT_TAX",
        "UZ_PROPERTY_TAX",
        "UZ_LAND_TAX",
        "UZ_WATER_TAX",
        "UZ_CUSTOMS",
        "ICIC_COOPERATION",
    }
    assert codes["UZ_PROFIT_TAX"]["periods"] == [{"from": "2026-03-10", "until": "2029-03-10", "reduction_pct": 100}]
    assert codes["ICIC_COOPERATION"]["periods"] == [{"from": "2026-03-10", "until": "2029-03-10", "reduction_pct": 50}]
    assert codes["UZ_PROFIT_TAX"]["explanation"].startswith("Profit tax exemption: investment 400,000 USD")


def test_api_check_explains_in_russian_by_default(client):
    body = client.post(
        "/api/v1/eligibility/check",
        json={**UZ_BODY, "investment_amount": 250000, "on_date": "2026-03-10"},
        headers={"Accept-Language": "ru"},
    ).get_json()
    assert body["admitted"] is False
    assert all(not b["eligible"] and b["periods"] == [] for b in body["benefits"])
    failing = [c for c in body["admission"] if not c["passed"]]
    assert [c["id"] for c in failing] == ["uz.min_investment"]
    assert f"USD 250{NBSP}000 ниже минимума USD 300{NBSP}000" in failing[0]["explanation"]


def test_api_check_kazakh_and_uzbek(client):
    for lang, word in (("kk", "инвестиция"), ("uz", "investitsiya")):
        body = client.post(
            f"/api/v1/eligibility/check?lang={lang}", json={**UZ_BODY, "on_date": "2026-03-10"}
        ).get_json()
        assert word in body["benefits"][0]["explanation"]


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"investment_amount": "abc"}, {"investment_amount"}),
        ({"investment_amount": True, "side": "RU"}, {"investment_amount", "side"}),
        ({"activity_codes": ["22.2x"], "registration_country": "uz"}, {"activity_codes", "registration_country"}),
        ({"capital_shares": {"UZ": 60, "KZ": 30}}, {"capital_shares"}),
        ({"turnover": 1}, {"turnover"}),
        ({"on_date": "10.03.2026"}, {"on_date"}),
    ],
)
def test_api_check_422_names_each_bad_field(client, changes, fields):
    response = client.post("/api/v1/eligibility/check?lang=en", json={**UZ_BODY, "on_date": "2026-03-10", **changes})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert set(error["fields"]) == fields
    assert error["message"]


def test_api_check_missing_kz_facts_and_russian_messages(client):
    body = {**UZ_BODY, "side": "KZ", "registration_country": "KZ", "on_date": "2026-03-10"}
    error = client.post("/api/v1/eligibility/check?lang=ru", json=body).get_json()["error"]
    assert error["fields"] == {
        "priority_income_share": ["Обязательное поле для казахстанской части."],
        "has_branches_outside_zone": ["Обязательное поле для казахстанской части."],
    }


def test_api_check_before_any_rule_set_is_422_on_date(client):
    response = client.post("/api/v1/eligibility/check?lang=en", json={**UZ_BODY, "on_date": "2025-12-31"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "no_rule_set" and "on_date" in error["fields"]


def test_api_check_malformed_json_is_400(client):
    response = client.post("/api/v1/eligibility/check", data="not json", content_type="application/json")
    assert response.status_code == 400


def test_api_check_defaults_to_today(client):
    response = client.post("/api/v1/eligibility/check", json=UZ_BODY)
    if zone_today() >= date(2026, 1, 1):
        assert response.get_json()["on_date"] == zone_today().isoformat()
    else:
        assert response.status_code == 422


def test_rule_sets_api_lists_the_shipped_one(client):
    body = client.get("/api/v1/rule-sets").get_json()
    assert body["next_cursor"] is None
    assert body["items"][0]["version"] == "2026.1" and body["items"][0]["effective_from"] == "2026-01-01"
    detail = client.get("/api/v1/rule-sets/2026.1?lang=en").get_json()
    assert detail["version"] == "2026.1" and detail["status"] == "active"
    params = {p["id"]: p for p in detail["parameters"]}
    assert [v["value"] for v in params["kz.mci_kzt"]["values"]] == ["3692", "3932", "4325"]
    assert params["fx.kzt_per_usd"]["values"][0]["verified"] is False
    assert {b["code"] for b in detail["benefits"]} >= {"KZ_CIT", "UZ_CUSTOMS", "ICIC_COOPERATION"}
    assert client.get("/api/v1/rule-sets/1999.9").status_code == 404


def test_oked_search_api(client):
    items = client.get("/api/v1/oked?q=22.2&lang=en").get_json()["items"]
    assert items[1] == {
        "code": "22.21",
        "name": items[1]["name"],
        "level": "class",
        "manufacturing": True,
        "excluded": False,
    }
    assert client.get("/api/v1/oked?q=").get_json()["items"] == []


PAGE_FORM = {
    "side": "UZ",
    "registration_country": "UZ",
    "is_legal_entity": "yes",
    "activity_codes": "28.30, 22.21",
    "investment_amount": "10 000 000",
    "investment_currency": "USD",
    "share_uz": "60",
    "share_kz": "40",
    "on_date": "2026-03-10",
}


def test_page_shows_the_form_in_russian(client):
    page = client.get("/eligibility").get_data(as_text=True)
    assert "Проверка льгот" in page and 'name="investment_amount"' in page


def test_page_shows_admission_benefits_and_periods(client):
    page = client.post("/eligibility?lang=en", data=PAGE_FORM).get_data(as_text=True)
    assert "The company meets every admission criterion." in page
    assert "Profit tax exemption" in page and "Granted" in page
    assert "Mar 10, 2026 – Mar 9, 2036: 100%" in page  # through the day before until
    assert "Mar 10, 2036 – Mar 9, 2041: 50%" in page
    assert "Cooperation project" in page


def test_page_explains_why_not_in_russian(client):
    page = client.post(
        "/eligibility", data={**PAGE_FORM, "investment_amount": "250000"}, headers={"Accept-Language": "ru"}
    ).get_data(as_text=True)
    assert "Нет допуска" in page
    assert "ниже минимума USD 300" in page
    assert "недоступно, так как не выполнены условия допуска" in page


def test_page_keeps_input_and_marks_bad_fields(client):
    response = client.post("/eligibility?lang=en", data={**PAGE_FORM, "investment_amount": "lots", "share_kz": "10"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Must be a number." in page and "Shares must add up to 100." in page
    assert 'value="lots"' in page and 'value="28.30, 22.21"' in page
