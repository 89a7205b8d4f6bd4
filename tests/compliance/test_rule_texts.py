"""The rule set explains itself in the four languages of the zone, each text with the English one's values."""

from __future__ import annotations

from datetime import date

import pytest

from tests.compliance.conftest import on
from zone.compliance.ruleset import RULES_DIR, TEXT_LANGUAGES, RuleSetError, parse

RULE_SET = (RULES_DIR / "2026.1.yaml").read_text(encoding="utf-8")


def test_every_condition_is_explained_in_russian_kazakh_uzbek_and_english():
    for condition in parse(RULE_SET).conditions:
        texts = [condition.name, condition.cure, *condition.explain.values()]
        for text in texts:
            assert set(text) == set(TEXT_LANGUAGES), condition.id
            assert len({text[lang] for lang in TEXT_LANGUAGES}) == 4, (condition.id, text)  # none copied


def test_a_translation_with_other_placeholders_is_refused():
    broken = RULE_SET.replace("{periods} есептерін тапсырыңыз.", "{period} есептерін тапсырыңыз.")
    assert broken != RULE_SET
    with pytest.raises(RuleSetError, match=r"kk text must use the placeholders"):
        parse(broken)


def test_the_what_if_answers_in_the_readers_language(client, resident, file_report):
    file_report(date(2027, 4, 10), "2027-Q1")
    path = f"/api/v1/certificates/{resident.serial}/compliance"
    found = {}
    with on(date(2027, 7, 27)):
        for lang in TEXT_LANGUAGES:
            body = client.get(path, headers=resident.company, query_string={"lang": lang}).get_json()
            found[lang] = next(c for c in body["conditions"] if c["id"] == "reports.filed")
    assert found["kk"]["explanation"] == "2027-Q2 есептері тапсырылмаған; мерзімі 2027-07-26 өтті."
    assert found["uz"]["cure"] == "2027-Q2 hisobotlarini topshiring."
    assert found["ru"]["explanation"].startswith("Не сданы отчёты за 2027-Q2")
    assert found["en"]["explanation"] == "Reports for 2027-Q2 are not filed; due on 2027-07-26."
