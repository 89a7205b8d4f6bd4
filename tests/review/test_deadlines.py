"""Each side's working calendar: weekends, the side's public holidays and transferred days (the `holidays`
package), the admins' overrides; one "today" in the zone's time zone; every deadline counted with them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from zone.calendar import is_working_day, today, working_days_after, working_days_between

MON = date(2026, 2, 2)  # a Monday with no holiday on either side in the next weeks


@pytest.mark.parametrize("side", ["KZ", "UZ"])
@pytest.mark.parametrize(("start", "n", "expected"), [
    (MON, 0, MON),
    (MON, 1, date(2026, 2, 3)),
    (MON, 4, date(2026, 2, 6)),              # Friday
    (MON, 5, date(2026, 2, 9)),              # skips the weekend
    (MON, 10, date(2026, 2, 16)),
    (date(2026, 2, 6), 1, date(2026, 2, 9)),   # Friday + 1 → Monday
    (date(2026, 2, 7), 1, date(2026, 2, 9)),   # Saturday + 1 → Monday
    (date(2026, 2, 9), -1, date(2026, 2, 6)),  # backwards over the weekend
])
def test_weekends_are_not_counted(ctx, side, start, n, expected):
    assert working_days_after(side, start, n) == expected


def test_each_side_counts_its_own_public_holidays(ctx):
    # Nauryz: Kazakhstan rests 23–25 March 2026 (Mon–Wed), Uzbekistan only on Monday 23 March.
    assert working_days_after("KZ", date(2026, 3, 20), 1) == date(2026, 3, 26)
    assert working_days_after("UZ", date(2026, 3, 20), 1) == date(2026, 3, 24)
    # Capital Day (6 July) is Kazakh; Independence Day of Uzbekistan (1 September) is Uzbek.
    assert not is_working_day("KZ", date(2026, 7, 6)) and is_working_day("UZ", date(2026, 7, 6))
    assert is_working_day("KZ", date(2026, 9, 1)) and not is_working_day("UZ", date(2026, 9, 1))
    # A holiday on a Sunday moves to Monday (8 March 2026 → 9 March) on both sides.
    assert not is_working_day("KZ", date(2026, 3, 9)) and not is_working_day("UZ", date(2026, 3, 9))


def test_a_transferred_saturday_is_a_working_day_of_its_side_only(ctx):
    # Uzbekistan moved 31 December 2026 to Saturday 12 December 2026.
    assert is_working_day("UZ", date(2026, 12, 12)) and not is_working_day("UZ", date(2026, 12, 31))
    assert not is_working_day("KZ", date(2026, 12, 12)) and is_working_day("KZ", date(2026, 12, 31))
    # Friday 11 December + 1 working day: Saturday in Uzbekistan, Monday in Kazakhstan.
    assert working_days_after("UZ", date(2026, 12, 11), 1) == date(2026, 12, 12)
    assert working_days_after("KZ", date(2026, 12, 11), 1) == date(2026, 12, 14)


def test_an_unknown_side_is_refused(ctx):
    with pytest.raises(ValueError, match="side"):
        working_days_after("RU", MON, 1)


@pytest.mark.parametrize("side", ["KZ", "UZ"])
def test_between_is_the_inverse_of_after(ctx, side):
    # Every weekday as a start, across Nauryz, Eid and the May holidays.
    for start in (date(2026, 3, 16) + timedelta(days=k) for k in range(7)):
        for n in range(0, 60, 3):
            end = working_days_after(side, start, n)
            assert working_days_between(side, start, end) == n, (start, n, end)


def test_between_counts_backwards_as_negative(ctx):
    assert working_days_between("KZ", date(2026, 2, 16), MON) == -10
    assert working_days_between("KZ", MON, MON) == 0
    assert working_days_between("KZ", date(2026, 2, 7), date(2026, 2, 8)) == 0  # Saturday to Sunday


# --- one "today" --------------------------------------------------------------------------------------

def test_today_is_the_zones_date_not_utcs(ctx):
    # 23:30 UTC on 31 March is already 1 April in Almaty (UTC+5).
    with time_machine.travel(datetime(2026, 3, 31, 23, 30, tzinfo=UTC), tick=False):
        assert today() == date(2026, 4, 1)
    with time_machine.travel(datetime(2026, 3, 31, 18, 59, tzinfo=UTC), tick=False):
        assert today() == date(2026, 3, 31)


def test_the_zone_time_zone_is_configurable(app, ctx):
    app.config["ZONE_TIMEZONE"] = "UTC"
    with time_machine.travel(datetime(2026, 3, 31, 23, 30, tzinfo=UTC), tick=False):
        assert today() == date(2026, 3, 31)


FACTS = {"side": "KZ", "registration_country": "KZ", "is_legal_entity": True, "activity_codes": ["22.21"],
         "investment_amount": "6500000000", "investment_currency": "KZT", "priority_income_share": "95",
         "has_branches_outside_zone": False, "capital_shares": {"KZ": 100}}


def test_the_eligibility_check_defaults_to_the_zones_today(client):
    # Before, the check used the UTC date: a day behind the zone between 19:00 and midnight UTC.
    with time_machine.travel(datetime(2026, 3, 31, 23, 30, tzinfo=UTC), tick=False):
        response = client.post("/api/v1/eligibility/check", json=FACTS)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["on_date"] == "2026-04-01"


# --- the review's deadlines --------------------------------------------------------------------------

def test_review_deadline_counts_the_sides_working_days_from_the_zones_date(app, ctx):
    from zone.review.deadlines import review_deadline_for

    app.config["REVIEW_LIMIT_WORKING_DAYS"] = 10
    # Submitted Friday 13 March 2026 at 18:00 UTC = 23:00 in Almaty: still 13 March in the zone.
    submitted = datetime(2026, 3, 13, 18, 0, tzinfo=UTC)
    # KZ: 16–20, 26, 27, 30, 31 March, 1 April (23–25 March are Nauryz) → 1 April.
    assert review_deadline_for("KZ", submitted) == date(2026, 4, 1)
    # UZ: 16–19 March, (20 March Eid al-Fitr), 24–27, 30, 31 March (23 March Nauryz) → 31 March.
    assert review_deadline_for("UZ", submitted) == date(2026, 3, 31)
    # 19:30 UTC is already Saturday 14 March in the zone: the count starts from the Saturday, same result.
    assert review_deadline_for("KZ", datetime(2026, 3, 13, 19, 30, tzinfo=UTC)) == date(2026, 4, 1)


def test_submission_sets_the_review_deadline_of_the_applications_side(client, app, make_user, api_token):
    from tests.api.seed import DOCUMENT_KINDS, KZ_APPLICATION, upload

    headers = api_token(make_user("applicant"))
    created = client.post("/api/v1/applications", headers=headers, json=KZ_APPLICATION).get_json()
    for kind in DOCUMENT_KINDS:
        assert upload(client, headers, created["id"], kind).status_code == 201
    # Friday 20 March 2026, 22:00 UTC: Saturday 21 March in the zone. KZ rests 21–25 March (Nauryz).
    with time_machine.travel(datetime(2026, 3, 20, 22, 0, tzinfo=UTC), tick=False):
        body = client.post(f"/api/v1/applications/{created['id']}/submit", headers=headers).get_json()
    assert body["status"] == "submitted", body
    # 10 KZ working days after 21 March: 26, 27, 30, 31 March, 1–3, 6–8 April → 8 April.
    assert body["review_deadline"] == "2026-04-08"
    assert body["number"].startswith("A-2026-")


def _request_info(client, api_token, make_user, make_application, side: str, **extra):
    reviewer = make_user("reviewer")
    app_id = make_application(status="in_review", assignee_id=reviewer.id, side=side,
                              **({"priority_income_share": None, "has_branches_outside_zone": None}
                                 if side == "UZ" else {}))
    return client.post(f"/api/v1/applications/{app_id}/actions", headers=api_token(reviewer),
                       json={"action": "request_info", "comment": "Приложите выписку банка.", "version": 2, **extra})


@pytest.mark.parametrize(("side", "expected"), [
    # Thursday 19 March 2026 + 10 working days. KZ: 20, 26, 27, 30, 31 March, 1–3, 6, 7 April.
    ("KZ", "2026-04-07"),
    # UZ: (20 March Eid al-Fitr, 23 March Nauryz) 24–27, 30, 31 March, 1–3, 6 April.
    ("UZ", "2026-04-06"),
])
def test_request_info_without_a_deadline_gives_the_sides_working_days(client, api_token, make_user,
                                                                      make_application, side, expected):
    with time_machine.travel(datetime(2026, 3, 19, 6, 0, tzinfo=UTC), tick=False):
        response = _request_info(client, api_token, make_user, make_application, side)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "info_requested"
    assert response.get_json()["info_deadline"] == expected


def test_request_info_default_follows_the_configured_number(client, app, api_token, make_user, make_application):
    app.config["INFO_REQUEST_WORKING_DAYS"] = 3
    with time_machine.travel(datetime(2026, 2, 2, 6, 0, tzinfo=UTC), tick=False):
        response = _request_info(client, api_token, make_user, make_application, "KZ")
    assert response.get_json()["info_deadline"] == "2026-02-05"


def test_the_answer_restarts_the_review_clock_in_the_sides_working_days(app, client, api_token, make_user,
                                                                        make_company, make_application):
    from zone.accounts.models import User
    from zone.applications.lifecycle import apply_action
    from zone.applications.models import Application
    from zone.extensions import db

    reviewer = make_user("reviewer")
    company = make_company()
    company_user = make_user("applicant", company=company)
    with time_machine.travel(datetime(2026, 3, 16, 6, 0, tzinfo=UTC), tick=False):
        app_id = make_application(status="in_review", assignee_id=reviewer.id, review_deadline=date(2026, 3, 20),
                                  company=company, created_by=company_user)
        response = client.post(f"/api/v1/applications/{app_id}/actions", headers=api_token(reviewer),
                               json={"action": "request_info", "comment": "Выписка?", "version": 2})
    assert response.status_code == 200, response.get_json()
    # 4 working days were left (17–20 March). The company answers on Friday 20 March.
    with time_machine.travel(datetime(2026, 3, 20, 6, 0, tzinfo=UTC), tick=False), app.app_context():
        application = db.session.get(Application, app_id)
        apply_action(application, "resubmit", db.session.get(User, company_user.id),
                     expected_version=application.version, comment="Приложено.")
        db.session.commit()
        # KZ rests 21–25 March: 26, 27, 30, 31 March.
        assert db.session.get(Application, app_id).review_deadline == date(2026, 3, 31)


# --- overrides: the admin page, the CLI, the audit ----------------------------------------------------

def test_an_override_changes_the_count_of_its_side_only(app, ctx, make_user):
    from zone.calendar.services import add_override, remove_override
    from zone.extensions import db

    admin = make_user("admin")
    friday = date(2026, 2, 6)
    override = add_override("KZ", friday, "day_off", "Постановление №1", admin)
    db.session.commit()
    assert working_days_after("KZ", date(2026, 2, 5), 1) == date(2026, 2, 9)
    assert working_days_after("UZ", date(2026, 2, 5), 1) == friday
    saturday = add_override("UZ", date(2026, 2, 7), "working_day", "Перенос", admin)
    db.session.commit()
    assert working_days_after("UZ", friday, 1) == date(2026, 2, 7)
    remove_override(override, admin)
    remove_override(saturday, admin)
    db.session.commit()
    assert working_days_after("KZ", date(2026, 2, 5), 1) == friday


def test_admin_keeps_overrides_on_the_calendar_page(client, app, login_as, make_user, login):
    from sqlalchemy import select

    from zone.audit.models import AuditEvent
    from zone.calendar.models import CalendarOverride
    from zone.extensions import db

    login_as("admin")
    page = client.get("/calendar?side=UZ&year=2026&lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Independence Day" in text and "December 12, 2026" in text  # a holiday and the transferred Saturday
    response = client.post("/calendar", data={"side": "KZ", "day": "2026-02-06", "kind": "day_off",
                                              "name": "Постановление Правительства №1"})
    assert response.status_code == 302
    assert "Постановление Правительства №1" in client.get("/calendar?side=KZ&year=2026").get_data(as_text=True)
    again = client.post("/calendar", data={"side": "KZ", "day": "2026-02-06", "kind": "day_off", "name": "Дубль"})
    assert again.status_code == 409 and "Дубль" in again.get_data(as_text=True)  # kept what was typed
    sunday = client.post("/calendar?lang=en", data={"side": "KZ", "day": "2026-02-08", "kind": "day_off",
                                                    "name": "Вс"})
    assert sunday.status_code == 200 and "This day is already a day off." in sunday.get_data(as_text=True)
    with app.app_context():
        override = db.session.scalars(select(CalendarOverride)).one()
        assert (override.side, override.day, override.kind) == ("KZ", date(2026, 2, 6), "day_off")
        override_id = override.id
    assert client.post(f"/calendar/overrides/{override_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(CalendarOverride)).all() == []
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.action.like("calendar.%")).order_by(AuditEvent.seq))]
        assert actions == ["calendar.override_add", "calendar.override_remove"]

    reviewer = make_user("reviewer")
    other = app.test_client()
    login(reviewer, the_client=other)
    assert other.get("/calendar").status_code == 403
    assert other.post("/calendar", data={"side": "KZ", "day": "2026-02-06", "kind": "day_off",
                                         "name": "x"}).status_code == 403


def test_the_cli_adds_lists_and_removes_overrides(app, runner):
    from sqlalchemy import select

    from zone.audit.models import AuditEvent
    from zone.extensions import db

    added = runner.invoke(args=["calendar", "add", "--side", "UZ", "--day", "2026-02-07", "--kind", "working_day",
                                "--name", "Перенос рабочего дня"])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(args=["calendar", "list", "--side", "UZ"])
    assert "UZ\t2026-02-07\tworking_day\tПеренос рабочего дня" in listed.output
    with app.app_context():
        assert is_working_day("UZ", date(2026, 2, 7)) and not is_working_day("KZ", date(2026, 2, 7))
    refused = runner.invoke(args=["calendar", "add", "--side", "KZ", "--day", "2026-02-09", "--kind",
                                  "working_day", "--name", "x"])
    assert refused.exit_code != 0 and "already a working day" in refused.output
    removed = runner.invoke(args=["calendar", "remove", "--side", "UZ", "--day", "2026-02-07"])
    assert removed.exit_code == 0, removed.output
    with app.app_context():
        assert not is_working_day("UZ", date(2026, 2, 7))
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("calendar.%"))
                                    .order_by(AuditEvent.seq)).all()
        assert [(e.action, e.actor) for e in events] == [("calendar.override_add", "cli"),
                                                         ("calendar.override_remove", "cli")]


def test_no_other_today_in_the_code_or_its_tests():
    """Every "today" goes through zone.calendar.today(): no module takes the UTC or the machine's date.

    The tests and benchmarks too: from 19:00 UTC the zone (UTC+5) is already on the next day, so a test that
    takes the machine's or UTC's date fails only in the evening (a CI run at 19:05 UTC did).
    """
    import re
    from pathlib import Path

    import zone

    pattern = re.compile(r"date\.today\(\)|utcnow\(\)\.date\(\)|datetime\.(?:now|utcnow)\(.*\)\.date\(\)"
                         r"|\.astimezone\(.*\)\.date\(\)")
    repository = Path(zone.__file__).parents[1]
    clock, this_file = repository / "zone" / "calendar" / "clock.py", Path(__file__)
    found = [f"{path.relative_to(repository)}:{n}"
             for folder in ("zone", "tests", "bench") for path in (repository / folder).rglob("*.py")
             if path not in (clock, this_file)
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert not found, f"use zone.calendar.today() / local_date(): {found}"
