"""A compiled rule set as JSON-able data for the API and the admin pages (readable form)."""

from __future__ import annotations

from .compiled import Criterion, RuleSet
from .diff import show_value
from .formatting import normalize_locale


def _criterion(c: Criterion, locale: str) -> dict:
    return {
        "id": c.id,
        "sides": sorted(c.sides),
        "name": c.name[locale],
        "reference": c.reference,
        "fact": c.fact,
        "op": c.op,
        "param": c.param,
        "value": None if c.value is None else show_value(c.value),
        "countries": list(c.countries),
    }


def rule_set_json(rule_set: RuleSet, locale: str = "ru") -> dict:
    """Parameters (every dated value, reference and verified flag), criteria and benefits."""
    locale = normalize_locale(locale)
    return {
        "title": rule_set.title[locale],
        "parameters": [
            {
                "id": p.id,
                "type": p.type,
                "unit": p.unit,
                "name": p.name[locale],
                "values": [
                    {
                        "from": v.start.isoformat(),
                        "value": show_value(v.value),
                        "reference": v.reference,
                        "verified": v.verified,
                    }
                    for v in p.values
                ],
            }
            for p in rule_set.parameters.values()
        ],
        "admission": [_criterion(c, locale) for c in rule_set.admission],
        "benefits": [
            {
                "code": b.code,
                "sides": sorted(b.sides),
                "name": b.name[locale],
                "reference": b.reference,
                "reduction_pct": show_value(b.reduction_pct),
                "period": {
                    "kind": b.period.kind,
                    "param": b.period.param,
                    "fact": b.period.fact,
                    "years": b.period.years,
                },
                "criteria": [_criterion(c, locale) for c in b.criteria],
            }
            for b in rule_set.benefits
        ],
    }
