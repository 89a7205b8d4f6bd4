"""Compliance rule sets: YAML data in ``zone/compliance/rules/<version>.yaml``, validated once and shared.

A rule set has dated parameters (each value ``{from, value, reference, verified}``) and conditions
(``{id, kind, sides, effect, reference, name, explain, cure, ...}``). Nothing in it runs as code: the
``kind`` names one of the engine's checks (:data:`KINDS`), and the texts are ``str.format`` templates.
The registry picks the latest rule set in force on a date; ``sha256`` fingerprints the file, so a stored
evaluation says exactly which text decided it.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask import current_app, has_app_context

RULES_DIR = Path(__file__).resolve().parent / "rules"
KINDS = frozenset({"countersigned", "reports_filed", "schedule", "production_started", "priority_income_share"})
EFFECTS = frozenset({"sanction", "benefit_year"})
STATUSES = ("met", "pending", "at_risk", "breached")
LANGUAGES = ("ru", "en")  # required in every text
TEXT_LANGUAGES = ("ru", "kk", "uz", "en")  # kk and uz may be given; a text without them reads in English


class RuleSetError(ValueError):
    """The YAML is not a valid compliance rule set; the message names the place."""


@dataclass(frozen=True)
class ParamValue:
    start: date
    value: Any
    reference: str
    verified: bool


@dataclass(frozen=True)
class Parameter:
    id: str
    values: tuple[ParamValue, ...]

    def value_on(self, day: date) -> ParamValue | None:
        """The value in force on ``day`` (the latest that started on or before it)."""
        found = None
        for value in self.values:
            if value.start <= day:
                found = value
        return found


@dataclass(frozen=True)
class Condition:
    id: str
    kind: str
    sides: frozenset[str]
    effect: str
    reference: str
    name: dict[str, str]
    explain: dict[str, dict[str, str]]
    cure: dict[str, str]
    params: dict[str, str] = field(default_factory=dict)
    obligation_types: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()

    def text(self, templates: dict[str, str], language: str, values: dict[str, Any]) -> str:
        template = templates.get(language) or templates["en"]
        return template.format(**values)


@dataclass(frozen=True)
class RuleSet:
    version: str
    effective_from: date
    sha256: str
    parameters: dict[str, Parameter]
    conditions: tuple[Condition, ...]

    def param(self, name: str, day: date) -> ParamValue:
        """The value of parameter ``name`` in force on ``day``; a rule set lacking it is an error."""
        parameter = self.parameters.get(name)
        value = parameter.value_on(day) if parameter is not None else None
        if value is None:
            value = parameter.values[0] if parameter is not None and parameter.values else None
        if value is None:
            raise RuleSetError(f"{self.version}: no value of {name}")
        return value

    def for_side(self, side: str) -> list[Condition]:
        return [c for c in self.conditions if side in c.sides]


def _placeholders(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def _texts(raw: Any, where: str) -> dict[str, str]:
    """A text in ru and en, and in kk and uz if given, each with the same {placeholders} as the English."""
    if not isinstance(raw, dict) or any(not isinstance(raw.get(lang), str) for lang in LANGUAGES):
        raise RuleSetError(f"{where}: a text in {', '.join(LANGUAGES)} is required")
    texts = {str(k): v for k, v in raw.items()}
    for lang, text in texts.items():
        if lang not in TEXT_LANGUAGES or not isinstance(text, str):
            raise RuleSetError(f"{where}: {lang} is not one of {', '.join(TEXT_LANGUAGES)} or not a text")
        try:
            same = _placeholders(text) == _placeholders(texts["en"])
        except ValueError:
            same = False
        if not same:
            raise RuleSetError(f"{where}: the {lang} text must use the placeholders of the English one")
    return texts


def _date(raw: Any, where: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise RuleSetError(f"{where}: not a date") from None


def parse(text: str) -> RuleSet:
    """Validate and compile the YAML ``text``; RuleSetError names the first mistake."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise RuleSetError("the rule set is not a mapping")
    parameters: dict[str, Parameter] = {}
    for i, raw in enumerate(data.get("parameters") or []):
        where = f"parameters[{i}]"
        values = []
        for j, value in enumerate(raw.get("values") or []):
            if not {"from", "value", "reference", "verified"} <= set(value):
                raise RuleSetError(f"{where}.values[{j}]: from, value, reference and verified are required")
            values.append(ParamValue(_date(value["from"], f"{where}.values[{j}].from"), value["value"],
                                     str(value["reference"]), bool(value["verified"])))
        if not values or values != sorted(values, key=lambda v: v.start):
            raise RuleSetError(f"{where}: values are required, in date order")
        parameters[str(raw["id"])] = Parameter(str(raw["id"]), tuple(values))
    conditions = []
    for i, raw in enumerate(data.get("conditions") or []):
        where = f"conditions[{i}]"
        if raw.get("kind") not in KINDS:
            raise RuleSetError(f"{where}.kind: one of {', '.join(sorted(KINDS))}")
        if raw.get("effect") not in EFFECTS:
            raise RuleSetError(f"{where}.effect: one of {', '.join(sorted(EFFECTS))}")
        explain = raw.get("explain") or {}
        if set(explain) != set(STATUSES):
            raise RuleSetError(f"{where}.explain: a text for each of {', '.join(STATUSES)}")
        params = {str(k): str(v) for k, v in (raw.get("params") or {}).items()}
        for name in params.values():
            if name not in parameters:
                raise RuleSetError(f"{where}.params: unknown parameter {name}")
        conditions.append(Condition(
            id=str(raw["id"]), kind=raw["kind"], sides=frozenset(raw.get("sides") or ()), effect=raw["effect"],
            reference=str(raw.get("reference") or ""), name=_texts(raw.get("name"), f"{where}.name"),
            explain={s: _texts(explain[s], f"{where}.explain.{s}") for s in STATUSES},
            cure=_texts(raw.get("cure"), f"{where}.cure"), params=params,
            obligation_types=tuple(raw.get("obligation_types") or ()), benefits=tuple(raw.get("benefits") or ()),
        ))
    ids = [c.id for c in conditions]
    if len(ids) != len(set(ids)):
        raise RuleSetError("conditions: ids must be unique")
    return RuleSet(version=str(data["version"]), effective_from=_date(data["effective_from"], "effective_from"),
                   sha256=hashlib.sha256(text.encode()).hexdigest(), parameters=parameters,
                   conditions=tuple(conditions))


@dataclass(frozen=True)
class Registry:
    rule_sets: tuple[RuleSet, ...]  # by effective date

    def for_date(self, day: date) -> RuleSet:
        """The rule set in force on ``day`` (the earliest one before any is in force)."""
        chosen = self.rule_sets[0]
        for rule_set in self.rule_sets:
            if rule_set.effective_from <= day:
                chosen = rule_set
        return chosen

    def version(self, version: str) -> RuleSet | None:
        return next((r for r in self.rule_sets if r.version == version), None)


@cache
def _load(directory: str) -> Registry:
    files = sorted(p for p in Path(directory).glob("*.yaml") if not p.name.endswith(".cases.yaml"))
    rule_sets = sorted((parse(p.read_text(encoding="utf-8")) for p in files), key=lambda r: r.effective_from)
    if not rule_sets:
        raise RuleSetError(f"no compliance rule set in {directory}")
    return Registry(tuple(rule_sets))


def registry() -> Registry:
    """Every compliance rule set (``COMPLIANCE_RULES_DIR``, default the shipped ones), loaded once."""
    configured = current_app.config.get("COMPLIANCE_RULES_DIR") if has_app_context() else None
    return _load(str(configured or RULES_DIR))
