"""The certificate register for staff and auditors: who may open it, its filters and "as of" a date."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from zone.calendar import today as zone_today

ISSUED = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def _serials(page: str) -> list[str]:
    return re.findall(r'name="serial" value="([^"]+)"', page)


def _at(day: str, hour: int = 6) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@pytest.mark.parametrize(("role", "status"), [("applicant", 403), ("reviewer", 200), ("approver", 200),
                                              ("admin", 200), ("auditor", 200)])
def test_staff_and_auditors_open_the_register(client, login_as, role, status):
    assert client.get("/registers/certificates").status_code == 302
    login_as(role)
    assert client.get("/registers/certificates").status_code == status


def test_api_exports_are_for_staff_and_auditors(client, make_user, api_token):
    for path in ("/api/v1/certificates/export.csv", "/api/v1/certificates/export.xlsx",
                 "/api/v1/certificates/archive.zip"):
        assert client.get(path).status_code == 401
        assert client.get(path, headers=api_token(make_user("applicant"))).status_code == 403
        assert client.get(path, headers=api_token(make_user("reviewer"))).status_code == 200


def test_filters(client, login_as, make_company, make_certificate):
    turan = make_company(name="ТОО «Туран Агромаш»")
    syr = make_company(name="OOO «Sirdaryo Tekstil»", registration_country="UZ", tax_id="301234567")
    a = make_certificate(turan, side="KZ", sector="machinery", issued_at=_at("2026-03-02"))
    b = make_certificate(turan, side="KZ", sector="agricultural_machinery", issued_at=_at("2026-04-15"),
                         history=[("suspend", "suspended", _at("2026-05-01"))])
    c = make_certificate(syr, side="UZ", sector="textiles_leather", issued_at=_at("2026-06-01"))
    d = make_certificate(syr, side="UZ", sector="textiles_leather", issued_at=_at("2025-01-10"),
                         valid_until=date(2025, 12, 31))  # still "active" in the table, expired by date
    login_as("auditor")

    def shown(query: str) -> set[str]:
        response = client.get(f"/registers/certificates?{query}")
        assert response.status_code == 200
        return set(_serials(response.get_data(as_text=True)))

    assert shown("") == {a, b, c, d}
    assert shown("status=active") == {a, c}
    assert shown("status=suspended") == {b}
    assert shown("status=expired") == {d}
    assert shown("side=UZ") == {c, d}
    assert shown("sector=agricultural_machinery") == {b}
    assert shown("issued_from=2026-03-01&issued_to=2026-04-15") == {a, b}
    assert shown("issued_from=2026-04-16") == {c}
    assert shown("company=туран") == {a, b}  # any case, Cyrillic too
    assert shown("company=SIRDARYO") == {c, d}
    assert shown("company=3012") == {c, d}  # tax id prefix
    assert shown(f"company={turan.tax_id}") == {a, b}


def test_invalid_filters_are_shown_and_ignored(client, login_as, make_company, make_certificate):
    serial = make_certificate(make_company())
    login_as("reviewer")
    response = client.get("/registers/certificates?status=lost&as_of=yesterday&side=RU")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count('aria-invalid="true"') == 3
    assert _serials(page) == [serial]
    # an export with invalid filters goes back to the page instead
    response = client.get("/registers/certificates/export.csv?as_of=yesterday")
    assert response.status_code == 302 and "/registers/certificates?as_of=yesterday" in response.headers["Location"]


def test_keyset_pages(client, login_as, make_company, make_certificate):
    company = make_company()
    serials = [make_certificate(company, issued_at=ISSUED + timedelta(minutes=i)) for i in range(55)]
    login_as("auditor")
    page = client.get("/registers/certificates").get_data(as_text=True)
    first = _serials(page)
    assert first == serials[::-1][:50] and "55" in page
    older = re.search(r'href="(/registers/certificates\?after=\d+)"', page).group(1)
    assert _serials(client.get(older).get_data(as_text=True)) == serials[::-1][50:]


def test_status_as_of_a_past_date(client, login_as, make_company, make_certificate):
    company = make_company()
    serial = make_certificate(company, issued_at=_at("2026-03-02"), valid_until=date(2026, 12, 31), history=[
        ("suspend", "suspended", _at("2026-05-10")),
        ("reinstate", "active", _at("2026-06-01")),
        ("revoke", "revoked", _at("2026-08-01")),
    ])
    later = make_certificate(company, issued_at=_at("2026-07-01"), valid_until=date(2026, 12, 31))
    login_as("auditor")

    def status_on(day: str) -> dict[str, str]:
        page = client.get(f"/registers/certificates?as_of={day}").get_data(as_text=True)
        rows = re.findall(r'value="(ICIC-[^"]+)".*?class="badge status-(\w+)"', page, re.S)
        return dict(rows)

    assert status_on("2026-03-01") == {}  # before the issue
    assert status_on("2026-03-02") == {serial: "active"}
    assert status_on("2026-05-09") == {serial: "active"}
    assert status_on("2026-05-10") == {serial: "suspended"}
    assert status_on("2026-06-15") == {serial: "active"}
    assert status_on("2026-07-01") == {serial: "active", later: "active"}
    assert status_on("2026-09-01") == {serial: "revoked", later: "active"}
    assert status_on("2027-01-05") == {serial: "revoked", later: "expired"}
    page = client.get("/registers/certificates?as_of=2026-05-20&status=suspended").get_data(as_text=True)
    assert _serials(page) == [serial] and "2026" in page


def test_today_the_status_is_the_stored_one(client, login_as, make_company, make_certificate, app):
    company = make_company()
    with app.app_context():
        today = zone_today()
    serial = make_certificate(company, issued_at=_at("2026-01-05"), valid_until=today + timedelta(days=1),
                              history=[("suspend", "suspended", _at("2026-02-01"))])
    login_as("auditor")
    page = client.get("/registers/certificates").get_data(as_text=True)
    assert re.search(serial + r'.*?class="badge status-suspended"', page, re.S)
