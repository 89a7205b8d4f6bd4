"""The eligibility engine: facts + date -> an explained, immutable :class:`Evaluation`.

Evaluation does no parsing and no text formatting: it decides with compiled objects and keeps
the raw values each explanation needs in the result types of :mod:`.render`, which renders the texts on
demand, per language (``Evaluation.to_dict(locale)``, ``Evaluation.to_snapshot()``).

Money: derived values are exact fractions (:mod:`.exact`); thresholds and bands compare them
exactly, so one tenge above a band's limit is above it. Rounding is for display only, and an
explanation shows the digits that decide the comparison. Conversions go through USD with the rates
in force on the evaluation date: the official ones from a :class:`~.conversion.RateBook` when given,
else the rule set's (:mod:`.conversion`). Periods are half-open ``[from, until)`` (:mod:`.periods`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from .compiled import Band, Benefit, RuleSet
from .conversion import RateBook, derive
from .criteria import check
from .facts import Facts
from .periods import Period, schedule_periods
from .registry import NoRuleSetError, RuleSetRegistry, default_registry
from .render import BenefitResult, CriterionResult, Evaluation


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
