"""Hostile input at the administrators' claim forms, which only exist while a tax id is disputed (the
seed of ``test_forms`` has no dispute, so its crawl finds the list page but no form to fuzz)."""

from __future__ import annotations

import pytest

from tests.fuzz.forms import crawl
from tests.fuzz.test_forms import _fuzz_form

pytestmark = pytest.mark.slow


def test_hostile_values_at_the_claim_forms(client, make_company, make_user, login, valid_bin):
    tax_id = valid_bin()
    for name in ("ТОО «Первая»", "ТОО «Вторая»", "ТОО «Третья»"):
        make_user("applicant", company=make_company(name=name, tax_id=tax_id))
    login(make_user("admin"))
    forms = [form for form in crawl(client, ["/"]) if form.action.endswith("/claim")]
    assert len(forms) == 3, [form.action for form in forms]
    failures: list[str] = []
    for form in forms:
        _fuzz_form(client, form, failures)
    assert not failures, "\n\n".join(failures)
