"""Immutable, compiled rule-set objects (built by :mod:`zone.eligibility.ruleset`).

A compiled :class:`RuleSet` is shared by every evaluation and every thread: all its parts are
frozen dataclasses, tuples and read-only mappings.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

#: A text in every UI language: ``{"ru": ..., "en": ..., "kk": ..., "uz": ...}``.
Text = Mapping[str, str]


@dataclass(frozen=True, slots=True)
class ParamValue:
    """One dated value of a parameter, with its legal reference."""

    start: date
    value: Any  # Decimal | date | Bands | tuple[str, ...]
    reference: str
    verified: bool


@dataclass(frozen=True, slots=True)
class Parameter:
    """A named, dated parameter (``kz.mci_kzt``...). ``values`` are sorted by start date."""

    id: str
    type: str  # number | date | bands | codes
    unit: str | None
    name: Text
    values: tuple[ParamValue, ...]
    starts: tuple[date, ...] = field(repr=False, compare=False)

    def value_on(self, on_date: date) -> ParamValue | None:
        """The value in force on ``on_date`` (the latest starting on or before it), or None."""
        index = bisect_right(self.starts, on_date)
        return self.values[index - 1] if index else None


@dataclass(frozen=True, slots=True)
class Band:
    """One band of a scale: bounds (None = unbounded) and the schedule ``((years, pct), ...)``.

    The first schedule entry's pct is None: it takes the benefit's own reduction.
    """

    min: Decimal | None
    max: Decimal | None
    schedule: tuple[tuple[int, Decimal | None], ...]


@dataclass(frozen=True, slots=True)
class Bands:
    """A gap-free scale. ``closed`` says which bound belongs to a band: "left" [min, max) or
    "right" (min, max]."""

    closed: str
    bands: tuple[Band, ...]

    def find(self, value: Decimal | Fraction) -> Band | None:
        """The band holding ``value`` (compared exactly), or None when it lies outside the scale."""
        left = self.closed == "left"
        value = Fraction(value)
        for band in self.bands:
            low, high = band.min, band.max
            low_ok = low is None or (value >= Fraction(low) if left else value > Fraction(low))
            high_ok = high is None or (value < Fraction(high) if left else value <= Fraction(high))
            if low_ok and high_ok:
                return band
        return None


@dataclass(frozen=True, slots=True)
class Criterion:
    """One condition tied to its legal reference, with pass/fail explanation templates."""

    id: str
    sides: frozenset[str]
    fact: str
    op: str
    param: str | None
    value: Any
    countries: tuple[str, ...]
    name: Text
    passed_text: Text
    failed_text: Text
    reference: str


@dataclass(frozen=True, slots=True)
class PeriodRule:
    """How long a benefit lasts: ``band`` (scale param over a fact), ``zone_end`` or ``years``."""

    kind: str
    param: str | None = None
    fact: str | None = None
    years: int | None = None


@dataclass(frozen=True, slots=True)
class Benefit:
    """A benefit of one or both sides, its extra criteria and its period rule."""

    code: str
    sides: frozenset[str]
    name: Text
    reference: str
    reduction_pct: Decimal
    period: PeriodRule
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class Derivation:
    """Parameters used to derive investment_usd / _kzt / _mci."""

    kzt_per_usd: str
    uzs_per_usd: str
    mci_kzt: str


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A compiled, validated rule set. Build it with :func:`zone.eligibility.ruleset.load_rule_set`."""

    version: str
    effective_from: date
    title: Text
    units: Mapping[str, Text]
    parameters: Mapping[str, Parameter]
    derivation: Derivation
    zone_end: Mapping[str, str]  # side -> date parameter id
    admission: tuple[Criterion, ...]
    benefits: tuple[Benefit, ...]
    messages: Mapping[str, Text]
    source: str = field(repr=False, compare=False)
    sha256: str = field(repr=False, compare=False)
    _by_side: Mapping[str, tuple[tuple[Criterion, ...], tuple[Benefit, ...]]] = field(repr=False, compare=False)
    _param_cache: dict = field(repr=False, compare=False, default_factory=dict)

    def admission_for(self, side: str) -> tuple[Criterion, ...]:
        """Admission criteria that apply to ``side``, in rule-set order."""
        return self._by_side[side][0]

    def benefits_for(self, side: str) -> tuple[Benefit, ...]:
        """Benefits offered on ``side``, in rule-set order."""
        return self._by_side[side][1]

    def params_on(self, on_date: date) -> Mapping[str, Any]:
        """Every parameter's value in force on ``on_date`` (cached per date)."""
        cached = self._param_cache.get(on_date)
        if cached is None:
            values = {}
            for pid, param in self.parameters.items():
                dated = param.value_on(on_date)
                if dated is not None:
                    values[pid] = dated.value
            cached = MappingProxyType(values)
            if len(self._param_cache) > 4096:  # bounded: dates seen in practice are few
                self._param_cache.clear()
            self._param_cache[on_date] = cached
        return cached
