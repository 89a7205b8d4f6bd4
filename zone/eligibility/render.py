"""What an evaluation found (the result types the engine fills) and how it reads: explanations per
language, the API dict, and snapshots.

A snapshot stores the explanations in every UI language, so showing a stored decision never
depends on the rule set (which may have changed since) nor on this module's formatting.

Snapshot schema 2 writes periods half-open (``[from, until)``) and keeps the exact derived values
and the rates used. Schema 1 snapshots (stored before) wrote ``until`` as the last day the benefit
applied; :func:`render_snapshot` presents them in today's convention (``until`` = that day + 1), so
what was decided then reads the same, and never rewrites what is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

from .compiled import Band, Benefit, Criterion, RuleSet, Text
from .conversion import Conversion, RateUsed
from .criteria import OPS, Shares
from .exact import cents, exact_text, format_exact
from .facts import DERIVED_TYPES, Facts
from .formatting import (
    DEFAULT_LOCALE,
    LOCALES,
    format_date,
    format_number,
    format_percent,
    normalize_locale,
)
from .periods import ONE_DAY, Period


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
        return evaluation_to_dict(self, locale)

    def to_snapshot(self) -> dict:
        """A JSON-able, self-contained record: facts, version, result, texts in every language."""
        return evaluation_to_snapshot(self)



#: 2: half-open periods, exact derived values and rates; 1: ``until`` was the last day (inclusive).
SNAPSHOT_SCHEMA = 2
_COMPARE_OPS = frozenset(op for op, spec in OPS.items() if spec.operand == "number")


def message(rule_set: RuleSet, key: str) -> Text:
    """The rule set's message ``key``, or the shipped rule set's when it has none (optional ones)."""
    text = rule_set.messages.get(key)
    return text if text is not None else _shipped_message(key)


@cache
def _shipped_message(key: str) -> Text:
    from .registry import shipped_rule_sets

    for rule_set in reversed(shipped_rule_sets()):
        if key in rule_set.messages:
            return rule_set.messages[key]
    raise KeyError(f"no shipped rule set has the message {key!r}")


def _value(value: Any, locale: str, edges: Iterable = ()) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Fraction):
        return format_exact(value, locale, edges)
    if isinstance(value, (Decimal, int)):
        return format_number(value, locale)
    if isinstance(value, date):
        return format_date(value, locale)
    if isinstance(value, Shares):
        return ", ".join(f"{c} {format_percent(v, locale)}" for c, v in value.items)
    if isinstance(value, (tuple, list)):
        return ", ".join(str(item) for item in value)
    return str(value)


# A band in words, in each language: "more than a and at most b" for (a; b], "at least a and less than b" for
# [a; b). People read these; the notation stays in the data and the API.
BAND_WORDS = {
    "right": {
        "ru": ("свыше {low}", "не более {high}", " и "),
        "en": ("over {low}", "at most {high}", " and "),
        "kk": ("{low} астам", "{high} аспайтын", " және "),
        "uz": ("{low} dan ortiq", "{high} dan oshmaydigan", " va "),
    },
    "left": {
        "ru": ("не менее {low}", "менее {high}", " и "),
        "en": ("at least {low}", "under {high}", " and "),
        "kk": ("кемінде {low}", "{high} кем", " және "),
        "uz": ("kamida {low}", "{high} dan kam", " va "),
    },
}


def band_in_words(band: Band, closed: str, locale: str) -> str:
    """A band in words with locale numbers: ``over 3 000 000 and at most 14 500 000``, ``at least 10 000 000``."""
    low_words, high_words, joiner = BAND_WORDS[closed].get(locale, BAND_WORDS[closed]["en"])
    parts = []
    if band.min is not None:
        parts.append(low_words.format(low=format_number(band.min, locale)))
    if band.max is not None:
        parts.append(high_words.format(high=format_number(band.max, locale)))
    return joiner.join(parts)


def _schedule(rule_set: RuleSet, periods: tuple[Period, ...], locale: str) -> str:
    """Periods for people: "from ... through the day before ``until``" (display only)."""
    template = message(rule_set, "period")[locale]
    return "; ".join(
        template.format_map(
            {
                "from": format_date(p.start, locale),
                "through": format_date(p.until - ONE_DAY, locale),
                "until": format_date(p.until, locale),
                "pct": format_percent(p.reduction_pct, locale),
            }
        )
        for p in periods
    )


def explain_criterion(result: CriterionResult, locale: str, evaluation: Evaluation | None = None) -> str:
    """The criterion's pass or fail text in ``locale`` with the values used.

    A compared amount shows the digits that decide it against the required value; one derived
    from the investment is followed by its calculation and the rates used (given ``evaluation``).
    """
    criterion = result.criterion
    template = (criterion.passed_text if result.passed else criterion.failed_text)[locale]
    edges = (result.args["required"],) if criterion.op in _COMPARE_OPS and "required" in result.args else ()
    compared = {"actual": edges, "gap": (0,)}  # a gap that goes on must not read as 0
    fields = {k: _value(v, locale, compared.get(k, ())) for k, v in result.args.items()}
    text = template.format_map(fields)
    if evaluation is not None:
        text = _with_calculation(text, evaluation, criterion.fact, locale, edges)
    return text


def explain_benefit(rule_set: RuleSet, result: BenefitResult, locale: str, evaluation: Evaluation | None = None) -> str:
    """Why the benefit is granted (with its periods) or not, in ``locale``."""
    args = result.args
    fields: dict[str, str] = {"name": result.benefit.name[locale]}
    if result.reason == "criteria_failed":
        failed = [explain_criterion(c, locale, evaluation) for c in result.checks if not c.passed]
        fields["reasons"] = " ".join(failed)
    edges = args.get("edges", ())
    for key in ("basis", "years", "end"):
        if key in args:
            fields[key] = _value(args[key], locale, edges if key == "basis" else ())
    if "unit" in args:
        unit = args["unit"]
        fields["unit"] = rule_set.units[unit][locale] if unit in rule_set.units else str(unit)
    if "band" in args:
        fields["band"] = band_in_words(args["band"], args["closed"], locale)
    if result.periods:
        fields["schedule"] = _schedule(rule_set, result.periods, locale)
    text = rule_set.messages[result.reason][locale].format_map(fields)
    if result.cut_at is not None:
        cut = rule_set.messages["cut"][locale].format_map({"end": format_date(result.cut_at, locale)})
        text = f"{text} {cut}"
    if evaluation is not None and "basis" in args and result.benefit.period.fact:
        text = _with_calculation(text, evaluation, result.benefit.period.fact, locale, edges)
    return text


def _with_calculation(text: str, evaluation: Evaluation, fact: str, locale: str, edges: Iterable) -> str:
    """``text`` followed by how a derived amount was calculated and which rates it used."""
    conversion = evaluation.conversion
    if conversion is None or fact not in DERIVED_TYPES or fact not in conversion.values:
        return text
    currency = conversion.currency
    uzs, kzt = conversion.rate("UZS"), conversion.rate("KZT")
    target = DERIVED_TYPES[fact].unit
    if target == currency:
        return text  # nothing converted
    expression = f"{format_number(conversion.amount, locale)} {currency}"
    used: list[RateUsed] = []
    if currency == "UZS":
        expression += f" ÷ {format_number(uzs.value, locale)}"
        used.append(uzs)
    if target != "USD" and currency != "KZT":
        expression += f" × {format_number(kzt.value, locale)}"
        used.append(kzt)
    elif target == "USD" and currency == "KZT":
        expression += f" ÷ {format_number(kzt.value, locale)}"
        used.append(kzt)
    if target == "MCI":
        expression += f" ÷ {format_number(conversion.mci, locale)}"
    rule_set = evaluation.rule_set
    unit = rule_set.units[target][locale] if target in rule_set.units else target
    value = format_exact(conversion.values[fact], locale, edges)
    fields = {
        "steps": f"{expression} = {value} {unit}",
        "rates": " ".join(_rate_text(rule_set, rate, locale) for rate in used),
    }
    return f"{text} {message(rule_set, 'conversion')[locale].format_map(fields).strip()}"


def _rate_text(rule_set: RuleSet, rate: RateUsed, locale: str) -> str:
    """One rate named for people: its value, date and source (or that it is the rule set's)."""
    fields = {
        "name": rule_set.parameters[rate.parameter].name[locale],
        "value": format_number(rate.value, locale),
        "date": format_date(rate.rate_date, locale),
        "since": format_date(rate.rate_date, locale),
        "on_date": format_date(rate.on_date, locale),
        "source": (rate.source_name or {}).get(locale) or rate.source,
    }
    key = "rate_assumed" if not rate.official else ("rate_earlier" if rate.earlier else "rate_official")
    return message(rule_set, key)[locale].format_map(fields)


def _result(evaluation: Evaluation) -> dict:
    """The language-free part of the result."""
    conversion = evaluation.conversion
    return {
        "admitted": evaluation.admitted,
        "derived": {name: format(cents(value), "f") for name, value in evaluation.derived.items()},
        "derived_exact": {name: exact_text(value) for name, value in evaluation.derived.items()},
        "rates": [rate.to_dict() for rate in conversion.rates] if conversion is not None else [],
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
            {"name": r.criterion.name[locale], "explanation": explain_criterion(r, locale, evaluation)}
            for r in evaluation.admission
        ],
        "benefits": [
            {"name": b.benefit.name[locale], "explanation": explain_benefit(rule_set, b, locale, evaluation)}
            for b in evaluation.benefits
        ],
    }


def _merge(header: dict, result: dict, texts: dict) -> dict:
    """API shape from a language-free result and one language's texts."""
    extra = {key: result[key] for key in ("derived_exact", "rates") if key in result}
    return {
        **header,
        "admitted": result["admitted"],
        "derived": dict(result["derived"]),
        **{key: value.copy() for key, value in extra.items()},
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

    ``derived`` money values are strings rounded half up to two decimals (display, e.g.
    ``"300000.00"``); ``derived_exact`` holds the exact values that were compared (a decimal, or
    ``"numerator/denominator"``: ``Fraction(text)`` reads both); ``rates`` names every exchange rate
    used. Periods are half-open, ``[from, until)`` (see :mod:`.periods`). Extra keys: ``name``,
    ``reference``, ``reason``.
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
    result = snapshot["result"]
    if snapshot.get("schema", 1) < 2:
        result = _half_open(result)
    header = {
        "rule_set": {
            "version": snapshot["rule_set"]["version"],
            "effective_from": snapshot["rule_set"]["effective_from"],
        },
        "on_date": snapshot["on_date"],
    }
    return _merge(header, result, texts)


def _half_open(result: Mapping[str, Any]) -> dict:
    """A schema-1 result with its periods in today's convention: the stored last day + 1 = ``until``."""
    return {
        **result,
        "benefits": [
            {**b, "periods": [{**p, "until": legacy_until(p["until"])} for p in b.get("periods") or ()]}
            for b in result["benefits"]
        ],
    }


def legacy_until(last_day: str) -> str:
    """``until`` (half-open) for a period stored with its last day (the convention before schema 2)."""
    return (date.fromisoformat(last_day) + ONE_DAY).isoformat()
