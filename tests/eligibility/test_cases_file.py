"""The shipped rule set against its own case file, and the case runner itself."""

from __future__ import annotations

import pytest

from zone.eligibility import CasesError, default_registry, run_cases
from zone.eligibility.yaml_source import read_yaml

from .helpers import SHIPPED_CASES

CASE_NAMES = [case["name"] for case in read_yaml(SHIPPED_CASES.read_text(encoding="utf-8"))["cases"]]


@pytest.fixture(scope="module")
def report():
    return run_cases(SHIPPED_CASES, default_registry())


def test_every_shipped_case_passes(report):
    assert report.ok, report.summary()
    assert report.passed == len(CASE_NAMES) >= 70
    assert report.summary().splitlines()[-1] == f"{len(CASE_NAMES)} passed, 0 failed"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(report, name):
    result = next(r for r in report.results if r.name == name)
    assert result.passed, "\n".join(result.diffs)


def test_path_given_as_string_works_too():
    assert run_cases(str(SHIPPED_CASES)).ok


WRONG = """
defaults:
  UZ: {side: UZ, registration_country: UZ, is_legal_entity: true, activity_codes: ["28.30"],
       investment_amount: 3000000, investment_currency: USD, capital_shares: {UZ: 100}}
cases:
  - name: wrong_periods
    on_date: 2026-03-10
    facts: {side: UZ}
    expect:
      admitted: true
      benefits: {UZ_PROFIT_TAX: [[2026-03-10, 2029-03-10, 100]]}
  - name: wrong_admission
    on_date: 2026-03-10
    facts: {side: UZ, investment_amount: 1000}
    expect: {admitted: true, derived: {investment_usd: "2000.00"}}
  - name: wrong_error
    on_date: 2025-03-10
    facts: {side: UZ}
    expect: {admitted: true}
  - name: right
    on_date: 2025-03-10
    facts: {side: UZ}
    expect: {error: no_rule_set}
"""


def test_runner_reports_failures_with_diffs():
    report = run_cases(WRONG)
    assert not report.ok
    assert (report.passed, report.failed) == (1, 3)
    by_name = {r.name: r for r in report.results}
    diffs = "\n".join(by_name["wrong_periods"].diffs)
    assert "eligible benefits: expected ['UZ_PROFIT_TAX']" in diffs
    assert (
        "UZ_PROFIT_TAX periods: expected [[2026-03-10, 2029-03-10, 100]], got [[2026-03-10, 2031-03-10, 100]]" in diffs
    )
    diffs = "\n".join(by_name["wrong_admission"].diffs)
    assert "admitted: expected True, got False (failed: ['uz.min_investment'])" in diffs
    assert "derived investment_usd: expected 2000.00, got 1000.00" in diffs
    assert "no rule set is in force on 2025-03-10" in by_name["wrong_error"].diffs[0]
    assert report.to_dict()["failed"] == 3
    assert report.summary().endswith("1 passed, 3 failed")


def test_malformed_case_file_is_refused_with_paths():
    with pytest.raises(CasesError) as info:
        run_cases("cases:\n  - {name: a, on_date: 2026-13-01, facts: {}, expect: {admited: true}}\n")
    paths = [path for path, _ in info.value.errors]
    assert "cases[0].on_date" in paths
    assert "cases[0].expect.admited" in paths
    with pytest.raises(CasesError):
        run_cases("cases: [\n")
