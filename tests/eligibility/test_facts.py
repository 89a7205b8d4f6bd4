"""validate_facts accepts good input and names every bad field with an English msgid."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zone.eligibility import FactsError, validate_facts
from zone.eligibility import facts as F

from .helpers import KZ_FACTS, UZ_FACTS


def bad(data: dict, **changes) -> dict[str, list[str]]:
    data = {**data, **changes}
    data = {k: v for k, v in data.items() if v is not ...}
    with pytest.raises(FactsError) as info:
        validate_facts(data)
    return info.value.fields


def test_valid_kz_and_uz_facts():
    kz = validate_facts(KZ_FACTS)
    assert kz.investment_amount == Decimal("1000000000")
    assert kz.priority_income_share == Decimal(95)
    assert kz.activity_codes == ("22.21",)
    assert kz.share("UZ") == Decimal(40) and kz.share("RU") == 0
    uz = validate_facts(UZ_FACTS)
    assert uz.priority_income_share is None and uz.has_branches_outside_zone is None
    assert validate_facts(kz.to_dict()) == kz
    assert validate_facts(uz.to_dict()) == uz


def test_numbers_may_be_numeric_strings_and_floats():
    facts = validate_facts({**UZ_FACTS, "investment_amount": "299999.99", "capital_shares": {"UZ": 90.5, "KZ": "9.5"}})
    assert facts.investment_amount == Decimal("299999.99")
    assert facts.share("UZ") == Decimal("90.5")


@pytest.mark.parametrize(
    "field",
    [
        "side",
        "registration_country",
        "is_legal_entity",
        "activity_codes",
        "investment_amount",
        "investment_currency",
        "capital_shares",
    ],
)
def test_missing_required_field(field):
    assert bad(UZ_FACTS, **{field: ...}) == {field: [F.MSG_REQUIRED]}


@pytest.mark.parametrize("field", ["priority_income_share", "has_branches_outside_zone"])
def test_kz_only_fields_required_for_kz(field):
    assert bad(KZ_FACTS, **{field: ...}) == {field: [F.MSG_REQUIRED_KZ]}
    assert bad(KZ_FACTS, **{field: None}) == {field: [F.MSG_REQUIRED_KZ]}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("investment_amount", "abc", F.MSG_NUMBER),
        ("investment_amount", True, F.MSG_NUMBER),
        ("investment_amount", [1], F.MSG_NUMBER),
        ("investment_amount", "1e5", F.MSG_NUMBER),
        ("investment_amount", float("nan"), F.MSG_NUMBER),
        ("investment_amount", -1, F.MSG_NEGATIVE),
        ("investment_amount", 10**15 + 1, F.MSG_TOO_LARGE),
        ("investment_amount", "10.123", F.MSG_DECIMALS),
        ("priority_income_share", 100.01, F.MSG_PERCENT),
        ("priority_income_share", -5, F.MSG_PERCENT),
        ("priority_income_share", False, F.MSG_NUMBER),
        ("is_legal_entity", 1, F.MSG_BOOL),
        ("is_legal_entity", "true", F.MSG_BOOL),
        ("has_branches_outside_zone", 0, F.MSG_BOOL),
        ("side", "RU", F.MSG_SIDE),
        ("side", "kz", F.MSG_SIDE),
        ("investment_currency", "EUR", F.MSG_CURRENCY),
        ("registration_country", "kz", F.MSG_COUNTRY_FORMAT),
        ("registration_country", "KAZ", F.MSG_COUNTRY_FORMAT),
        ("registration_country", 7, F.MSG_COUNTRY_FORMAT),
        ("registration_country", "XX", F.MSG_COUNTRY_UNKNOWN),
        ("activity_codes", "22.21", F.MSG_CODES_LIST),
        ("activity_codes", [], F.MSG_CODES_EMPTY),
        ("activity_codes", ["C25"], F.MSG_CODE_FORMAT),
        ("activity_codes", ["2"], F.MSG_CODE_FORMAT),
        ("activity_codes", ["22.213"], F.MSG_CODE_FORMAT),
        ("activity_codes", ["22.21."], F.MSG_CODE_FORMAT),
        ("activity_codes", [22.21], F.MSG_CODE_FORMAT),
        ("activity_codes", ["22.21", "22.21"], F.MSG_CODE_DUPLICATE),
        ("activity_codes", [f"{d}" for d in range(10, 31)], F.MSG_CODES_MANY),
        ("capital_shares", [60, 40], F.MSG_SHARES_OBJECT),
        ("capital_shares", {}, F.MSG_SHARES_EMPTY),
        ("capital_shares", {"KZ": 60, "UZ": 30}, F.MSG_SHARES_SUM),
        ("capital_shares", {"kz": 60, "UZ": 40}, F.MSG_SHARES_KEY),
        ("capital_shares", {"XX": 60, "UZ": 40}, F.MSG_SHARES_KEY),
        ("capital_shares", {"KZ": 160, "UZ": -60}, F.MSG_PERCENT),
        ("capital_shares", {"KZ": "sixty", "UZ": 40}, F.MSG_NUMBER),
    ],
)
def test_bad_value(field, value, message):
    fields = bad(KZ_FACTS, **{field: value})
    assert list(fields) == [field]
    assert message in fields[field]


def test_accepted_code_formats():
    codes = ["25", "10.1", "22.21", "11.01.1", "11.01.12"]
    assert validate_facts({**UZ_FACTS, "activity_codes": codes}).activity_codes == tuple(codes)


def test_unknown_fields_and_every_error_at_once():
    fields = bad(KZ_FACTS, turnover=5, investment_amount="abc", side="RU", on_date="2026-01-01")
    assert fields["turnover"] == [F.MSG_UNKNOWN_FIELD]
    assert fields["on_date"] == [F.MSG_UNKNOWN_FIELD]
    assert fields["investment_amount"] == [F.MSG_NUMBER]
    assert fields["side"] == [F.MSG_SIDE]


def test_uz_may_give_kz_only_facts_but_they_are_still_checked():
    assert validate_facts({**UZ_FACTS, "priority_income_share": 50}).priority_income_share == 50
    assert bad(UZ_FACTS, priority_income_share="x") == {"priority_income_share": [F.MSG_NUMBER]}


def test_not_an_object():
    with pytest.raises(FactsError) as info:
        validate_facts(["side", "KZ"])
    assert "_" in info.value.fields


@pytest.mark.parametrize("code", ["22.21\n", "٢٢.٢١", " 22.21"])
def test_codes_are_ascii_digits_only(code):
    assert bad(UZ_FACTS, activity_codes=[code]) == {"activity_codes": [F.MSG_CODE_FORMAT]}


@pytest.mark.parametrize("amount", ["٣٠٠٠٠٠", "300000\n", "+300000", "1_000"])
def test_amounts_are_plain_decimal_text(amount):
    assert bad(UZ_FACTS, investment_amount=amount) == {"investment_amount": [F.MSG_NUMBER]}


def test_country_with_trailing_newline():
    assert bad(UZ_FACTS, registration_country="UZ\n") == {"registration_country": [F.MSG_COUNTRY_FORMAT]}
