"""Reporting periods and due dates: from the rule set, moved to the side's next working day."""

from __future__ import annotations

from datetime import date

import pytest

from zone.reports import periods


@pytest.mark.parametrize(("code", "side", "due"), [
    ("2026-Q1", "KZ", date(2026, 4, 27)),  # 25 April is a Saturday
    ("2026-Q3", "KZ", date(2026, 10, 27)),  # Sunday 25 October is Republic Day: its day off is Monday 26
    ("2026-Q3", "UZ", date(2026, 10, 26)),
    ("2026", "KZ", date(2027, 4, 30)),  # the annual report: 30 April of the next year
    ("2027", "KZ", date(2028, 5, 2)),  # 30 April 2028 is a Sunday, 1 May a holiday
])
def test_due_dates_follow_the_rule_set_and_the_working_calendar(app, code, side, due):
    with app.app_context():
        assert periods.due_date(side, periods.parse(code)) == due


def test_periods_are_parsed_strictly():
    assert periods.parse("2027-q2").code == "2027-Q2"
    assert periods.parse("2027").kind == "annual"
    for bad in ("2027-Q0", "2027-Q5", "27", "2027-1", "", None, 2027, "1999", "2027 Q1"):
        assert periods.parse(bad) is None, bad


def test_an_agreement_reports_from_the_quarter_of_its_decision():
    codes = [p.code for p in periods.periods_between(date(2026, 8, 20), date(2027, 2, 1))]
    assert codes == ["2026-Q3", "2026-Q4", "2026", "2027-Q1", "2027"]


def test_a_rule_set_without_the_terms_refuses_to_invent_them(app, monkeypatch):
    from zone.errors import Conflict

    monkeypatch.setattr(periods, "QUARTERLY_DUE_DAYS", "report.no_such_parameter")
    with app.app_context(), pytest.raises(Conflict):
        periods.due_date("KZ", periods.parse("2026-Q1"))
