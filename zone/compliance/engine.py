"""The compliance engine: a resident's conditions evaluated as of a date, each explained.

:func:`evaluate` runs every condition of the rule set for the resident's side and returns an
:class:`Evaluation`: per condition a status (met, pending, at risk, breached), the due date, the values
used, the reference and what would cure it; and per year the benefits that a ``benefit_year`` condition
withdrew. It reads only the :class:`~zone.compliance.facts.ResidentFacts` and changes nothing, so the same
function answers the what-if page, the API and the daily run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from zone.compliance.facts import DueDates, ResidentFacts
from zone.compliance.ruleset import TEXT_LANGUAGES, Condition, RuleSet
from zone.reports.workflow import Kind

MET, PENDING, AT_RISK, BREACHED = "met", "pending", "at_risk", "breached"
_RANK = {MET: 0, PENDING: 1, AT_RISK: 2, BREACHED: 3}


@dataclass
class Result:
    condition: Condition
    status: str
    due: date | None
    values: dict[str, Any]

    def explanation(self, language: str) -> str:
        return self.condition.text(self.condition.explain[self.status], language, self.values)

    def cure(self, language: str) -> str | None:
        return None if self.status == MET else self.condition.text(self.condition.cure, language, self.values)

    def to_dict(self, language: str) -> dict:
        return {"id": self.condition.id, "status": self.status, "explanation": self.explanation(language),
                "due": self.due.isoformat() if self.due else None, "reference": self.condition.reference,
                "cure": self.cure(language), "effect": self.condition.effect,
                "values": {k: str(v) for k, v in self.values.items()}}


@dataclass
class BenefitYear:
    year: int
    code: str
    applies: bool
    values: dict[str, Any]
    condition: Condition

    def to_dict(self, language: str) -> dict:
        status = MET if self.applies else BREACHED
        return {"year": self.year, "code": self.code, "applies": self.applies,
                "explanation": self.condition.text(self.condition.explain[status], language, self.values)}


@dataclass
class Evaluation:
    serial: str
    on_date: date
    rule_set: RuleSet
    results: list[Result] = field(default_factory=list)
    benefit_years: list[BenefitYear] = field(default_factory=list)

    @property
    def status(self) -> str:
        """compliant, at_risk or breach: the worst of the conditions."""
        worst = max((_RANK[r.status] for r in self.results), default=0)
        return "breach" if worst == _RANK[BREACHED] else "at_risk" if worst == _RANK[AT_RISK] else "compliant"

    def breaches(self) -> list[Result]:
        """The breached conditions that walk the sanction ladder."""
        return [r for r in self.results if r.status == BREACHED and r.condition.effect == "sanction"]

    def result(self, condition_id: str) -> Result | None:
        return next((r for r in self.results if r.condition.id == condition_id), None)

    def to_dict(self, language: str) -> dict:
        """The API's shape (API.md "Compliance")."""
        return {"serial": self.serial, "on_date": self.on_date.isoformat(),
                "rule_set": {"version": self.rule_set.version, "sha256": self.rule_set.sha256},
                "status": self.status, "conditions": [r.to_dict(language) for r in self.results],
                "benefit_years": [b.to_dict(language) for b in self.benefit_years]}

    def snapshot(self) -> dict:
        """What a decision stores: the result with its texts, so a later rule set never rewrites it."""
        return {language: self.to_dict(language) for language in TEXT_LANGUAGES}


def _days(rule_set: RuleSet, name: str, on_date: date) -> int:
    return int(rule_set.param(name, on_date).value)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except (InvalidOperation, ValueError):
        return None


def _plain(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.01")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _timed(due: date, on_date: date, at_risk_days: int) -> str:
    return AT_RISK if (due - on_date).days <= at_risk_days else PENDING


def _countersigned(condition, facts, on_date, ctx) -> Result | None:
    if facts.countersign_due is None:
        return None
    values = {"agreement": facts.agreement, "due": facts.countersign_due.isoformat(),
              "signed": facts.countersigned_on.isoformat() if facts.countersigned_on else "-"}
    if facts.countersigned_on is not None and facts.countersigned_on <= on_date:
        return Result(condition, MET, facts.countersign_due, values)
    if on_date > facts.countersign_due:
        return Result(condition, BREACHED, facts.countersign_due, values)
    return Result(condition, _timed(facts.countersign_due, on_date, ctx.at_risk), facts.countersign_due, values)


def _reports_filed(condition, facts, on_date, ctx) -> Result | None:
    if facts.decided_on is None:
        return None
    missed, soon, waiting, filed = [], [], [], 0
    for period in ctx.due_of.between(facts.decided_on, on_date):
        if period.end >= on_date:
            continue  # nothing is due before the period ends
        report = facts.reports.get(period.code)
        if report is not None and report.filed_by(on_date):
            filed += 1
            continue
        due = report.due if report is not None else ctx.due_of(facts.side, period)
        bucket = missed if due < on_date else soon if (due - on_date).days <= ctx.at_risk else waiting
        bucket.append((due, period.code))
    for status, bucket in ((BREACHED, missed), (AT_RISK, soon), (PENDING, waiting)):
        if bucket:
            due = min(d for d, _p in bucket)
            return Result(condition, status, due, {"periods": ", ".join(p for _d, p in bucket),
                                                   "due": due.isoformat(), "count": filed})
    return Result(condition, MET, None, {"periods": "", "due": "", "count": filed})


def _filed(facts: ResidentFacts, on_date: date, ctx) -> list:
    """The reports filed by ``on_date``, oldest period first (a year after its Q4); sorted once per evaluation."""
    if ctx.filed is None:
        ctx.filed = sorted((r for r in facts.reports.values() if r.filed_on is not None and r.filed_on <= on_date),
                           key=lambda r: (r.period_end, r.kind == Kind.ANNUAL))
    return ctx.filed


def _schedule_one(obligation: dict, facts, on_date, ctx, filed) -> tuple[str, date, dict] | None:
    target = _decimal(obligation.get("target"))
    tolerance = _decimal(obligation.get("tolerance_pct")) or Decimal(0)
    try:
        due = date.fromisoformat(str(obligation.get("due")))
    except ValueError:
        return None
    if target is None:
        return None
    kind = obligation.get("type")
    if kind == "investment":
        if obligation.get("year"):  # a yearly schedule: the cumulative target up to that year
            target = sum((_decimal(o.get("target")) or Decimal(0) for o in facts.obligations
                          if o.get("type") == "investment" and o.get("year") and int(o["year"]) <= int(
                              obligation["year"])), Decimal(0))
        reported = [r.investment_cumulative for r in filed if r.investment_cumulative is not None]
        actual = max(reported) if reported else Decimal(0)
    else:
        quarterly = [r for r in filed if r.kind == Kind.QUARTERLY and getattr(r, kind) is not None]
        actual = Decimal(getattr(quarterly[-1], kind)) if quarterly else Decimal(0)
    threshold = target * (100 - tolerance) / 100
    values = {"actual": _plain(actual), "target": _plain(target), "threshold": _plain(threshold),
              "tolerance": _plain(tolerance), "unit": obligation.get("unit") or "", "due": due.isoformat()}
    # A milestone is judged once the report that shows it is due: the report of its quarter.
    judged_after = ctx.due_of(facts.side, ctx.due_of.quarter(due))
    if actual >= threshold:
        return MET, due, values
    if on_date > judged_after:
        return BREACHED, due, values
    return _timed(judged_after, on_date, ctx.at_risk), due, values


def _schedule(condition, facts, on_date, ctx) -> Result | None:
    filed = _filed(facts, on_date, ctx)
    outcomes = [o for o in (_schedule_one(ob, facts, on_date, ctx, filed) for ob in facts.obligations
                            if ob.get("type") in condition.obligation_types) if o is not None]
    if not outcomes:
        return None
    status, due, values = max(outcomes, key=lambda o: (_RANK[o[0]], -o[1].toordinal()))
    return Result(condition, status, due, values)


def _production_started(condition, facts, on_date, ctx) -> Result | None:
    agreed = next((ob.get("due") for ob in facts.obligations if ob.get("type") == "production_start"), None)
    if agreed is None:
        return None
    agreed = date.fromisoformat(str(agreed))
    grace = _days(ctx.rule_set, condition.params["grace"], on_date)
    deadline = agreed + timedelta(days=grace)
    values = {"agreed": agreed.isoformat(), "grace": grace, "due": deadline.isoformat(), "period": ""}
    started = next((r for r in _filed(facts, on_date, ctx) if r.has_output or (r.revenue_total or 0) > 0), None)
    if started is not None:
        return Result(condition, MET, deadline, {**values, "period": started.period})
    if on_date > deadline:
        return Result(condition, BREACHED, deadline, values)
    return Result(condition, _timed(deadline, on_date, ctx.at_risk), deadline, values)


def _priority_share(condition, facts, on_date, ctx) -> Result | None:
    minimum = Decimal(str(ctx.rule_set.param(condition.params["minimum"], on_date).value))
    years = [r for r in _filed(facts, on_date, ctx) if r.kind == Kind.ANNUAL and (r.revenue_total or 0) > 0]
    latest = None
    for report in years:
        share = (report.revenue_priority or Decimal(0)) * 100 / report.revenue_total  # exact: never rounded first
        year = report.period_end.year
        values = {"year": year, "share": _plain(share), "minimum": _plain(minimum)}
        latest = (share >= minimum, values)
        for code in condition.benefits:
            if code in facts.benefits:
                ctx.benefit_years.append(BenefitYear(year, code, share >= minimum, values, condition))
    if latest is None:
        return Result(condition, PENDING, None, {"year": "", "share": "", "minimum": _plain(minimum)})
    return Result(condition, MET if latest[0] else BREACHED, None, latest[1])


CHECKS = {"countersigned": _countersigned, "reports_filed": _reports_filed, "schedule": _schedule,
          "production_started": _production_started, "priority_income_share": _priority_share}


@dataclass
class _Context:
    rule_set: RuleSet
    due_of: DueDates
    at_risk: int
    benefit_years: list[BenefitYear]
    filed: list | None = None


def evaluate(rule_set: RuleSet, facts: ResidentFacts, on_date: date, due_of: DueDates | None = None) -> Evaluation:
    """Every condition of ``rule_set`` for the resident's side, as of ``on_date``; changes nothing."""
    ctx = _Context(rule_set, due_of or DueDates(), _days(rule_set, "compliance.at_risk_days", on_date), [])
    evaluation = Evaluation(serial=facts.serial, on_date=on_date, rule_set=rule_set)
    for condition in rule_set.for_side(facts.side):
        result = CHECKS[condition.kind](condition, facts, on_date, ctx)
        if result is not None:
            evaluation.results.append(result)
    evaluation.benefit_years = ctx.benefit_years
    return evaluation
