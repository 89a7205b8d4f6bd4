"""``flask --app wsgi rules test [FILE]`` exits non-zero on a failing case."""

from __future__ import annotations

from .helpers import SHIPPED_CASES
from .http_helpers import CANDIDATE_CASES, CANDIDATE_YAML, FAILING_CASES


def test_rules_test_runs_the_shipped_cases(runner):
    result = runner.invoke(args=["rules", "test"])
    assert result.exit_code == 0, result.output
    assert "130 passed, 0 failed" in result.output


def test_rules_test_with_a_file_and_a_candidate(runner, tmp_path):
    cases, candidate = tmp_path / "c.cases.yaml", tmp_path / "2026.2.yaml"
    cases.write_text(CANDIDATE_CASES, encoding="utf-8")
    candidate.write_text(CANDIDATE_YAML, encoding="utf-8")
    result = runner.invoke(args=["rules", "test", str(cases), "--rule-set", str(candidate), "-v"])
    assert result.exit_code == 0, result.output
    assert "PASS from_2026_2" in result.output and "2 passed, 0 failed" in result.output
    # Without the candidate, 2026.1 answers and the second case fails.
    result = runner.invoke(args=["rules", "test", str(cases)])
    assert result.exit_code != 0
    assert "FAIL from_2026_2" in result.output and "1 passed, 1 failed" in result.output


def test_rules_test_fails_on_a_failing_case_and_a_bad_file(runner, tmp_path):
    failing, broken = tmp_path / "f.cases.yaml", tmp_path / "b.cases.yaml"
    failing.write_text(FAILING_CASES, encoding="utf-8")
    broken.write_text("cases: {not: a list}\n", encoding="utf-8")
    result = runner.invoke(args=["rules", "test", str(SHIPPED_CASES), str(broken)])
    assert result.exit_code != 0
    assert "invalid case file" in result.output
    candidate = tmp_path / "2026.2.yaml"
    candidate.write_text(CANDIDATE_YAML.replace("    fact: investment_usd\n", "    fact: turnover\n"), encoding="utf-8")
    result = runner.invoke(args=["rules", "test", str(failing), "--rule-set", str(candidate)])
    assert result.exit_code != 0 and "unknown fact" in result.output


def test_rules_list(runner):
    result = runner.invoke(args=["rules", "list"])
    assert result.exit_code == 0 and result.output.startswith("2026.1\t2026-01-01\tactive\tshipped")
