"""Amounts reported in KZT or UZS, in USD at the rate in force on the as-of date (the official rate when
imported, else the rule set's), as the eligibility check converts investment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zone.eligibility.conversion import rate_in_force
from zone.eligibility.services import current_registry, official_rates


def usd_rates(on_date: date) -> dict[str, Decimal]:
    """Units of each currency per 1 USD on ``on_date``."""
    rule_set = current_registry().for_date(on_date)
    names, book = rule_set.derivation, official_rates()
    return {"USD": Decimal(1),
            "KZT": Decimal(str(rate_in_force(rule_set, names.kzt_per_usd, "KZT", on_date, book).value)),
            "UZS": Decimal(str(rate_in_force(rule_set, names.uzs_per_usd, "UZS", on_date, book).value))}


def to_usd(sums: dict[str | None, Decimal], rates: dict[str, Decimal]) -> Decimal:
    """The sum of per-currency amounts in USD, to the cent (an unknown currency counts nothing)."""
    total = sum((Decimal(amount or 0) / rates[currency] for currency, amount in sums.items() if currency in rates),
                Decimal(0))
    return total.quantize(Decimal("0.01"))
