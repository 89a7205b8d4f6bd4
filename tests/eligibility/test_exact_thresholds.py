"""Thresholds and band edges compare exact values: property tests on every edge, side and currency.

Each test states the truth with exact rationals of its own (amount -> USD -> KZT -> MCI at the rule
set's 2026 values) and checks that the engine decides the same band on both sides of every edge, for
amounts in every currency down to one cent of that currency.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from zone.eligibility import evaluate, validate_facts
from zone.eligibility.exact import exact_text, format_exact
from zone.eligibility.periods import add_years

from .helpers import KZ_FACTS, UZ_FACTS

ON = date(2026, 3, 10)
MCI, KZT_PER_USD, UZS_PER_USD = 4325, 510, 12000
PER_USD = {"USD": 1, "KZT": KZT_PER_USD, "UZS": UZS_PER_USD}
SEZ_END, FEZ_END = date(2043, 12, 31), date(2054, 8, 6)
CENT = Fraction(1, 100)
# Offsets in cents of the amount's currency: from one cent to 10,000 units.
CENTS = st.integers(min_value=1, max_value=1_000_000)


def _amount(value: Fraction) -> str:
    """An amount with at most 2 decimals, as the facts take it."""
    assert value.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100)
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f")


def _cent_floor(value: Fraction) -> Fraction:
    return Fraction(int(value * 100), 100)


def _usd(amount: Fraction, currency: str) -> Fraction:
    return amount / PER_USD[currency]


def _mci(amount: Fraction, currency: str) -> Fraction:
    return _usd(amount, currency) * KZT_PER_USD / MCI


def _kz_years(mci: Fraction) -> int:
    return 7 if mci <= 3_000_000 else 15 if mci <= 14_500_000 else 25


def _uz_years(usd: Fraction) -> int | None:
    for low, years in ((10_000_000, 10), (5_000_000, 7), (3_000_000, 5), (300_000, 3)):
        if usd >= low:
            return years
    return None


def _evaluate(base: dict, amount: Fraction, currency: str):
    return evaluate(validate_facts({**base, "investment_amount": _amount(amount), "investment_currency": currency}), ON)


def _periods(evaluation, code: str) -> list[tuple[date, date]]:
    benefit = next(b for b in evaluation.benefits if b.benefit.code == code)
    return [(p.start, p.until) for p in benefit.periods]


def _check_kz(amount: Fraction, currency: str) -> None:
    evaluation = _evaluate(KZ_FACTS, amount, currency)
    truth = _mci(amount, currency)
    assert evaluation.derived["investment_mci"] == truth
    assert evaluation.to_dict("en")["derived_exact"]["investment_mci"] == exact_text(truth)
    until = min(add_years(ON, _kz_years(truth)), SEZ_END)
    assert _periods(evaluation, "KZ_CIT") == [(ON, until)]


def _check_uz(amount: Fraction, currency: str) -> None:
    evaluation = _evaluate(UZ_FACTS, amount, currency)
    truth = _usd(amount, currency)
    assert evaluation.derived["investment_usd"] == truth
    years = _uz_years(truth)
    assert evaluation.admitted is (years is not None)
    if years is None:
        assert evaluation.failed_criteria == ("uz.min_investment",)
        return
    expected = [(ON, add_years(ON, years))]
    if years == 10:
        expected.append((add_years(ON, 10), add_years(ON, 15)))  # the 50 % step starts on the boundary
    assert _periods(evaluation, "UZ_PROFIT_TAX") == expected


KZ_EDGES = [Fraction(3_000_000), Fraction(14_500_000)]
UZ_EDGES = [Fraction(300_000), Fraction(3_000_000), Fraction(5_000_000), Fraction(10_000_000)]


@pytest.mark.parametrize("currency", ["KZT", "USD", "UZS"])
@pytest.mark.parametrize("edge_mci", KZ_EDGES, ids=["3m_mci", "14_5m_mci"])
@settings(max_examples=60, deadline=None)
@given(cents=CENTS)
@example(cents=1)
def test_kz_band_edges_in_every_currency(edge_mci, currency, cents):
    edge = edge_mci * MCI / KZT_PER_USD * PER_USD[currency]  # the edge in the amount's currency
    nearest_below = _cent_floor(edge)  # the edge itself when it has cents, else just below it
    _check_kz(nearest_below, currency)
    _check_kz(nearest_below - (cents - 1) * CENT, currency)
    _check_kz(nearest_below + cents * CENT, currency)  # above the edge: the upper band


@pytest.mark.parametrize("edge_mci", KZ_EDGES, ids=["3m_mci", "14_5m_mci"])
@settings(max_examples=60, deadline=None)
@given(cents=CENTS)
@example(cents=1)
@example(cents=100)  # one tenge
def test_kz_anything_above_a_limit_in_tenge_is_above_it(edge_mci, cents):
    limit = edge_mci * MCI
    above = _evaluate(KZ_FACTS, limit + cents * CENT, "KZT")
    on = _evaluate(KZ_FACTS, limit, "KZT")
    assert _periods(above, "KZ_CIT")[0][1] > _periods(on, "KZ_CIT")[0][1]


@pytest.mark.parametrize("currency", ["USD", "KZT", "UZS"])
@pytest.mark.parametrize("edge_usd", UZ_EDGES, ids=["300k_minimum", "3m", "5m", "10m"])
@settings(max_examples=60, deadline=None)
@given(cents=CENTS)
@example(cents=1)
def test_uz_band_edges_and_minimum_in_every_currency(edge_usd, currency, cents):
    edge = edge_usd * PER_USD[currency]  # whole units in every currency
    _check_uz(edge, currency)  # on the edge: [min, max) takes it into the band that starts there
    _check_uz(edge + (cents - 1) * CENT, currency)
    _check_uz(edge - cents * CENT, currency)  # below: the band under it, or not admitted


def test_explanation_shows_the_digits_that_decide():
    # 3,599,999,999 UZS is 299,999.99991... USD: displayed 300,000.00 when rounded, yet below the minimum.
    evaluation = _evaluate(UZ_FACTS, Fraction(3_599_999_999), "UZS")
    result = evaluation.to_dict("en")
    assert result["derived"]["investment_usd"] == "300000.00"
    assert result["derived_exact"]["investment_usd"] == "3599999999/12000"
    text = result["admission"][-1]["explanation"]
    assert text.startswith("Investment USD 299,999.99… is below the minimum USD 300,000")
    assert "Calculation: 3,599,999,999 UZS ÷ 12,000 = 299,999.99… USD." in text
    kz = _evaluate(KZ_FACTS, Fraction(12_975_000_001), "KZT").to_dict("en")["benefits"][0]["explanation"]
    assert "investment 3,000,000.0002… MCI falls in the band over 3,000,000 and at most 14,500,000 MCI" in kz


@pytest.mark.parametrize(
    ("value", "edges", "shown"),
    [
        (Fraction(3_000_000), (3_000_000,), "3,000,000"),
        (Fraction("3000000.01"), (3_000_000,), "3,000,000.01"),
        (Fraction(12_975_000_001, 4325), (3_000_000,), "3,000,000.0002…"),
        (Fraction(1, 12000), (0,), "0.00008…"),
        (Fraction(2, 3), (), "0.66…"),
    ],
)
def test_format_exact_never_rounds_across_an_edge(value, edges, shown):
    assert format_exact(value, "en", edges) == shown
