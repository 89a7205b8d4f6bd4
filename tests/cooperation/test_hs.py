"""The shipped HS 2022 nomenclature: its structure, validation at the 6-digit level, and the search."""

from __future__ import annotations

import csv

import pytest

from zone.cooperation import hs


def test_the_file_is_hs_2022_with_every_level():
    entries = hs.nomenclature()
    levels = {length: sum(1 for code in entries if len(code) == length) for length in (2, 4, 6)}
    assert levels == {2: 96, 4: 1228, 6: 5612}  # the WCO's counts for HS 2022 (chapter 77 reserved)
    assert "77" not in entries and "99" not in entries
    assert all(code[:2] in entries and code[:4] in entries for code in entries if len(code) == 6)
    # headings new in HS 2022: flat panel display modules, e-waste, unmanned aircraft
    assert {"852411", "854911", "880610"} <= set(entries)
    with hs.DATA_FILE.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == ["code", "section", "name_en", "name_ru"]


def test_every_chapter_has_a_russian_name():
    chapters = [e for e in hs.nomenclature().values() if e.level == 2]
    assert all(e.name_ru for e in chapters)
    assert hs.name("39", "ru") == "Пластмассы и изделия из них"
    assert hs.chapter_name("390410", "kk") == "Пластмассы и изделия из них"


@pytest.mark.parametrize(("raw", "code"), [
    ("390410", "390410"), ("3904 10", "390410"), ("3904.10", "390410"), ("3904100000", "390410"), (390410, "390410"),
])
def test_a_subheading_is_recognised_in_the_forms_people_type(raw, code):
    assert hs.subheading_of(raw) == code


@pytest.mark.parametrize("raw", [
    "", "3904", "39041", "999999", "390415", "abcdef", "3904\x0010", "39041000001", None, True, 3.5, "٣٩٠٤١٠",
    "3" * 10_000, ["390410"],
])
def test_anything_else_is_not_a_subheading(raw):
    assert hs.subheading_of(raw) is None


def test_search_by_digits_and_by_words():
    assert [e.code for e in hs.search("3904")][:2] == ["390410", "390421"]
    assert "390410" in [e.code for e in hs.search("poly(vinyl chloride)")]
    assert all(e.level == 6 for e in hs.search("пластмассы", limit=50))
    assert hs.search("") == [] and hs.search("zzzzqqq") == []
    assert len(hs.search("8", limit=500)) == 50
