"""The compliance rule sets' test cases (data in ``zone/compliance/rules/<version>.cases.yaml``), and a later
rule set never rewriting a decision already taken."""

from __future__ import annotations

from datetime import date

import pytest

from zone.compliance.cases import check, load_cases
from zone.compliance.ruleset import RULES_DIR, RuleSetError, parse

CASES = load_cases("2026.1")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_set_case(ctx, case):
    from zone.compliance.ruleset import registry

    assert check(registry().version("2026.1"), case) == []


def test_every_parameter_is_dated_referenced_and_flagged():
    rule_set = parse((RULES_DIR / "2026.1.yaml").read_text(encoding="utf-8"))
    for parameter in rule_set.parameters.values():
        for value in parameter.values:
            assert value.reference and isinstance(value.verified, bool) and value.start
    assert {c.effect for c in rule_set.conditions} == {"sanction", "benefit_year"}


def test_a_broken_rule_set_names_the_place():
    text = (RULES_DIR / "2026.1.yaml").read_text(encoding="utf-8").replace("kind: reports_filed", "kind: magic")
    with pytest.raises(RuleSetError, match=r"conditions\[1\]\.kind"):
        parse(text)


def test_a_later_rule_set_never_rewrites_an_open_case(app, app_overrides, tmp_path, client, resident, run,
                                                      file_report):
    """A case keeps the cure deadline and the explanation of the rule set that opened it."""
    file_report(date(2027, 4, 10), "2027-Q1")
    run(date(2027, 7, 27))
    stricter = (RULES_DIR / "2026.1.yaml").read_text(encoding="utf-8").replace(
        'version: "2026.1"\neffective_from: 2026-01-01', 'version: "2027.2"\neffective_from: 2027-08-01').replace(
        "value: 60, verified: false", "value: 10, verified: false")
    (tmp_path / "2026.1.yaml").write_text((RULES_DIR / "2026.1.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "2027.2.yaml").write_text(stricter, encoding="utf-8")
    app.config["COMPLIANCE_RULES_DIR"] = str(tmp_path)
    run(date(2027, 8, 15))  # under 2027.2 a new case would have to be cured by 25 August: this one keeps 25 September
    [case] = client.get("/api/v1/compliance/cases", headers=resident.reviewer).get_json()["items"]
    assert case["stage"] == "warned" and case["cure_due"] == "2027-09-25" and case["rule_set"]["version"] == "2026.1"
    whatif = client.get(f"/api/v1/certificates/{resident.serial}/compliance?on_date=2027-08-15",
                        headers=resident.company).get_json()
    assert whatif["rule_set"]["version"] == "2027.2"
