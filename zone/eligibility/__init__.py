"""Eligibility: the zone's rules as code (admission criteria, benefits and their periods).

Pure-Python core (no Flask, importable anywhere)::

    from zone.eligibility import validate_facts, evaluate, default_registry
    evaluation = evaluate(validate_facts(data), zone.calendar.today(), default_registry())
    evaluation.to_dict("ru")      # API.md shape, explanations in Russian
    evaluation.to_snapshot()      # self-contained record for a decision

Rule sets are YAML data (``rulesets/*.yaml``) compiled once by :func:`load_rule_set`.
"""

from .cases import CaseReport, CasesError, run_cases
from .compiled import RuleSet
from .engine import Evaluation, evaluate
from .facts import Facts, FactsError, validate_facts
from .formatting import DEFAULT_LOCALE, LOCALES
from .registry import NoRuleSetError, RuleSetRegistry, default_registry, shipped_rule_sets
from .render import render_snapshot
from .ruleset import RuleSetError, load_rule_set, load_rule_set_file

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "CaseReport",
    "CasesError",
    "Evaluation",
    "Facts",
    "FactsError",
    "NoRuleSetError",
    "RuleSet",
    "RuleSetError",
    "RuleSetRegistry",
    "default_registry",
    "evaluate",
    "load_rule_set",
    "load_rule_set_file",
    "render_snapshot",
    "run_cases",
    "shipped_rule_sets",
    "validate_facts",
]
