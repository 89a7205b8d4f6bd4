"""The eligibility engine: facts + date -> an explained, immutable :class:`Evaluation`.

Evaluation does no parsing and no text formatting: it decides with compiled objects and keeps
the raw values each explanation needs. Texts are rendered on demand, per language, by
:mod:`.render` (``Evaluation.to_dict(locale)``, ``Evaluation.to_snapshot()``).

Money: derived values are exact fractions (:mod:`.exact`); thresholds and bands compare them
exactly, so one tenge above a band's limit is above it. Rounding is for display only, and an
explanation shows the digits that decide the comparison. Conversions go through USD with the rates
in force on the evaluation date: the official ones from a :class:`~.conversion.RateBook` when given,
else the rule set's (:mod:`.conversion`). Periods are half-open ``[from, until)`` (:mod:`.periods`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from .compiled import Band, Benefit, Criterion, RuleSet
from .conversion import Conversion, RateBook, derive
from .criteria import check
from .facts import Facts
from .periods import Period, schedule_periods
from .registry import NoRuleSetError, RuleSetRegistry, default_registry


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """The outcome of one criterion and the raw values its explanation shows."""

    criterion: Criterion
    passed: bool
    args: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class BenefitResult:
    """The outcome of one benefit. ``reason`` names the rule-set message explaining it:
    ``band`` / ``zone_end`` / ``years`` when eligible, else ``not_admitted``,
    ``criteria_failed``, ``zone_ended`` or ``no_band``."""

    benefit: Benefit
    eligible: bool
    reason: str
    periods: tuple[Period, ...] = ()
    checks: tuple[CriterionResult, ...] = ()
    args: Mapping[str, Any] = field(default_factory=dict)
    cut_at: date | None = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """An explained eligibility result for one applicant on one date, under one rule set."""

    rule_set: RuleSet
    on_date: date
    facts: Facts
    derived: Mapping[str, Fraction]
    admission: tuple[CriterionResult, ...]
    benefits: tuple[BenefitResult, ...]
    conversion: Conversion | None = None

    @property
    def admitted(self) -> bool:
        """True when every admission criterion holds."""
        return all(result.passed for result in self.admission)

    @property
    def failed_criteria(self) -> tuple[str, ...]:
        """Ids of the admission criteria that fail."""
        return tuple(r.criterion.id for r in self.admission if not r.passed)

    @property
    def eligible_benefits(self) -> tuple[str, ...]:
        """Codes of the benefits granted."""
        return tuple(b.benefit.code for b in self.benefits if b.eligible)

    def outcome(self) -> tuple:
        """A hashable summary (admitted, benefits with periods) for comparing two evaluations."""
        return (
            self.admitted,
            tuple(
                (b.benefit.code, tuple((p.start, p.until, p.reduction_pct) for p in b.periods))
                for b in self.benefits
                if b.eligible
            ),
        )

    def to_dict(self, locale: str = "ru") -> dict:
        """The API.md result, with explanations rendered in ``locale``."""
        from .render import evaluation_to_dict

        return evaluation_to_dict(self, locale)

    def to_snapshot(self) -> dict:
        """A JSON-able, self-contained record: facts, version, result, texts in every language."""
        from .render import evaluation_to_snapshot

        return evaluation_to_snapshot(self)


def evaluate(
    facts: Facts,
    on_date: date,
    registry: RuleSetRegistry | None = None,
    *,
    rule_set: RuleSet | None = None,
    rates: RateBook | None = None,
) -> Evaluation:
    """Evaluate ``facts`` on ``on_date`` under the rule set in force then.

    ``registry`` defaults to the shipped rule sets. Pass ``rule_set`` to evaluate under a given
    (e.g. candidate) rule set instead; ``on_date`` must still be on or after its effective date.
    ``rates`` gives the official exchange rates; without it (or where it has none) the rule set's
    ``fx.*`` parameters are used. Raises :class:`~zone.eligibility.registry.NoRuleSetError` when none is in force.
    """
    if rule_set is None:
        rule_set = (registry or default_registry()).for_date(on_date)
    elif on_date < rule_set.effective_from:
        raise NoRuleSetError(
            f"rule set {rule_set.version} takes effect on {rule_set.effective_from.isoformat()}, "
            f"after {on_date.isoformat()}",
            on_date,
        )
    params = rule_set.params_on(on_date)
    conversion = derive(facts, rule_set, params, on_date, rates)
    derived = conversion.values
    values = facts.values()
    values.update(derived)
    side = facts.side

    admission = tuple(CriterionResult(c, *check(c, values, params)) for c in rule_set.admission_for(side))
    admitted = all(r.passed for r in admission)
    zone_end = params[rule_set.zone_end[side]]
    benefits = tuple(
        _benefit(rule_set, b, admitted, values, params, on_date, zone_end) for b in rule_set.benefits_for(side)
    )
    return Evaluation(rule_set, on_date, facts, MappingProxyType(dict(derived)), admission, benefits, conversion)


def _benefit(
    rule_set: RuleSet,
    benefit: Benefit,
    admitted: bool,
    values: Mapping[str, Any],
    params: Mapping[str, Any],
    on_date: date,
    zone_end: date,
) -> BenefitResult:
    if not admitted:
        return BenefitResult(benefit, False, "not_admitted")
    checks = tuple(CriterionResult(c, *check(c, values, params)) for c in benefit.criteria)
    if not all(r.passed for r in checks):
        return BenefitResult(benefit, False, "criteria_failed", checks=checks)
    if on_date >= zone_end:  # [on_date, zone_end) would be empty
        return BenefitResult(benefit, False, "zone_ended", checks=checks, args={"end": zone_end})
    rule = benefit.period
    args: dict[str, Any] = {}
    if rule.kind == "band":
        basis = values[rule.fact]
        unit = rule_set.parameters[rule.param].unit
        scale = params[rule.param]
        band: Band | None = scale.find(basis)
        edges = tuple(edge for b in scale.bands for edge in (b.min, b.max) if edge is not None)
        args = {"basis": basis, "unit": unit, "closed": scale.closed, "edges": edges}
        if band is None:
            return BenefitResult(benefit, False, "no_band", checks=checks, args=args)
        args["band"] = band
        steps = [(years, benefit.reduction_pct if pct is None else pct) for years, pct in band.schedule]
    elif rule.kind == "years":
        args = {"years": rule.years}
        steps = [(rule.years, benefit.reduction_pct)]
    else:  # zone_end: one period up to the zone's end date, never "cut"
        period = Period(on_date, zone_end, benefit.reduction_pct)
        return BenefitResult(benefit, True, "zone_end", (period,), checks)
    periods, cut = schedule_periods(on_date, steps, zone_end)
    return BenefitResult(benefit, True, rule.kind, periods, checks, args, zone_end if cut else None)
