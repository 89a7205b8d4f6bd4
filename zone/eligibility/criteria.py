"""Criterion operators: what each accepts (for validation) and how it decides (for evaluation).

A criterion is data such as ``{fact: investment_usd, op: gte, param: uz.min_investment_usd}``;
nothing is ever evaluated from text. :func:`check` returns whether it holds and the raw values
that its explanation template shows (formatted later, per language, by :mod:`.render`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .compiled import Criterion


@dataclass(frozen=True, slots=True)
class Shares:
    """Capital shares to show in an explanation (``UZ 40 %, KZ 60 %``)."""

    items: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True)
class OpSpec:
    """What an operator accepts: fact kinds, operand source and template placeholders."""

    fact_kinds: frozenset[str]
    operand: str  # "number" (param or value, same unit) | "text" | "none" | "divisions"
    #              | "codes_param" | "shares_param"
    placeholders: frozenset[str]


_COMPARE = OpSpec(frozenset({"number"}), "number", frozenset({"actual", "required", "gap"}))
_EQUAL = OpSpec(frozenset({"side", "country", "currency"}), "text", frozenset({"actual", "required"}))
_BOOL = OpSpec(frozenset({"bool"}), "none", frozenset())

OPS: dict[str, OpSpec] = {
    "gte": _COMPARE,
    "gt": _COMPARE,
    "lte": _COMPARE,
    "lt": _COMPARE,
    "eq": _EQUAL,
    "ne": _EQUAL,
    "is_true": _BOOL,
    "is_false": _BOOL,
    "codes_in_divisions": OpSpec(frozenset({"codes"}), "divisions", frozenset({"codes", "min", "max"})),
    "codes_none_of": OpSpec(frozenset({"codes"}), "codes_param", frozenset({"codes", "excluded"})),
    "shares_each_gte": OpSpec(frozenset({"shares"}), "shares_param", frozenset({"shares", "required", "countries"})),
}


def code_overlaps(code: str, listed: str) -> bool:
    """True when OKED ``code`` and ``listed`` share activities.

    A sub-code lies inside its class (11.01.1 in 11.01), a class inside its group and division
    (11.01 in 11.0 and 11), so string prefixes follow the hierarchy. A broader code that contains
    a listed one (11.0 contains 11.01) overlaps too: declaring it would cover that activity.
    """
    return code.startswith(listed) or listed.startswith(code)


def _compare(test: Callable[[Fraction, Fraction], bool]):
    """Compare exactly: both sides as fractions, whatever their type (a derived amount is one)."""

    def run(criterion: Criterion, actual: Any, required: Any) -> tuple[bool, dict]:
        if actual is None:
            return False, {"actual": Decimal(0), "required": required, "gap": required}
        exact, limit = Fraction(actual), Fraction(required)
        return test(exact, limit), {"actual": actual, "required": required, "gap": abs(limit - exact)}

    return run


def _equal(expected: bool):
    def run(criterion: Criterion, actual: Any, required: Any) -> tuple[bool, dict]:
        return (actual == required) is expected, {"actual": actual, "required": required}

    return run


def _bool(expected: bool):
    def run(criterion: Criterion, actual: Any, required: Any) -> tuple[bool, dict]:
        return actual is expected, {}

    return run


def _in_divisions(criterion: Criterion, codes: Any, divisions: Any) -> tuple[bool, dict]:
    low, high = divisions
    bad = tuple(code for code in codes if not low <= int(code[:2]) <= high)
    return not bad, {"codes": bad or codes, "min": low, "max": high}


def _none_of(criterion: Criterion, codes: Any, excluded: Any) -> tuple[bool, dict]:
    bad = tuple(code for code in codes if any(code_overlaps(code, x) for x in excluded))
    return not bad, {"codes": bad or codes, "excluded": excluded}


def _shares_each_gte(criterion: Criterion, shares: Any, required: Any) -> tuple[bool, dict]:
    held = dict(shares)
    ok = all(held.get(country, Decimal(0)) >= required for country in criterion.countries)
    shown = tuple((country, held.get(country, Decimal(0))) for country in criterion.countries)
    return ok, {"shares": Shares(shown), "required": required, "countries": criterion.countries}


_RUN = {
    "gte": _compare(lambda a, b: a >= b),
    "gt": _compare(lambda a, b: a > b),
    "lte": _compare(lambda a, b: a <= b),
    "lt": _compare(lambda a, b: a < b),
    "eq": _equal(True),
    "ne": _equal(False),
    "is_true": _bool(True),
    "is_false": _bool(False),
    "codes_in_divisions": _in_divisions,
    "codes_none_of": _none_of,
    "shares_each_gte": _shares_each_gte,
}


def check(criterion: Criterion, values: Mapping[str, Any], params: Mapping[str, Any]) -> tuple[bool, dict]:
    """Decide ``criterion`` on fact ``values`` with the ``params`` in force.

    Returns ``(passed, args)`` where ``args`` holds the raw values its template shows.
    """
    required = params[criterion.param] if criterion.param else criterion.value
    return _RUN[criterion.op](criterion, values[criterion.fact], required)
