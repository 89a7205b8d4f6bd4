"""Test cases as data: ``rules/<version>.cases.yaml`` next to each compliance rule set, run by pytest.

Format::

    defaults: {side: KZ, decided_on: 2027-01-05, countersign_due: 2027-01-15, countersigned_on: 2027-01-08,
               benefits: [KZ_CIT, ...], obligations: [...]}
    cases:
      - name: a_missed_quarter_is_breached_the_day_after_its_due_date
        on_date: 2027-07-27
        facts: {reports: [{period: 2027-Q1, filed_on: 2027-04-10, jobs_total: 180, ...}]}   # merged on defaults
        expect:
          status: breach                                   # optional
          conditions: {reports.filed: breached}            # only the ones named are checked
          due: {reports.filed: 2027-07-26}                 # optional
          benefit_years: {"2027 KZ_CIT": false}            # optional, exactly these
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from zone.compliance.engine import evaluate
from zone.compliance.facts import DueDates, ReportFact, ResidentFacts
from zone.compliance.ruleset import RULES_DIR, RuleSet
from zone.reports import periods


@dataclass(frozen=True)
class Case:
    name: str
    on_date: date
    facts: dict
    expect: dict


def load_cases(version: str, directory: Path = RULES_DIR) -> list[Case]:
    data = yaml.safe_load((directory / f"{version}.cases.yaml").read_text(encoding="utf-8"))
    defaults = data.get("defaults") or {}
    return [Case(c["name"], c["on_date"], {**defaults, **(c.get("facts") or {})}, c.get("expect") or {})
            for c in data["cases"]]


def _decimal(value) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


def resident(facts: dict) -> ResidentFacts:
    """The engine's input from a case's facts (reports' due dates from the rule set and calendar)."""
    found = ResidentFacts(certificate_id=0, serial="ICIC-XX-CASE", side=facts["side"], status="active",
                          benefits=tuple(facts.get("benefits") or ()), agreement="AG-CASE",
                          decided_on=facts.get("decided_on"), countersign_due=facts.get("countersign_due"),
                          countersigned_on=facts.get("countersigned_on"),
                          obligations=[dict(o) for o in facts.get("obligations") or ()])
    for raw in facts.get("reports") or ():
        period = periods.parse(str(raw["period"]))
        found.reports[period.code] = ReportFact(
            period=period.code, kind=period.kind, period_end=period.end,
            due=raw.get("due") or periods.due_date(found.side, period), filed_on=raw.get("filed_on"),
            investment_cumulative=_decimal(raw.get("investment_cumulative")), jobs_total=raw.get("jobs_total"),
            jobs_local=raw.get("jobs_local"), revenue_total=_decimal(raw.get("revenue_total")),
            revenue_priority=_decimal(raw.get("revenue_priority")), has_output=bool(raw.get("output")))
    return found


def check(rule_set: RuleSet, case: Case) -> list[str]:
    """What differs from the case's expectations (empty when it passes)."""
    evaluation = evaluate(rule_set, resident(case.facts), case.on_date, DueDates())
    problems = []
    if "status" in case.expect and evaluation.status != case.expect["status"]:
        problems.append(f"status {evaluation.status}, expected {case.expect['status']}")
    for ident, status in (case.expect.get("conditions") or {}).items():
        result = evaluation.result(ident)
        got = result.status if result is not None else None
        if got != status:
            problems.append(f"{ident}: {got}, expected {status}"
                            + (f" ({result.explanation('en')})" if result is not None else ""))
    for ident, due in (case.expect.get("due") or {}).items():
        result = evaluation.result(ident)
        if result is None or result.due != due:
            problems.append(f"{ident}: due {result.due if result else None}, expected {due}")
    if "benefit_years" in case.expect:
        got = {f"{b.year} {b.code}": b.applies for b in evaluation.benefit_years}
        if got != case.expect["benefit_years"]:
            problems.append(f"benefit_years {got}, expected {case.expect['benefit_years']}")
    return problems
