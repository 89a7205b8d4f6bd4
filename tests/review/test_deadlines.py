"""Working days: weekends and holidays (configured and entered by admins) are not counted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from zone.review.deadlines import add_working_days, working_days_between

MON = date(2026, 3, 2)  # a Monday
NAURYZ = [date(2026, 3, 23), date(2026, 3, 24), date(2026, 3, 25)]  # Nauryz holidays (Mon–Wed)


@pytest.mark.parametrize(("start", "n", "expected"), [
    (MON, 0, MON),
    (MON, 1, date(2026, 3, 3)),
    (MON, 4, date(2026, 3, 6)),            # Friday
    (MON, 5, date(2026, 3, 9)),            # skips the weekend
    (MON, 10, date(2026, 3, 16)),
    (date(2026, 3, 6), 1, date(2026, 3, 9)),   # Friday + 1 → Monday
    (date(2026, 3, 7), 1, date(2026, 3, 9)),   # Saturday + 1 → Monday
    (date(2026, 3, 9), -1, date(2026, 3, 6)),  # backwards over the weekend
])
def test_add_working_days_skips_weekends(start, n, expected):
    assert add_working_days(start, n, []) == expected


def test_add_working_days_skips_holidays():
    # 20 March (Fri) + 1 working day: 23–25 March are holidays, so Thursday 26 March.
    assert add_working_days(date(2026, 3, 20), 1, NAURYZ) == date(2026, 3, 26)
    # A holiday on a weekend changes nothing.
    assert add_working_days(MON, 5, [date(2026, 3, 7)]) == date(2026, 3, 9)


@pytest.mark.parametrize("n", range(0, 40, 3))
@pytest.mark.parametrize("start", [MON + timedelta(days=k) for k in range(7)])
def test_between_is_the_inverse_of_add(start, n):
    end = add_working_days(start, n, NAURYZ)
    assert working_days_between(start, end, NAURYZ) == n


def test_between_counts_backwards_as_negative():
    assert working_days_between(date(2026, 3, 16), MON, []) == -10
    assert working_days_between(MON, MON, []) == 0
    # Saturday to Sunday: no working day in between.
    assert working_days_between(date(2026, 3, 7), date(2026, 3, 8), []) == 0


def test_review_deadline_uses_the_config_and_the_holiday_table(app, app_overrides, ctx):
    from zone.extensions import db
    from zone.review.deadlines import review_deadline_for
    from zone.review.models import Holiday

    app.config["REVIEW_LIMIT_WORKING_DAYS"] = 10
    app.config["HOLIDAYS"] = ["2026-03-23", "not-a-date"]
    db.session.add(Holiday(day=date(2026, 3, 24), name="Наурыз"))
    db.session.commit()
    # Submitted Friday 13 March 2026, 18:00 UTC = 23:00 in Almaty: still 13 March locally.
    submitted = datetime(2026, 3, 13, 18, 0, tzinfo=UTC)
    # 10 working days after 13 March, skipping 23 and 24 March: 16–20, 25, 26, 27, 30, 31 → 31 March.
    assert review_deadline_for(submitted) == date(2026, 3, 31)
    # 20:00 UTC is already 14 March (Saturday) in Almaty: the count starts from the Saturday.
    assert review_deadline_for(datetime(2026, 3, 13, 20, 0, tzinfo=UTC)) == date(2026, 3, 31)


def test_admin_manages_holidays(client, login_as, make_user, login):
    login_as("admin")
    page = client.get("/review/holidays")
    assert page.status_code == 200
    response = client.post("/review/holidays", data={"day": "2026-03-24", "name": "Наурыз мейрамы"})
    assert response.status_code == 302
    assert "Наурыз мейрамы" in client.get("/review/holidays").get_data(as_text=True)
    again = client.post("/review/holidays", data={"day": "2026-03-24", "name": "Дубль"})
    assert again.status_code == 200 and "Дубль" in again.get_data(as_text=True)  # kept what was typed

    from zone.extensions import db
    from zone.review.models import Holiday
    with client.application.app_context():
        holiday_id = db.session.query(Holiday.id).scalar()
    assert client.post(f"/review/holidays/{holiday_id}/delete").status_code == 302
    with client.application.app_context():
        assert db.session.query(Holiday).count() == 0

    reviewer = make_user("reviewer")
    other = client.application.test_client()
    login(reviewer, the_client=other)
    assert other.get("/review/holidays").status_code == 403
    assert other.post("/review/holidays", data={"day": "2026-05-01", "name": "x"}).status_code == 403
