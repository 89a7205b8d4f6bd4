"""Test cases as data (OpenFisca-style): run a ``*.cases.yaml`` file against the engine.

Format::

    defaults:                 # base facts per side; a case's facts are merged onto them
      KZ: {side: KZ, registration_country: KZ, ...}
      UZ: {...}
    cases:
      - name: kz_band_edge_3m_mci          # unique
        on_date: 2026-03-10
        facts: {side: KZ, investment_amount: "12975000000"}
        drop: [priority_income_share]      # optional: facts removed after merging
        expect:
          rule_set: "2026.1"               # optional
          admitted: true                   # optional
          failed: [kz.priority_income_share]   # optional: exactly the failing criteria
          derived: {investment_mci: "3000000.00"}  # optional: as the API shows it (0.01, half up)
          exact: {investment_usd: "3599999999/12000"}  # optional: the exact value compared
          benefits:                        # optional: exactly the eligible benefits
            KZ_CIT: [[2026-03-10, 2033-03-10, 100]]   # [from, until (half-open), pct]
          reasons: {ICIC_COOPERATION: criteria_failed}  # optional: why not
          error: no_rule_set | facts       # instead of a result
          fields: [investment_amount]      # with error: facts, exactly the bad fields

:func:`run_cases` returns a :class:`CaseReport` with pass/fail and readable diffs per case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from .compiled import RuleSet
from .engine import Evaluation, evaluate
from .exact import cents, exact_text
from .facts import FactsError, validate_facts
from .registry import NoRuleSetError, RuleSetRegistry, default_registry
from .yaml_source import YamlError, read_yaml

EXPECT_KEYS = ("rule_set", "admitted", "failed", "derived", "exact", "benefits", "reasons", "error", "fields")


class CasesError(ValueError):
    """A case file that cannot be run; ``errors`` is a list of ``(path, message)``."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("invalid case file:\n" + "\n".join(f"  {p}: {m}" for p, m in errors))


@dataclass(frozen=True, slots=True)
class CaseResult:
    """One case: passed, or the differences between expected and actual."""

    name: str
    passed: bool
    diffs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseReport:
    """All cases of a file."""

    results: tuple[CaseResult, ...]

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed

    @property
    def ok(self) -> bool:
        return bool(self.results) and self.failed == 0

    def summary(self) -> str:
        """Readable report ending with the line ``N passed, M failed``."""
        lines = []
        for result in self.results:
            lines.append(f"{'PASS' if result.passed else 'FAIL'} {result.name}")
            lines.extend(f"    {diff}" for diff in result.diffs)
        lines.append(f"{self.passed} passed, {self.failed} failed")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "failed": self.failed,
            "ok": self.ok,
            "cases": [{"name": r.name, "passed": r.passed, "diffs": list(r.diffs)} for r in self.results],
        }


def run_cases(
    path_or_text: str | Path,
    registry: RuleSetRegistry | None = None,
    *,
    rule_set: RuleSet | None = None,
) -> CaseReport:
    """Run a case file (a path, or YAML text) with ``registry`` (default: shipped rule sets).

    With ``rule_set`` (e.g. an uploaded candidate) the cases run with it added to the registry.
    Raises :class:`CasesError` when the file itself is malformed.
    """
    text = _read(path_or_text)
    try:
        document = read_yaml(text)
    except YamlError as exc:
        raise CasesError([(exc.where, exc.message)]) from exc
    registry = registry or default_registry()
    if rule_set is not None:
        registry = registry.with_rule_sets([rule_set])
    defaults, cases = _parse(document)
    return CaseReport(tuple(_run(case, defaults, registry) for case in cases))


def _read(path_or_text: str | Path) -> str:
    if isinstance(path_or_text, Path):
        return path_or_text.read_text(encoding="utf-8")
    if "\n" not in path_or_text and Path(path_or_text).is_file():
        return Path(path_or_text).read_text(encoding="utf-8")
    return path_or_text


def _parse(document: Any) -> tuple[dict, list[dict]]:
    errors: list[tuple[str, str]] = []
    if not isinstance(document, dict) or not isinstance(document.get("cases"), list):
        raise CasesError([("cases", "expected a mapping with a list under 'cases'")])
    defaults = document.get("defaults") or {}
    if not isinstance(defaults, dict) or any(not isinstance(v, dict) for v in defaults.values()):
        errors.append(("defaults", "expected a mapping of side -> facts"))
    names: set[str] = set()
    for i, case in enumerate(document["cases"]):
        path = f"cases[{i}]"
        if not isinstance(case, dict):
            errors.append((path, "expected a mapping"))
            continue
        for key in case:
            if key not in ("name", "on_date", "facts", "drop", "expect", "note"):
                errors.append((f"{path}.{key}", "unknown key"))
        name = case.get("name")
        if not isinstance(name, str) or name in names:
            errors.append((f"{path}.name", "missing or duplicate name"))
        names.add(name)
        try:
            date.fromisoformat(str(case.get("on_date")))
        except ValueError:
            errors.append((f"{path}.on_date", "expected an ISO date"))
        if not isinstance(case.get("facts"), dict):
            errors.append((f"{path}.facts", "expected a mapping"))
        expect = case.get("expect")
        if not isinstance(expect, dict) or not expect:
            errors.append((f"{path}.expect", "expected a non-empty mapping"))
        else:
            errors.extend((f"{path}.expect.{k}", "unknown key") for k in expect if k not in EXPECT_KEYS)
    if errors:
        raise CasesError(errors)
    return defaults, document["cases"]


def _run(case: dict, defaults: dict, registry: RuleSetRegistry) -> CaseResult:
    expect = case["expect"]
    facts = dict(defaults.get(case["facts"].get("side"), {}))
    facts.update(case["facts"])
    for name in case.get("drop") or ():
        facts.pop(name, None)
    diffs: list[str] = []
    try:
        evaluation = evaluate(validate_facts(facts), date.fromisoformat(case["on_date"]), registry)
    except FactsError as exc:
        if expect.get("error") != "facts":
            diffs.append(f"facts rejected: {exc.fields}")
        elif "fields" in expect and sorted(expect["fields"]) != sorted(exc.fields):
            diffs.append(f"bad fields: expected {sorted(expect['fields'])}, got {sorted(exc.fields)}")
        return CaseResult(case["name"], not diffs, tuple(diffs))
    except NoRuleSetError as exc:
        if expect.get("error") != "no_rule_set":
            diffs.append(f"no rule set: {exc}")
        return CaseResult(case["name"], not diffs, tuple(diffs))
    if "error" in expect:
        diffs.append(f"expected error {expect['error']!r}, got a result")
    else:
        diffs.extend(_compare(expect, evaluation))
    return CaseResult(case["name"], not diffs, tuple(diffs))


def _compare(expect: dict, ev: Evaluation) -> list[str]:
    diffs = []
    if "rule_set" in expect and str(expect["rule_set"]) != ev.rule_set.version:
        diffs.append(f"rule set: expected {expect['rule_set']}, got {ev.rule_set.version}")
    if "admitted" in expect and expect["admitted"] != ev.admitted:
        diffs.append(f"admitted: expected {expect['admitted']}, got {ev.admitted} (failed: {list(ev.failed_criteria)})")
    if "failed" in expect and sorted(expect["failed"]) != sorted(ev.failed_criteria):
        diffs.append(f"failed criteria: expected {sorted(expect['failed'])}, got {sorted(ev.failed_criteria)}")
    for name, value in (expect.get("derived") or {}).items():
        actual = ev.derived.get(name)
        shown = None if actual is None else cents(actual)
        if shown is None or Decimal(str(value)) != shown:
            diffs.append(f"derived {name}: expected {value}, got {shown}")
    for name, value in (expect.get("exact") or {}).items():
        actual = ev.derived.get(name)
        if actual is None or _fraction(value) != actual:
            diffs.append(f"exact {name}: expected {value}, got {None if actual is None else exact_text(actual)}")
    if "benefits" in expect:
        diffs.extend(_compare_benefits(expect["benefits"] or {}, ev))
    reasons = {b.benefit.code: b.reason for b in ev.benefits}
    for code, reason in (expect.get("reasons") or {}).items():
        if reasons.get(code) != reason:
            diffs.append(f"{code} reason: expected {reason}, got {reasons.get(code)}")
    return diffs


def _compare_benefits(expected: dict, ev: Evaluation) -> list[str]:
    diffs = []
    granted = {b.benefit.code: b for b in ev.benefits if b.eligible}
    if sorted(expected) != sorted(granted):
        diffs.append(f"eligible benefits: expected {sorted(expected)}, got {sorted(granted)}")
    for code, periods in expected.items():
        if code not in granted:
            continue
        want = [[str(p[0]), str(p[1]), Decimal(str(p[2]))] for p in periods or ()]
        got = [[p.start.isoformat(), p.until.isoformat(), p.reduction_pct] for p in granted[code].periods]
        if want != got:
            diffs.append(f"{code} periods: expected {_show(want)}, got {_show(got)}")
    return diffs


def _fraction(value: Any) -> Fraction | None:
    try:
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None


def _show(periods: list) -> str:
    return "[" + ", ".join(f"[{a}, {b}, {c}]" for a, b, c in periods) + "]"
