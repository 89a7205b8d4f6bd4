"""The review queue: who sees it, filters, search, sorting, keyset pagination and a constant query count."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event

from zone.calendar import today as zone_today


def _numbers(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/review/applications/\d+">([^<]+)</a>', html)


@pytest.mark.parametrize(("role", "status"), [("reviewer", 200), ("approver", 200), ("admin", 200),
                                              ("auditor", 200), ("applicant", 403)])
def test_who_sees_the_queue_and_dashboard(role, status, client, login_as, make_application):
    make_application()
    login_as(role)
    assert client.get("/review").status_code == status
    assert client.get("/review/dashboard").status_code == status


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/review")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_filters_and_search(client, login_as, make_company, make_application, make_user):
    reviewer = login_as("reviewer")
    other = make_user("reviewer")
    today = zone_today()
    kz = make_company(name="ТОО «Туран Агромаш»")
    uz = make_company(name="OOO Sirdaryo Textile", registration_country="UZ", tax_id="301234567")
    a = make_application(company=kz, sector="machinery", assignee_id=reviewer.id, status="in_review")
    b = make_application(company=uz, side="UZ", sector="textiles_leather", status="submitted",
                         investment_currency="USD", investment_amount=Decimal("500000"),
                         investment_usd=Decimal("500000"))
    c = make_application(company=kz, sector="plastics", assignee_id=other.id, status="info_requested",
                         submitted_at=datetime(2025, 1, 10, 9, tzinfo=UTC))
    d = make_application(status="approved", assignee_id=other.id, sector="chemicals")
    e = make_application(status="in_review", assignee_id=reviewer.id, sector="chemicals",
                         review_deadline=today - timedelta(days=3))
    draft = make_application(status="draft")
    numbers = {}
    with client.application.app_context():
        from zone.applications.models import Application
        from zone.extensions import db
        for key, ident in {'a': a, 'b': b, 'c': c, 'd': d, 'e': e, 'draft': draft}.items():
            numbers[key] = db.session.get(Application, ident).number

    def shown(query: str) -> set[str]:
        response = client.get("/review" + query)
        assert response.status_code == 200
        return set(_numbers(response.get_data(as_text=True)))

    assert shown("") == {numbers[k] for k in "abce"}  # open ones by default, never drafts
    assert shown("?status=all") == {numbers[k] for k in "abcde"}
    assert shown("?status=approved") == {numbers["d"]}
    assert shown("?side=UZ") == {numbers["b"]}
    assert shown("?sector=plastics") == {numbers["c"]}
    assert shown("?assignee=mine") == {numbers["a"], numbers["e"]}
    assert shown("?assignee=unassigned") == {numbers["b"]}
    assert shown(f"?assignee={other.id}") == {numbers["c"]}
    assert shown("?from=2025-01-01&to=2025-01-31") == {numbers["c"]}
    assert shown("?overdue=1") == {numbers["e"]}
    assert shown("?q=туран") == shown("?q=ТУРАН") == shown("?q=Туран") == {numbers["a"], numbers["c"]}
    assert shown("?q=туран агромаш") == {numbers["a"], numbers["c"]}
    assert shown("?q=Sirdaryo") == {numbers["b"]}
    assert shown("?q=3012345") == {numbers["b"]}  # tax id prefix
    assert shown(f"?q={numbers['a']}") == {numbers["a"]}
    assert shown("?q=%25") == set()  # a LIKE wildcard is searched for literally
    bad = client.get("/review?from=yesterday&status=nonsense")
    assert bad.status_code == 200 and "ГГГГ-ММ-ДД" in bad.get_data(as_text=True)


def test_overdue_rows_stand_out(client, login_as, make_application):
    login_as("reviewer")
    make_application(status="in_review", review_deadline=zone_today() - timedelta(days=10))
    make_application(status="info_requested", review_deadline=zone_today() - timedelta(days=10))
    html = client.get("/review").get_data(as_text=True)
    assert html.count('<tr class="overdue">') == 1  # the clock does not run while the company answers
    assert "Просрочено на" in html


def test_sorting(client, login_as, make_application):
    login_as("reviewer")
    base = datetime(2026, 2, 2, 8, tzinfo=UTC)
    ids = [make_application(submitted_at=base + timedelta(days=n), investment_usd=Decimal(1000 * (5 - n)),
                            review_deadline=date(2026, 3, 1) + timedelta(days=(n * 7) % 5)) for n in range(5)]
    with client.application.app_context():
        from zone.applications.models import Application
        from zone.extensions import db
        apps = [db.session.get(Application, i) for i in ids]
        number = {a.id: a.number for a in apps}
        by_deadline = [number[a.id] for a in sorted(apps, key=lambda a: (a.review_deadline, a.id))]
    oldest = [number[i] for i in ids]
    assert _numbers(client.get("/review").get_data(as_text=True)) == oldest
    assert _numbers(client.get("/review?sort=-submitted").get_data(as_text=True)) == oldest[::-1]
    assert _numbers(client.get("/review?sort=-investment").get_data(as_text=True)) == oldest
    assert _numbers(client.get("/review?sort=deadline").get_data(as_text=True)) == by_deadline


@pytest.mark.parametrize("sort", ["submitted", "-submitted", "deadline", "-investment"])
def test_keyset_pagination_walks_every_row_once(sort, client, login_as, make_application):
    login_as("reviewer")
    base = datetime(2026, 2, 2, 8, tzinfo=UTC)
    for n in range(7):
        # Ties on purpose: equal deadlines, equal investments and two equal submission times.
        make_application(submitted_at=base + timedelta(hours=n // 2), review_deadline=date(2026, 3, 1 + n % 2),
                         investment_usd=None if n == 3 else Decimal(1000 * (n % 3)))
    seen: list[str] = []
    url = f"/review?sort={sort}&limit=3"
    pages = 0
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += _numbers(html)
        pages += 1
        match = re.search(r'<a href="([^"]+)" rel="next">', html)
        url = match.group(1).replace("&amp;", "&") if match else None
    assert pages == 3 and len(seen) == 7 and len(set(seen)) == 7
    assert client.get("/review?cursor=garbage").status_code == 200  # a broken cursor starts again


def _count_queries(app, client, url: str) -> int:
    from zone.extensions import db

    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
        assert response.status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len([s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))])


def test_query_count_does_not_grow_with_the_rows(app, client, login_as, make_application, make_user):
    login_as("reviewer")
    reviewers = [make_user("reviewer") for _ in range(3)]
    for n in range(5):
        make_application(assignee_id=reviewers[n % 3].id, status="in_review")
    few = _count_queries(app, client, "/review?limit=200")
    for n in range(45):
        make_application(assignee_id=reviewers[n % 3].id, status="in_review")
    many = _count_queries(app, client, "/review?limit=200")
    html = client.get("/review?limit=200").get_data(as_text=True)
    assert len(_numbers(html)) == 50
    assert few == many, (few, many)
    assert many <= 8
