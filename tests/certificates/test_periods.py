"""Certificates keep their periods' last days; the API, exports and pages show the one convention.

Granted periods are half-open ([from, until)); the row stores the last days it prints. A certificate
issued before the half-open convention (its second step starting the day after the first ended) is
presented as it was issued: its PDF is the stored original, its API periods end the day after the
last day it printed.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tests.certificates.factories import UZ_BENEFITS, approved_application, certificate, issue

HALF_OPEN = [
    {"from": "2026-03-02", "until": "2036-03-02", "reduction_pct": 100},
    {"from": "2036-03-02", "until": "2041-03-02", "reduction_pct": 50},
]


def _json(client, headers, serial) -> dict:
    response = client.get(f"/api/v1/certificates/{serial}", headers=headers)
    assert response.status_code == 200
    return response.get_json()


def test_a_new_certificate_keeps_the_granted_half_open_periods(app, client, make_company, make_user, api_token):
    company = make_company(registration_country="UZ")
    owner = make_user("applicant", company=company)
    serial = issue(app, approved_application(app, company, owner, side="UZ"), benefits=UZ_BENEFITS)
    stored = certificate(app, serial)
    # The row keeps the printed last days: through 01.03.2036, then from 02.03.2036 through 01.03.2041.
    assert [(p["from"], p["until"]) for p in stored.benefits[0]["periods"]] == [
        ("2026-03-02", "2036-03-01"),
        ("2036-03-02", "2041-03-01"),
    ]
    body = _json(client, api_token(make_user("approver")), serial)
    assert body["benefits"][0]["periods"] == HALF_OPEN
    assert stored.valid_until == date(2041, 3, 1)  # the last valid day, as printed
    assert body["valid_until"] == "2041-03-02"  # the API's half-open end
    owner_view = _json(client, api_token(owner), serial)
    assert owner_view["benefits"][0]["periods"] == HALF_OPEN
    page = client.get(f"/verify/{stored.verify_token}?lang=en").get_data(as_text=True)
    assert "02.03.2026 – 01.03.2036" in page and "02.03.2036 – 01.03.2041" in page


def test_a_certificate_stored_before_the_convention_reads_as_issued(app, client, make_company, make_user, api_token):
    from zone.certificates.models import Certificate
    from zone.extensions import db

    company = make_company(registration_country="UZ")
    owner = make_user("applicant", company=company)
    serial = issue(app, approved_application(app, company, owner, side="UZ"), benefits=UZ_BENEFITS)
    # What the earlier engine granted and stored: 100 % through 02.03.2036 (its until, inclusive),
    # then 50 % from the day after, 03.03.2036, through 02.03.2041.
    legacy = [
        {"from": "2026-03-02", "until": "2036-03-02", "reduction_pct": 100},
        {"from": "2036-03-03", "until": "2041-03-02", "reduction_pct": 50},
    ]
    with app.app_context():
        row = db.session.scalars(sa.select(Certificate).where(Certificate.serial == serial)).one()
        row.benefits = [{**row.benefits[0], "periods": legacy}]
        row.valid_until = date(2041, 3, 2)
        db.session.commit()
    before = certificate(app, serial)
    body = _json(client, api_token(make_user("auditor")), serial)
    # Shown as issued, in today's convention: each period ends the day after the last day it printed.
    assert body["benefits"][0]["periods"] == [
        {"from": "2026-03-02", "until": "2036-03-03", "reduction_pct": 100},
        {"from": "2036-03-03", "until": "2041-03-03", "reduction_pct": 50},
    ]
    assert body["valid_until"] == "2041-03-03"
    page = client.get(f"/verify/{before.verify_token}?lang=en").get_data(as_text=True)
    assert "02.03.2026 – 02.03.2036" in page and "03.03.2036 – 02.03.2041" in page
    # Nothing stored was rewritten: the same PDF, byte for byte, and the same row.
    pdf = client.get(f"/api/v1/certificates/{serial}/pdf", headers=api_token(owner))
    assert pdf.status_code == 200 and pdf.data == before.pdf
    after = certificate(app, serial)
    assert after.benefits == before.benefits and after.valid_until == date(2041, 3, 2)
