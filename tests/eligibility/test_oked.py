"""The OKED catalogue used by the application form."""

from __future__ import annotations

import pytest

from zone.eligibility import oked
from zone.eligibility.registry import default_registry


def test_catalogue_covers_every_manufacturing_division_and_common_classes():
    codes = {entry.code for entry in oked.entries()}
    assert {str(d) for d in range(10, 34)} <= codes
    assert {"10.11", "22.21", "24.10", "25.11", "28.30", "29.10", "21.10", "20.16", "13.10", "23.61"} <= codes
    assert len(codes) >= 150 and len(codes) == len(oked.entries())
    assert all(entry.name_ru and entry.name_en for entry in oked.entries())
    assert all(oked.is_valid_code(entry.code) for entry in oked.entries())


@pytest.mark.parametrize(
    ("code", "manufacturing", "excluded"),
    [
        ("10.11", True, False),
        ("33.20", True, False),
        ("11.01", True, True),
        ("11.05", True, True),
        ("11.01.1", True, True),
        ("11.06", True, False),
        ("12", True, True),
        ("12.00", True, True),
        ("19.20", True, True),
        ("19.10", True, False),
        ("01.11", False, False),
        ("46.90", False, False),
        ("62.01", False, False),
        ("09.10", False, False),
        ("34", False, False),
        ("bad", False, False),
    ],
)
def test_manufacturing_and_excluded(code, manufacturing, excluded):
    assert oked.is_manufacturing(code) is manufacturing
    assert oked.is_excluded(code) is excluded


def test_default_exclusions_match_the_shipped_rule_set():
    rule_set = default_registry().get("2026.1")
    assert rule_set.parameters["oked.excluded"].values[-1].value == oked.DEFAULT_EXCLUDED


def test_entry_details():
    entry = oked.get("22.21")
    assert entry.level == "class" and oked.get("22.2").level == "group" and oked.get("22").level == "division"
    assert entry.name("en").startswith("Manufacture of plastic plates")
    assert entry.name("kk") == entry.name_ru
    assert entry.to_dict("en")["manufacturing"] is True
    assert oked.get("46.90").to_dict("ru") == {
        "code": "46.90",
        "name": "Неспециализированная оптовая торговля",
        "level": "class",
        "manufacturing": False,
        "excluded": False,
    }
    assert oked.get("99.99") is None


def test_search_by_code_and_name():
    assert [e.code for e in oked.search("22.2", "en")] == ["22.2", "22.21", "22.22", "22.23", "22.29"]
    assert "22.21" in [e.code for e in oked.search("ПЛАСТМАСС", "ru")]
    assert "28.30" in [e.code for e in oked.search("agricultural", "ru")]
    assert "28.30" in [e.code for e in oked.search("irrigation", "en")]
    assert oked.search("", "ru") == [] and oked.search("   ") == []
    assert len(oked.search("производство", "ru", limit=5)) == 5
