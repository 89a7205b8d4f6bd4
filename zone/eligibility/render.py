"""Rendering evaluations: explanations per language, the API dict, and snapshots.

A snapshot stores the explanations in every UI language, so showing a stored decision never
depends on the rule set (which may have changed since) nor on this module's formatting.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .compiled import Band, RuleSet
from .criteria import Shares
from .formatting import (
    DEFAULT_LOCALE,
    LOCALES,
    format_date,
    format_number,
    format_percent,
    normalize_locale,
)
from .periods import Period

if TYPE_CHECKING:
    from .engine import BenefitResult, CriterionResult, Evaluation

SNAPSHOT_SCHEMA = 1


def _value(value: Any, locale: str) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (Decimal, int)):
        return format_number(value, locale)
    if isinstance(value, date):
        return format_date(value, locale)
    if isinstance(value, Shares):
        return ", ".join(f"{c} {format_percent(v, locale)}" for c, v in value.items)
    if isinstance(value, (tuple, list)):
        return ", ".join(str(item) for item in value)
    return str(value)


def _band(band: Band, closed: str, locale: str) -> str:
    """Interval notation with locale numbers: ``(3 000 000; 14 500 000]``, ``[10 000 000; ∞)``."""
    low = "−∞" if band.min is None else format_number(band.min, locale)
    high = "∞" if band.max is None else format_number(band.max, locale)
    left = "[" if closed == "left" and band.min is not None else "("
    right = "]" if closed == "right" and band.max is not None else ")"
    return f"{left}{low}; {high}{right}"


def _schedule(periods: tuple[Period, ...], locale: str) -> str:
    return "; ".join(
        f"{format_date(p.start, locale)} – {format_date(p.until, locale)} ({format_percent(p.reduction_pct, locale)})"
        for p in periods
    )


def explain_criterion(result: CriterionResult, locale: str) -> str:
    """The criterion's pass or fail text in ``locale`` with the values used."""
    criterion = result.criterion
    template = (criterion.passed_text if result.passed else criterion.failed_text)[locale]
    return template.format_map({k: _value(v, locale) for k, v in result.args.items()})


def explain_benefit(rule_set: RuleSet, result: BenefitResult, locale: str) -> str:
    """Why the benefit is granted (with its periods) or not, in ``locale``."""
    args = result.args
    fields: dict[str, str] = {"name": result.benefit.name[locale]}
    if result.reason == "criteria_failed":
        failed = [explain_criterion(c, locale) for c in result.checks if not c.passed]
        fields["reasons"] = " ".join(failed)
    for key in ("basis", "years", "end"):
        if key in args:
            fields[key] = _value(args[key], locale)
    if "unit" in args:
        unit = args["unit"]
        fields["unit"] = rule_set.units[unit][locale] if unit in rule_set.units else str(unit)
    if "band" in args:
        fields["band"] = _band(args["band"], args["closed"], locale)
    if result.periods:
        fields["schedule"] = _schedule(result.periods, locale)
    text = rule_set.messages[result.reason][locale].format_map(fields)
    if result.cut_at is not None:
        cut = rule_set.messages["cut"][locale].format_map({"end": format_date(result.cut_at, locale)})
        text = f"{text} {cut}"
    return text


def _money(value: Decimal) -> str:
    return format(value, "f")


def _result(evaluation: Evaluation) -> dict:
    """The language-free part of the result."""
    return {
        "admitted": evaluation.admitted,
        "derived": {name: _money(value) for name, value in evaluation.derived.items()},
        "admission": [
            {"id": r.criterion.id, "passed": r.passed, "reference": r.criterion.reference} for r in evaluation.admission
        ],
        "benefits": [
            {
                "code": b.benefit.code,
                "eligible": b.eligible,
                "reason": b.reason,
                "reference": b.benefit.reference,
                "periods": [p.to_dict() for p in b.periods],
            }
            for b in evaluation.benefits
        ],
    }


def _texts(evaluation: Evaluation, locale: str) -> dict:
    rule_set = evaluation.rule_set
    return {
        "admission": [
            {"name": r.criterion.name[locale], "explanation": explain_criterion(r, locale)}
            for r in evaluation.admission
        ],
        "benefits": [
            {"name": b.benefit.name[locale], "explanation": explain_benefit(rule_set, b, locale)}
            for b in evaluation.benefits
        ],
    }


def _merge(header: dict, result: dict, texts: dict) -> dict:
    """API shape from a language-free result and one language's texts."""
    return {
        **header,
        "admitted": result["admitted"],
        "derived": dict(result["derived"]),
        "admission": [
            {"id": r["id"], "passed": r["passed"], **t, "reference": r["reference"]}
            for r, t in zip(result["admission"], texts["admission"], strict=True)
        ],
        "benefits": [
            {
                "code": b["code"],
                "eligible": b["eligible"],
                **t,
                "periods": [dict(p) for p in b["periods"]],
                "reason": b["reason"],
                "reference": b["reference"],
            }
            for b, t in zip(result["benefits"], texts["benefits"], strict=True)
        ],
    }


def _header(evaluation: Evaluation) -> dict:
    return {
        "rule_set": {
            "version": evaluation.rule_set.version,
            "effective_from": evaluation.rule_set.effective_from.isoformat(),
        },
        "on_date": evaluation.on_date.isoformat(),
    }


def evaluation_to_dict(evaluation: Evaluation, locale: str = DEFAULT_LOCALE) -> dict:
    """The API.md eligibility result with explanations in ``locale``.

    Derived money values are strings with two decimals (exact, e.g. ``"300000.00"``);
    ``until`` is inclusive (see :mod:`.periods`). Extra keys: ``name``, ``reference``,
    ``reason``.
    """
    locale = normalize_locale(locale)
    return _merge(_header(evaluation), _result(evaluation), _texts(evaluation, locale))


def evaluation_to_snapshot(evaluation: Evaluation) -> dict:
    """A self-contained, JSON-able record of ``evaluation`` (see :func:`render_snapshot`)."""
    header = _header(evaluation)
    header["rule_set"]["sha256"] = evaluation.rule_set.sha256
    return {
        "schema": SNAPSHOT_SCHEMA,
        **header,
        "facts": evaluation.facts.to_dict(),
        "result": _result(evaluation),
        "texts": {locale: _texts(evaluation, locale) for locale in LOCALES},
    }


def render_snapshot(snapshot: Mapping[str, Any], locale: str = DEFAULT_LOCALE) -> dict:
    """A stored snapshot in the API.md shape, in ``locale`` (falls back to ru)."""
    locale = normalize_locale(locale)
    texts = snapshot["texts"].get(locale) or snapshot["texts"][DEFAULT_LOCALE]
    header = {
        "rule_set": {
            "version": snapshot["rule_set"]["version"],
            "effective_from": snapshot["rule_set"]["effective_from"],
        },
        "on_date": snapshot["on_date"],
    }
    return _merge(header, snapshot["result"], texts)
