"""Explanations in every language, the API.md shape, and snapshots."""

from __future__ import annotations

import json
from datetime import date

import pytest

from zone.eligibility import LOCALES, evaluate, render_snapshot, validate_facts

from .helpers import KZ_FACTS, UZ_FACTS

NBSP = "\u00a0"


def uz_evaluation(amount, on_date=date(2026, 3, 10), **changes):
    return evaluate(validate_facts({**UZ_FACTS, "investment_amount": amount, **changes}), on_date)


def test_api_shape_exactly():
    result = uz_evaluation(10000000, capital_shares={"UZ": 50, "KZ": 50}).to_dict("en")
    assert set(result) == {
        "rule_set",
        "on_date",
        "admitted",
        "derived",
        "derived_exact",
        "rates",
        "admission",
        "benefits",
    }
    assert result["rule_set"] == {"version": "2026.1", "effective_from": "2026-01-01"}
    assert result["on_date"] == "2026-03-10"
    assert result["admitted"] is True
    assert result["derived"] == {
        "investment_usd": "10000000.00",
        "investment_kzt": "5100000000.00",
        "investment_mci": "1179190.75",
    }
    assert result["derived_exact"] == {
        "investment_usd": "10000000",
        "investment_kzt": "5100000000",
        "investment_mci": "204000000/173",
    }
    assert result["rates"] == [
        {
            "parameter": "fx.kzt_per_usd",
            "currency": "KZT",
            "value": "510",
            "source": "rule_set",
            "date": "2026-01-01",
            "earlier": False,
        },
    ]
    for item in result["admission"]:
        assert {"id", "passed", "explanation"} <= set(item)
        assert isinstance(item["passed"], bool) and item["explanation"]
    profit = result["benefits"][0]
    assert {"code", "eligible", "explanation", "periods"} <= set(profit)
    assert profit["periods"] == [
        {"from": "2026-03-10", "until": "2036-03-10", "reduction_pct": 100},
        {"from": "2036-03-10", "until": "2041-03-10", "reduction_pct": 50},
    ]
    json.dumps(result)


def test_failure_says_what_would_change_it_in_each_language():
    evaluation = uz_evaluation(250000)
    texts = {loc: evaluation.to_dict(loc)["admission"][-1]["explanation"] for loc in LOCALES}
    assert texts["en"] == ("Investment USD 250,000 is below the minimum USD 300,000; invest at least USD 50,000 more.")
    assert texts["ru"] == (
        f"Инвестиции USD 250{NBSP}000 ниже минимума USD 300{NBSP}000; необходимо вложить ещё не менее USD 50{NBSP}000."
    )
    assert f"USD 250{NBSP}000" in texts["kk"] and f"USD 250{NBSP}000" in texts["uz"]
    assert len(set(texts.values())) == 4


@pytest.mark.parametrize("locale", LOCALES)
def test_every_criterion_and_benefit_is_explained(locale):
    for facts in (KZ_FACTS, UZ_FACTS, {**KZ_FACTS, "priority_income_share": 50, "activity_codes": ["19.20", "62.01"]}):
        result = evaluate(validate_facts(facts), date(2026, 3, 10)).to_dict(locale)
        for item in result["admission"] + result["benefits"]:
            assert item["explanation"].strip() and "{" not in item["explanation"]
            assert item["name"]


def test_benefit_explanations_give_band_periods_and_cut():
    kz = evaluate(validate_facts({**KZ_FACTS, "investment_amount": "62712500043.25"}), date(2026, 3, 10))
    text = kz.to_dict("en")["benefits"][0]["explanation"]
    assert text.startswith("Corporate income tax reduced by 100%: investment 14,500,000.01 MCI falls in the band")
    assert "falls in the band over 14,500,000 MCI:" in text  # words, not (14,500,000; ∞)
    # People read the last day; the data keeps until = the zone's end date (half-open).
    assert "March 10, 2026 through December 30, 2043 (100%)." in text
    assert "The period is cut at the zone's end date, December 31, 2043." in text
    assert text.endswith("Calculation: 62,712,500,043.25 KZT ÷ 4,325 = 14,500,000.01 MCI.")
    periods = kz.to_dict("en")["benefits"][0]["periods"]
    assert periods == [{"from": "2026-03-10", "until": "2043-12-31", "reduction_pct": 100}]
    ru = kz.to_dict("ru")["benefits"][0]["explanation"]
    assert f"14{NBSP}500{NBSP}000,01 МРП" in ru
    assert f"с 10 марта 2026\u202fг. по 30 декабря 2043\u202fг. включительно (100{NBSP}%)" in ru
    assert "Срок ограничен датой окончания зоны: 31 декабря 2043\u202fг." in ru


def test_why_not_cooperation_and_why_not_anything():
    kz = evaluate(validate_facts({**KZ_FACTS, "capital_shares": {"KZ": "90.01", "UZ": "9.99"}}), date(2026, 3, 10))
    coop = kz.to_dict("en")["benefits"][-1]
    assert coop["code"] == "ICIC_COOPERATION" and not coop["eligible"] and coop["periods"] == []
    assert "UZ 9.99%, KZ 90.01%" in coop["explanation"]
    assert "each of UZ, KZ must hold at least 10%" in coop["explanation"]
    refused = evaluate(validate_facts({**KZ_FACTS, "is_legal_entity": False}), date(2026, 3, 10)).to_dict("ru")
    assert all("не выполнены условия допуска" in b["explanation"] for b in refused["benefits"])


def test_unknown_locale_falls_back_to_russian():
    evaluation = uz_evaluation(300000)
    assert evaluation.to_dict("de") == evaluation.to_dict("ru")
    assert evaluation.to_dict("kk_KZ") == evaluation.to_dict("kk")


def test_snapshot_is_self_contained_and_renders_like_the_evaluation():
    evaluation = uz_evaluation(3000000, capital_shares={"UZ": 70, "KZ": 30})
    snapshot = json.loads(json.dumps(evaluation.to_snapshot()))
    assert snapshot["rule_set"]["version"] == "2026.1" and len(snapshot["rule_set"]["sha256"]) == 64
    assert snapshot["facts"]["investment_amount"] == "3000000"
    assert set(snapshot["texts"]) == set(LOCALES)
    assert validate_facts(snapshot["facts"]) == evaluation.facts
    for locale in LOCALES:
        assert render_snapshot(snapshot, locale) == evaluation.to_dict(locale)
    assert render_snapshot(snapshot, "fr") == evaluation.to_dict("ru")


@pytest.mark.parametrize(("closed", "low", "high", "locale", "words"), [
    ("right", None, 3_000_000, "ru", "не более 3 000 000"),
    ("right", 3_000_000, 14_500_000, "ru", "свыше 3 000 000 и не более 14 500 000"),
    ("right", 14_500_000, None, "en", "over 14,500,000"),
    ("left", 3_000_000, 5_000_000, "en", "at least 3,000,000 and under 5,000,000"),
    ("left", 10_000_000, None, "ru", "не менее 10 000 000"),
    ("left", 300_000, 3_000_000, "uz", "kamida 300 000 va 3 000 000 dan kam"),
])
def test_a_band_is_told_in_words_not_interval_notation(closed, low, high, locale, words):
    from decimal import Decimal

    from zone.eligibility.compiled import Band
    from zone.eligibility.render import band_in_words

    band = Band(min=None if low is None else Decimal(low), max=None if high is None else Decimal(high), schedule=())
    assert band_in_words(band, closed, locale).replace("\xa0", " ") == words


def test_a_changed_scale_reads_in_words_on_the_admin_page():
    from zone.eligibility.changes import for_people
    from zone.eligibility.diff import diff_rule_sets
    from zone.eligibility.ruleset import load_rule_set

    from .helpers import SHIPPED_YAML, dump, param_index, shipped_document

    document = shipped_document()
    document["version"] = "2026.9"
    scale = document["parameters"][param_index(document, "kz.band_mci")]["values"][0]["value"]
    scale["bands"][0]["max"] = 3_500_000
    scale["bands"][1]["min"] = 3_500_000
    old, new = load_rule_set(SHIPPED_YAML), load_rule_set(dump(document))

    views = {v.id: v for v in for_people(old, new, diff_rule_sets(old, new), "ru")}
    band = views["kz.band_mci"]
    assert band.kind == "parameter" and band.change == "changed" and band.name
    after = band.after.replace("\xa0", " ").replace("\u202f", " ")
    assert after.startswith("с 1 января 2026 г.: не более 3 500 000 → 7 лет; свыше 3 500 000 и не более 14 500 000 → "
                            "15 лет; свыше 14 500 000 → 25 лет"), after
    assert "∞" not in after and "(" not in after.split("→")[0]
