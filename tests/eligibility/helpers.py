"""Shared helpers for the eligibility tests (plain functions, no Flask)."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from zone.eligibility.yaml_source import read_yaml

RULESETS = Path(__file__).resolve().parents[2] / "zone" / "eligibility" / "rulesets"
SHIPPED_YAML = (RULESETS / "2026.1.yaml").read_text(encoding="utf-8")
SHIPPED_CASES = RULESETS / "2026.1.cases.yaml"

KZ_FACTS = {
    "side": "KZ",
    "registration_country": "KZ",
    "is_legal_entity": True,
    "activity_codes": ["22.21"],
    "investment_amount": "1000000000",
    "investment_currency": "KZT",
    "priority_income_share": 95,
    "has_branches_outside_zone": False,
    "capital_shares": {"KZ": 60, "UZ": 40},
}
UZ_FACTS = {
    "side": "UZ",
    "registration_country": "UZ",
    "is_legal_entity": True,
    "activity_codes": ["28.30"],
    "investment_amount": 1000000,
    "investment_currency": "USD",
    "capital_shares": {"UZ": 100},
}


def shipped_document() -> dict:
    """The shipped rule set parsed as plain data (dates stay strings)."""
    return copy.deepcopy(read_yaml(SHIPPED_YAML))


def dump(document: dict) -> str:
    """YAML text of a (changed) rule-set document."""
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def param_index(document: dict, pid: str) -> int:
    return next(i for i, p in enumerate(document["parameters"]) if p["id"] == pid)


def benefit_index(document: dict, code: str) -> int:
    return next(i for i, b in enumerate(document["benefits"]) if b["code"] == code)


def criterion_index(document: dict, cid: str) -> int:
    return next(i for i, c in enumerate(document["admission"]) if c["id"] == cid)
