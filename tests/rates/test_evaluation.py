"""An evaluation uses the official rate in force on its date, names it, and falls back honestly."""

from __future__ import annotations

from pathlib import Path

from tests.eligibility.http_helpers import UZ_BODY

FIXTURES = Path(__file__).with_name("fixtures")
# 3,795,000,000 UZS: USD 316,250 at the rule set's 12,000 UZS per USD, but USD 299,986.96... at the
# Central Bank's 12,650.55: the official rate decides admission.
UZS_BODY = {**UZ_BODY, "investment_amount": "3795000000", "investment_currency": "UZS"}
KZ_BODY = {
    "side": "KZ",
    "registration_country": "KZ",
    "is_legal_entity": True,
    "activity_codes": ["22.21"],
    "investment_amount": "25441176.48",
    "investment_currency": "USD",
    "priority_income_share": 95,
    "has_branches_outside_zone": False,
    "capital_shares": {"KZ": 100},
}


def _import(runner, source: str, name: str) -> None:
    result = runner.invoke(args=["rates", "import", "--source", source, "--file", str(FIXTURES / name)])
    assert result.exit_code == 0, result.output


def _check(client, body: dict, on_date: str) -> dict:
    response = client.post("/api/v1/eligibility/check?lang=en", json={**body, "on_date": on_date})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _minimum(result: dict) -> dict:
    return next(item for item in result["admission"] if item["id"] == "uz.min_investment")


def test_the_official_rate_of_the_day_decides_and_is_named(client, runner):
    _import(runner, "cbu", "cbu_2026-03-10.json")
    result = _check(client, UZS_BODY, "2026-03-10")
    assert result["admitted"] is False
    assert result["derived"]["investment_usd"] == "299986.96"
    assert result["derived_exact"]["investment_usd"] == "2300000000/7667"
    assert result["rates"][0] == {
        "parameter": "fx.uzs_per_usd",
        "currency": "UZS",
        "value": "12650.55",
        "source": "cbu",
        "date": "2026-03-10",
        "earlier": False,
    }
    text = _minimum(result)["explanation"]
    assert text.startswith("Investment USD 299,986.95… is below the minimum USD 300,000")
    assert "Calculation: 3,795,000,000 UZS ÷ 12,650.55 = 299,986.95… USD." in text
    assert "12,650.55, the official rate of the Central Bank of Uzbekistan for March 10, 2026." in text


def test_a_day_without_a_rate_uses_the_latest_earlier_one_and_says_so(client, runner):
    _import(runner, "cbu", "cbu_2026-03-10.json")
    result = _check(client, UZS_BODY, "2026-03-12")
    assert result["admitted"] is False
    assert result["rates"][0]["date"] == "2026-03-10" and result["rates"][0]["earlier"] is True
    text = _minimum(result)["explanation"]
    assert "official rate of the Central Bank of Uzbekistan for March 10, 2026" in text
    assert "none was published for March 12, 2026, so the latest earlier one applies" in text
    # A later import for that day takes over.
    _import(runner, "cbu", "cbu_all_2026-03-12.json")
    later = _check(client, UZS_BODY, "2026-03-12")
    assert later["rates"][0]["value"] == "12661.1" and later["rates"][0]["earlier"] is False


def test_before_any_official_rate_the_rule_set_s_rate_is_the_fallback(client, runner):
    _import(runner, "cbu", "cbu_2026-03-10.json")
    result = _check(client, UZS_BODY, "2026-03-09")
    assert result["admitted"] is True and result["derived"]["investment_usd"] == "316250.00"
    assert result["rates"][0]["source"] == "rule_set" and result["rates"][0]["date"] == "2026-01-01"
    text = _minimum(result)["explanation"]
    assert "12,000, the rule set's value (in force since January 1, 2026)" in text
    assert "no official rate has been imported for March 9, 2026" in text


def test_kazakh_side_uses_the_national_bank_rate_for_mci(client, runner):
    # 25,441,176.48 USD is just above 3,000,000 MCI at the rule set's 510 KZT per USD (15 years) but
    # about 2,972,588 MCI at the National Bank's 505.34 (7 years).
    assert _check(client, KZ_BODY, "2026-03-10")["benefits"][0]["periods"][0]["until"] == "2041-03-10"
    _import(runner, "nbk", "nbk_2026-03-10.xml")
    result = _check(client, KZ_BODY, "2026-03-10")
    assert result["benefits"][0]["periods"] == [{"from": "2026-03-10", "until": "2033-03-10", "reduction_pct": 100}]
    assert result["rates"] == [
        {
            "parameter": "fx.kzt_per_usd",
            "currency": "KZT",
            "value": "505.34",
            "source": "nbk",
            "date": "2026-03-10",
            "earlier": False,
        },
    ]
    text = result["benefits"][0]["explanation"]
    assert "Calculation: 25,441,176.48 USD × 505.34 ÷ 4,325 = 2,972,588.23… MCI." in text
    assert "505.34, the official rate of the National Bank of Kazakhstan for March 10, 2026." in text
