"""Engine behaviour beyond the case file: rule-set choice, parameters by date, periods."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from zone.eligibility import NoRuleSetError, RuleSetRegistry, evaluate, load_rule_set, validate_facts
from zone.eligibility.periods import Period, add_years, schedule_periods
from zone.eligibility.registry import default_registry

from .helpers import KZ_FACTS, SHIPPED_YAML, UZ_FACTS, dump, param_index, shipped_document


def rule_set_variant(version: str, effective_from: str, **param_values):
    """The shipped rule set under another version/date, with some parameters' values replaced."""
    doc = shipped_document()
    doc["version"], doc["effective_from"] = version, effective_from
    for pid, values in param_values.items():
        doc["parameters"][param_index(doc, pid.replace("__", "."))]["values"] = values
    return load_rule_set(dump(doc))


def value(start, v):
    return {"from": start, "value": v, "reference": "test", "verified": False}


def test_parameters_in_force_by_date():
    rule_set = default_registry().get("2026.1")
    mci = rule_set.parameters["kz.mci_kzt"]
    assert mci.value_on(date(2023, 12, 31)) is None
    assert mci.value_on(date(2024, 6, 1)).value == 3692
    assert mci.value_on(date(2025, 6, 1)).value == 3932
    assert mci.value_on(date(2025, 12, 31)).value == 3932
    assert mci.value_on(date(2026, 1, 1)).value == 4325


def backdated(version: str, effective_from: str):
    """The shipped rules, in force from an earlier date (every 2026 value except MCI moved back)."""
    doc = shipped_document()
    doc["version"], doc["effective_from"] = version, effective_from
    for param in doc["parameters"]:
        for item in param["values"]:
            if item["from"] == "2026-01-01" and param["id"] != "kz.mci_kzt":
                item["from"] = effective_from
    return load_rule_set(dump(doc))


def test_mci_of_2025_versus_2026_changes_the_band():
    # 12,975,000,000 KZT is 3,299,847.41 MCI at the 2025 MCI of 3,932 (15 years) but exactly
    # 3,000,000 MCI at the 2026 MCI of 4,325 (7 years).
    older = backdated("2025.test", "2025-01-01")
    registry = default_registry().with_rule_sets([older])
    facts = validate_facts({**KZ_FACTS, "investment_amount": "12975000000"})
    in_2025 = evaluate(facts, date(2025, 12, 31), registry)
    in_2026 = evaluate(facts, date(2026, 1, 1), registry)
    assert in_2025.rule_set.version == "2025.test" and in_2026.rule_set.version == "2026.1"
    assert in_2025.derived["investment_mci"] == Fraction(12975000000, 3932)  # 3,299,847.41...
    assert in_2026.derived["investment_mci"] == 3000000
    kz_cit = {r.rule_set.version: r.benefits[0].periods[0].until for r in (in_2025, in_2026)}
    assert kz_cit == {"2025.test": date(2040, 12, 31), "2026.1": date(2033, 1, 1)}


def test_no_rule_set_before_2026_is_a_clear_error():
    facts = validate_facts(UZ_FACTS)
    with pytest.raises(
        NoRuleSetError, match="no rule set is in force on 2025-12-31; the first takes effect on 2026-01-01"
    ):
        evaluate(facts, date(2025, 12, 31))
    with pytest.raises(NoRuleSetError, match="takes effect on 2026-01-01"):
        evaluate(facts, date(2025, 12, 31), rule_set=default_registry().get("2026.1"))


def test_registry_picks_the_latest_rule_set_in_force():
    later = rule_set_variant("2027.1", "2027-01-01")
    registry = RuleSetRegistry([default_registry().get("2026.1"), later])
    assert registry.for_date(date(2026, 12, 31)).version == "2026.1"
    assert registry.for_date(date(2027, 1, 1)).version == "2027.1"
    assert [r.version for r in registry.versions()] == ["2026.1", "2027.1"]
    with pytest.raises(NoRuleSetError):
        registry.get("1999.1")
    with pytest.raises(ValueError, match="same date"):
        RuleSetRegistry([later, rule_set_variant("2027.2", "2027-01-01")])
    with pytest.raises(ValueError, match="twice"):
        RuleSetRegistry([later, later])


def test_a_raised_threshold_in_a_new_rule_set_changes_the_outcome():
    stricter = rule_set_variant("2026.2", "2026-07-01", uz__min_investment_usd=[value("2026-07-01", 500000)])
    registry = default_registry().with_rule_sets([stricter])
    facts = validate_facts({**UZ_FACTS, "investment_amount": 400000})
    assert evaluate(facts, date(2026, 6, 30), registry).admitted
    late = evaluate(facts, date(2026, 7, 1), registry)
    assert not late.admitted and late.failed_criteria == ("uz.min_investment",)
    assert "USD 400,000 is below the minimum USD 500,000" in late.to_dict("en")["admission"][-1]["explanation"]


def test_other_side_benefits_are_not_listed_and_not_admitted_means_no_periods():
    uz = evaluate(validate_facts({**UZ_FACTS, "investment_amount": 1000}), date(2026, 3, 10))
    assert {b.benefit.code for b in uz.benefits} == {
        "UZ_PROFIT_TAX",
        "UZ_PROPERTY_TAX",
        "UZ_LAND_TAX",
        "UZ_WATER_TAX",
        "UZ_CUSTOMS",
        "ICIC_COOPERATION",
    }
    assert all(not b.eligible and not b.periods for b in uz.benefits)
    kz = evaluate(validate_facts(KZ_FACTS), date(2026, 3, 10))
    assert not any(b.benefit.code.startswith("UZ_") for b in kz.benefits)


def test_evaluation_is_deterministic():
    facts = validate_facts(KZ_FACTS)
    first = evaluate(facts, date(2026, 3, 10))
    again = evaluate(validate_facts(KZ_FACTS), date(2026, 3, 10))
    assert first.outcome() == again.outcome()
    assert first.to_dict("ru") == again.to_dict("ru")
    assert first.to_snapshot() == again.to_snapshot()


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        (date(2026, 3, 10), 7, date(2033, 3, 10)),
        (date(2028, 2, 29), 7, date(2035, 2, 28)),
        (date(2028, 2, 29), 4, date(2032, 2, 29)),
        (date(2026, 12, 31), 1, date(2027, 12, 31)),
    ],
)
def test_add_years(start, years, end):
    assert add_years(start, years) == end


def test_schedule_is_half_open_steps_share_the_boundary_and_cut():
    steps = [(10, Decimal(100)), (5, Decimal(50))]
    periods, cut = schedule_periods(date(2026, 12, 1), steps, date(2054, 8, 6))
    assert periods == (
        Period(date(2026, 12, 1), date(2036, 12, 1), Decimal(100)),
        Period(date(2036, 12, 1), date(2041, 12, 1), Decimal(50)),
    )
    assert not cut
    # A step that would start on the zone's end is empty, so dropped (and the schedule is cut).
    periods, cut = schedule_periods(date(2044, 8, 6), steps, date(2054, 8, 6))
    assert periods == (Period(date(2044, 8, 6), date(2054, 8, 6), Decimal(100)),)
    assert cut
    # Ending exactly on the zone's end is not a cut.
    periods, cut = schedule_periods(date(2044, 8, 6), steps[:1], date(2054, 8, 6))
    assert periods == (Period(date(2044, 8, 6), date(2054, 8, 6), Decimal(100)),) and not cut
    periods, cut = schedule_periods(date(2045, 1, 1), steps, date(2054, 8, 6))
    assert periods == (Period(date(2045, 1, 1), date(2054, 8, 6), Decimal(100)),)
    assert cut
    assert Period(date(2026, 1, 1), date(2027, 1, 1), Decimal("50.5")).to_dict() == {
        "from": "2026-01-01",
        "until": "2027-01-01",
        "reduction_pct": 50.5,
    }


def test_shipped_yaml_is_parsed_once_per_process():
    assert default_registry() is default_registry()
    assert default_registry().get("2026.1").source == SHIPPED_YAML
