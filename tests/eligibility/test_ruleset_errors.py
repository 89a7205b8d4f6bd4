"""The loader refuses each kind of bad rule set, naming the place of every problem."""

from __future__ import annotations

import pytest

from zone.eligibility import RuleSetError, load_rule_set
from zone.eligibility.compiled import RuleSet

from .helpers import SHIPPED_YAML, benefit_index, criterion_index, dump, param_index, shipped_document


def errors_of(document_or_text) -> list[tuple[str, str]]:
    text = document_or_text if isinstance(document_or_text, str) else dump(document_or_text)
    with pytest.raises(RuleSetError) as info:
        load_rule_set(text)
    assert info.value.errors
    for path, message in info.value.errors:
        assert f"{path}: {message}" in str(info.value)
    return info.value.errors


def has(errors, path, fragment) -> bool:
    return any(p == path and fragment in m for p, m in errors)


def test_shipped_rule_set_compiles_to_immutable_objects():
    rule_set = load_rule_set(SHIPPED_YAML)
    assert isinstance(rule_set, RuleSet)
    assert rule_set.version == "2026.1"
    with pytest.raises(AttributeError):
        rule_set.version = "x"
    with pytest.raises(TypeError):
        rule_set.parameters["kz.mci_kzt"] = None
    assert [b.code for b in rule_set.benefits_for("UZ")] == [
        "UZ_PROFIT_TAX",
        "UZ_PROPERTY_TAX",
        "UZ_LAND_TAX",
        "UZ_WATER_TAX",
        "UZ_CUSTOMS",
        "ICIC_COOPERATION",
    ]
    assert rule_set.parameters["fx.kzt_per_usd"].values[0].verified is False
    assert rule_set.parameters["kz.mci_kzt"].values[-1].reference.startswith("Law of the Republic")


def test_dumped_and_reloaded_document_is_still_valid():
    assert load_rule_set(dump(shipped_document())).version == "2026.1"


def test_unknown_fact():
    doc = shipped_document()
    doc["admission"][criterion_index(doc, "uz.min_investment")]["fact"] = "turnover"
    i = criterion_index(doc, "uz.min_investment")
    assert has(errors_of(doc), f"admission[{i}].fact", "unknown fact 'turnover'")


def test_type_error_fact_and_operator():
    doc = shipped_document()
    i = criterion_index(doc, "legal_entity")
    doc["admission"][i]["op"] = "gte"
    assert has(errors_of(doc), f"admission[{i}].op", "type error: gte cannot apply to is_legal_entity")


def test_type_error_unit_mismatch():
    doc = shipped_document()
    i = criterion_index(doc, "uz.min_investment")
    doc["admission"][i]["param"] = "kz.mci_kzt"
    assert has(errors_of(doc), f"admission[{i}].param", "type error: kz.mci_kzt is in KZT, expected USD")


def test_type_error_param_kind():
    doc = shipped_document()
    b = benefit_index(doc, "KZ_CIT")
    doc["benefits"][b]["period"] = {"kind": "band", "param": "kz.sez_end", "fact": "investment_mci"}
    assert has(errors_of(doc), f"benefits[{b}].period.param", "kz.sez_end is a date parameter, expected bands")


def test_type_error_parameter_value():
    doc = shipped_document()
    p = param_index(doc, "uz.min_investment_usd")
    doc["parameters"][p]["values"][0]["value"] = "three hundred thousand"
    assert has(errors_of(doc), f"parameters[{p}].values[0].value", "expected a number")


def test_fact_only_known_on_one_side():
    doc = shipped_document()
    i = criterion_index(doc, "kz.priority_income_share")
    doc["admission"][i]["sides"] = ["KZ", "UZ"]
    assert has(errors_of(doc), f"admission[{i}].fact", "only known for ['KZ']")


@pytest.mark.parametrize("locale", ["ru", "en", "kk", "uz"])
def test_missing_translation(locale):
    doc = shipped_document()
    b = benefit_index(doc, "UZ_WATER_TAX")
    del doc["benefits"][b]["name"][locale]
    assert has(errors_of(doc), f"benefits[{b}].name.{locale}", "missing translation")


def test_missing_translation_in_an_explanation_and_message():
    doc = shipped_document()
    i = criterion_index(doc, "legal_entity")
    del doc["admission"][i]["explain"]["failed"]["kk"]
    del doc["messages"]["band"]["uz"]
    errors = errors_of(doc)
    assert has(errors, f"admission[{i}].explain.failed.kk", "missing translation")
    assert has(errors, "messages.band.uz", "missing translation")


def test_unknown_placeholder_and_language():
    doc = shipped_document()
    i = criterion_index(doc, "uz.min_investment")
    doc["admission"][i]["explain"]["failed"]["en"] = "Investment {amount} is too low"
    doc["admission"][i]["name"]["de"] = "Mindestinvestition"
    errors = errors_of(doc)
    assert has(errors, f"admission[{i}].explain.failed.en", "unknown placeholder {amount}")
    assert has(errors, f"admission[{i}].name.de", "unknown language")


def test_attribute_access_in_a_template_is_refused():
    doc = shipped_document()
    i = criterion_index(doc, "uz.min_investment")
    doc["admission"][i]["explain"]["failed"]["en"] = "{actual.__class__}"
    assert has(errors_of(doc), f"admission[{i}].explain.failed.en", "unknown placeholder")


def test_overlapping_bands():
    doc = shipped_document()
    p = param_index(doc, "uz.band_usd")
    doc["parameters"][p]["values"][0]["value"]["bands"][1]["min"] = 2000000
    path = f"parameters[{p}].values[0].value.bands[1]"
    assert has(errors_of(doc), path, "overlaps bands[0]")


def test_band_with_a_gap():
    doc = shipped_document()
    p = param_index(doc, "kz.band_mci")
    doc["parameters"][p]["values"][0]["value"]["bands"][2]["min"] = 15000000
    path = f"parameters[{p}].values[0].value.bands[2]"
    assert has(errors_of(doc), path, "gap after bands[1]: its max 14500000, this min 15000000")


def test_band_open_in_the_middle_and_inverted():
    doc = shipped_document()
    p = param_index(doc, "uz.band_usd")
    bands = doc["parameters"][p]["values"][0]["value"]["bands"]
    bands[0]["max"] = None
    bands[2]["min"], bands[2]["max"] = 10000000, 5000000
    errors = errors_of(doc)
    base = f"parameters[{p}].values[0].value.bands"
    assert has(errors, f"{base}[0]", "only the last band may have no max")
    assert has(errors, f"{base}[2]", "must be below max")


def test_unknown_parameter():
    doc = shipped_document()
    b = benefit_index(doc, "ICIC_COOPERATION")
    doc["benefits"][b]["criteria"][0]["param"] = "icic.min_share"
    assert has(errors_of(doc), f"benefits[{b}].criteria[0].param", "unknown parameter 'icic.min_share'")


def test_duplicate_codes_ids_and_parameters():
    doc = shipped_document()
    doc["benefits"][1]["code"] = doc["benefits"][0]["code"]
    doc["admission"][1]["id"] = doc["admission"][0]["id"]
    doc["parameters"][1]["id"] = doc["parameters"][0]["id"]
    errors = errors_of(doc)
    assert has(errors, "benefits[1].code", "duplicate benefit code 'KZ_CIT'")
    assert has(errors, "admission[1].id", "duplicate criterion id 'legal_entity'")
    assert has(errors, "parameters[1].id", "duplicate parameter 'kz.mci_kzt'")


def test_bad_dates():
    doc = shipped_document()
    doc["effective_from"] = "2026-02-30"
    p = param_index(doc, "kz.mci_kzt")
    doc["parameters"][p]["values"][1]["from"] = "2025-13-01"
    e = param_index(doc, "kz.sez_end")
    doc["parameters"][e]["values"][0]["value"] = "31.12.2043"
    errors = errors_of(doc)
    assert has(errors, "effective_from", "expected an ISO date")
    assert has(errors, f"parameters[{p}].values[1].from", "expected an ISO date YYYY-MM-DD, got '2025-13-01'")
    assert has(errors, f"parameters[{e}].values[0].value", "expected an ISO date")


def test_bad_date_in_raw_yaml_is_reported_not_crashing():
    text = SHIPPED_YAML.replace("effective_from: 2026-01-01", "effective_from: 2026-13-01")
    assert has(errors_of(text), "effective_from", "2026-13-01")


def test_values_out_of_order_and_no_value_in_force():
    doc = shipped_document()
    p = param_index(doc, "kz.mci_kzt")
    values = doc["parameters"][p]["values"]
    values[0], values[1] = values[1], values[0]
    f = param_index(doc, "fx.kzt_per_usd")
    doc["parameters"][f]["values"][0]["from"] = "2026-02-01"
    errors = errors_of(doc)
    assert has(errors, f"parameters[{p}].values[1].from", "increasing date order")
    assert has(errors, f"parameters[{f}].values", "no value in force on effective_from 2026-01-01")


def test_unknown_and_missing_keys_and_bad_flags():
    doc = shipped_document()
    doc["benefits"][0]["duration"] = 5
    del doc["benefits"][0]["reference"]
    doc["parameters"][0]["values"][0]["verified"] = "yes"
    errors = errors_of(doc)
    assert has(errors, "benefits[0].duration", "unknown key")
    assert has(errors, "benefits[0].reference", "missing")
    assert has(errors, "parameters[0].values[0].verified", "expected true or false")


def test_version_written_as_a_number():
    text = SHIPPED_YAML.replace('version: "2026.1"', "version: 2026.1")
    assert has(errors_of(text), "version", "write the version in quotes")


def test_bad_operator_sides_and_period_kind():
    doc = shipped_document()
    doc["admission"][0]["op"] = "approx"
    doc["admission"][1]["sides"] = ["KZ", "RU"]
    doc["benefits"][0]["period"] = {"kind": "forever"}
    errors = errors_of(doc)
    assert has(errors, "admission[0].op", "unknown operator 'approx'")
    assert has(errors, "admission[1].sides", "expected distinct sides")
    assert has(errors, "benefits[0].period.kind", "got 'forever'")


def test_malformed_excluded_code_and_zero_rate():
    doc = shipped_document()
    x = param_index(doc, "oked.excluded")
    doc["parameters"][x]["values"][0]["value"] = ["11.01", 12]
    f = param_index(doc, "fx.uzs_per_usd")
    doc["parameters"][f]["values"][0]["value"] = 0
    errors = errors_of(doc)
    assert has(errors, f"parameters[{x}].values[0].value", "malformed OKED code 12")
    assert has(errors, "derivation.uzs_per_usd", "must be above 0")


def test_yaml_syntax_and_duplicate_keys():
    assert errors_of("version: [\n")[0][0].startswith("line ")
    errors = errors_of('version: "1"\nversion: "2"\n')
    assert errors[0][0] == "line 2, column 1" and "duplicate key 'version'" in errors[0][1]
    assert has(errors_of("- a list\n"), "(root)", "expected a mapping")
