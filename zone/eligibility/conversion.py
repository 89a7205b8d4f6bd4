"""Converting the investment: the exchange rates in force on the evaluation date, and exact results.

Rates come from a :class:`RateBook` (the official rates imported by :mod:`zone.rates`) when it has
one for the date or an earlier one; otherwise the rule set's own parameter (``fx.kzt_per_usd``,
``fx.uzs_per_usd``) is the fallback. Every rate used is kept as a :class:`RateUsed` so that the
explanation can name it: its value, its date and its source.

Amounts are converted through USD, as exact fractions (see :mod:`.exact`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from .compiled import RuleSet
from .facts import Facts

RULE_SET = "rule_set"


@dataclass(frozen=True, slots=True)
class OfficialRate:
    """A published rate: ``value`` units of ``currency`` per 1 USD, published for ``rate_date``."""

    currency: str
    value: Decimal
    rate_date: date
    source: str  # a short code such as "nbk"
    source_name: Mapping[str, str]  # the publisher's name in every UI language


class RateBook(Protocol):
    """Where official rates come from (the database in the application)."""

    def official_rate(self, currency: str, on_date: date) -> OfficialRate | None:
        """The rate for ``on_date``, or else the latest earlier one, or None."""


@dataclass(frozen=True, slots=True)
class RateUsed:
    """One rate an evaluation used, and where it came from."""

    parameter: str  # the rule-set parameter it stands for, e.g. fx.kzt_per_usd
    currency: str
    value: Decimal
    source: str  # "nbk", "cbu"... or "rule_set" for the rule set's fallback value
    rate_date: date  # the day the rate was published for (the rule-set value: its start date)
    on_date: date
    source_name: Mapping[str, str] | None = None
    reference: str = ""

    @property
    def official(self) -> bool:
        return self.source != RULE_SET

    @property
    def earlier(self) -> bool:
        """An official rate of an earlier day: none was published for the evaluation date."""
        return self.official and self.rate_date < self.on_date

    def to_dict(self) -> dict:
        """JSON shape: ``{"parameter", "currency", "value", "source", "date", "earlier"}``."""
        return {
            "parameter": self.parameter,
            "currency": self.currency,
            "value": format(self.value, "f"),
            "source": self.source,
            "date": self.rate_date.isoformat(),
            "earlier": self.earlier,
        }


@dataclass(frozen=True, slots=True)
class Conversion:
    """The derived amounts of one evaluation, exact, with the values that produced them."""

    amount: Decimal
    currency: str
    values: Mapping[str, Fraction]  # investment_usd, investment_kzt, investment_mci
    rates: tuple[RateUsed, ...]
    mci: Decimal

    def rate(self, currency: str) -> RateUsed | None:
        return next((r for r in self.rates if r.currency == currency), None)


def rate_in_force(rule_set: RuleSet, parameter: str, currency: str, on_date: date, book: RateBook | None) -> RateUsed:
    """The official rate of ``currency`` on ``on_date`` (or the latest earlier), else the rule set's."""
    official = book.official_rate(currency, on_date) if book is not None else None
    if official is not None and official.value > 0 and official.rate_date <= on_date:
        return RateUsed(
            parameter, currency, official.value, official.source, official.rate_date, on_date, official.source_name
        )
    dated = rule_set.parameters[parameter].value_on(on_date)
    return RateUsed(parameter, currency, dated.value, RULE_SET, dated.start, on_date, None, dated.reference)


def derive(
    facts: Facts, rule_set: RuleSet, params: Mapping[str, Any], on_date: date, book: RateBook | None = None
) -> Conversion:
    """``investment_usd``, ``investment_kzt`` and ``investment_mci`` as exact fractions."""
    names = rule_set.derivation
    amount, currency = facts.investment_amount, facts.investment_currency
    kzt_rate = rate_in_force(rule_set, names.kzt_per_usd, "KZT", on_date, book)
    rates = [kzt_rate]
    kzt_per_usd = Fraction(kzt_rate.value)
    exact = Fraction(amount)
    if currency == "USD":
        usd, kzt = exact, exact * kzt_per_usd
    elif currency == "KZT":
        usd, kzt = exact / kzt_per_usd, exact
    else:
        uzs_rate = rate_in_force(rule_set, names.uzs_per_usd, "UZS", on_date, book)
        rates.insert(0, uzs_rate)
        usd = exact / Fraction(uzs_rate.value)
        kzt = usd * kzt_per_usd
    mci = params[names.mci_kzt]
    values = {"investment_usd": usd, "investment_kzt": kzt, "investment_mci": kzt / Fraction(mci)}
    return Conversion(amount, currency, values, tuple(rates), mci)
