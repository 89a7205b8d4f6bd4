"""What changed between two rule sets, for the admin's review before activation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .compiled import Bands, Benefit, Criterion, Parameter, RuleSet


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: ``kind`` parameter|criterion|benefit|message|rule_set, ``change``
    added|removed|changed, and readable ``before``/``after`` (None when absent)."""

    kind: str
    id: str
    change: str
    before: str | None
    after: str | None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "change": self.change, "before": self.before, "after": self.after}


def show_value(value: Any) -> str:
    """A parameter value as plain text (language-neutral)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Bands):
        parts = []
        for band in value.bands:
            low = "-∞" if band.min is None else format(band.min, "f")
            high = "∞" if band.max is None else format(band.max, "f")
            left = "[" if value.closed == "left" and band.min is not None else "("
            right = "]" if value.closed == "right" and band.max is not None else ")"
            steps = " + ".join(f"{y}y" + (f"@{format(p, 'f')}%" if p is not None else "") for y, p in band.schedule)
            parts.append(f"{left}{low}; {high}{right} → {steps}")
        return "; ".join(parts)
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _parameter(param: Parameter) -> str:
    return " | ".join(
        f"from {v.start.isoformat()}: {show_value(v.value)}{'' if v.verified else ' (unverified)'}"
        for v in param.values
    )


def _criterion(c: Criterion) -> str:
    operand = c.param or (show_value(c.value) if c.value is not None else "")
    countries = f" {','.join(c.countries)}" if c.countries else ""
    return f"[{','.join(sorted(c.sides))}] {c.fact} {c.op} {operand}{countries}".rstrip()


def _benefit(b: Benefit) -> str:
    period = b.period.kind + (f" {b.period.param}/{b.period.fact}" if b.period.param else "")
    period += f" {b.period.years}y" if b.period.years else ""
    criteria = f"; criteria: {', '.join(_criterion(c) for c in b.criteria)}" if b.criteria else ""
    return f"[{','.join(sorted(b.sides))}] {format(b.reduction_pct, 'f')}%, period {period}{criteria}"


def _compare(kind: str, old: dict[str, str], new: dict[str, str]) -> list[Change]:
    changes = []
    for key in list(old) + [k for k in new if k not in old]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        change = "added" if before is None else "removed" if after is None else "changed"
        changes.append(Change(kind, key, change, before, after))
    return changes


def _texts(rule_set: RuleSet) -> dict[str, str]:
    texts = {f"title.{loc}": text for loc, text in rule_set.title.items()}
    for key, text in rule_set.messages.items():
        texts.update({f"messages.{key}.{loc}": t for loc, t in text.items()})
    for c in rule_set.admission + tuple(c for b in rule_set.benefits for c in b.criteria):
        for part, text in (("name", c.name), ("passed", c.passed_text), ("failed", c.failed_text)):
            texts.update({f"{c.id}.{part}.{loc}": t for loc, t in text.items()})
    for b in rule_set.benefits:
        texts.update({f"{b.code}.name.{loc}": t for loc, t in b.name.items()})
    return texts


def diff_rule_sets(old: RuleSet, new: RuleSet) -> list[Change]:
    """Every difference from ``old`` to ``new``: header, parameters, criteria, benefits, texts."""
    changes = _compare(
        "rule_set",
        {"version": old.version, "effective_from": old.effective_from.isoformat()},
        {"version": new.version, "effective_from": new.effective_from.isoformat()},
    )
    changes += _compare(
        "parameter",
        {k: _parameter(p) for k, p in old.parameters.items()},
        {k: _parameter(p) for k, p in new.parameters.items()},
    )
    changes += _compare(
        "criterion", {c.id: _criterion(c) for c in old.admission}, {c.id: _criterion(c) for c in new.admission}
    )
    changes += _compare(
        "benefit", {b.code: _benefit(b) for b in old.benefits}, {b.code: _benefit(b) for b in new.benefits}
    )
    changes += _compare("text", _texts(old), _texts(new))
    return changes
