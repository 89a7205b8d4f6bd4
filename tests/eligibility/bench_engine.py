"""Quick throughput check of the engine (not a test): ``.venv/bin/python tests/eligibility/bench_engine.py``.

Measures evaluate() alone (facts already validated, rule set already compiled), then with
facts validation, then to_dict() rendering, on one core.
"""

import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from zone.eligibility.engine import evaluate
from zone.eligibility.facts import validate_facts
from zone.eligibility.registry import default_registry

KZ = {
    "side": "KZ",
    "registration_country": "KZ",
    "is_legal_entity": True,
    "activity_codes": ["22.21", "25.11"],
    "investment_amount": "13000000000",
    "investment_currency": "KZT",
    "priority_income_share": 95,
    "has_branches_outside_zone": False,
    "capital_shares": {"KZ": 60, "UZ": 40},
}
UZ = {
    "side": "UZ",
    "registration_country": "UZ",
    "is_legal_entity": True,
    "activity_codes": ["28.30"],
    "investment_amount": 12000000,
    "investment_currency": "USD",
    "capital_shares": {"UZ": 100},
}


def rate(label, fn, n):
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    elapsed = time.perf_counter() - start
    print(f"{label:<34} {n / elapsed:>10,.0f} /s")
    return n / elapsed


def main():
    registry = default_registry()
    facts = [validate_facts(KZ), validate_facts(UZ)]
    dates = [date(2026, 1, 1) + timedelta(days=d) for d in range(365)]
    rate("evaluate", lambda i: evaluate(facts[i & 1], dates[i % 365], registry), 40000)
    rate(
        "validate_facts + evaluate",
        lambda i: evaluate(validate_facts(UZ if i & 1 else KZ), dates[i % 365], registry),
        20000,
    )
    ev = evaluate(facts[0], dates[0], registry)
    rate("to_dict('ru')", lambda i: ev.to_dict("ru"), 2000)


if __name__ == "__main__":
    main()
