"""The EAEU common register extract: the KZ residents as of a date, streamed as CSV and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook

from tests.api.seed import seed_through_api
from zone.calendar import today as zone_today


def test_extract_lists_the_resident_with_its_agreement_and_exclusion(app, client, make_company, make_user,
                                                                     api_token):
    seed = seed_through_api(client, make_company, make_user, api_token)
    with app.app_context():
        day = zone_today()
    auditor, admin = seed.tokens["auditor"], seed.tokens["admin"]
    response = client.get("/api/v1/notices/eaeu-register.csv", headers=auditor)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    (row,) = rows
    assert row["bin"] == seed.tax_ids[0] and row["agreement_number"] == seed.agreement_numbers[0]
    assert row["included_on"] == day.isoformat() and row["excluded_on"] == "" and row["zone"]

    before = client.get(f"/api/v1/notices/eaeu-register.csv?date={(day - timedelta(days=1)).isoformat()}",
                        headers=auditor).get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(before.lstrip("\ufeff"))))) == 0

    revoked = client.post(f"/api/v1/certificates/{seed.serials[0]}/revoke", headers=admin,
                          json={"reason": "Нарушение условий"})
    assert revoked.status_code == 200, revoked.get_json()
    book = load_workbook(io.BytesIO(client.get("/api/v1/notices/eaeu-register.xlsx", headers=auditor).data))
    values = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert len(values) == 2 and "Нарушение условий" in str(values[1][8])
    assert client.get("/api/v1/notices/eaeu-register.csv?date=nope", headers=auditor).status_code == 422
    applicant = seed.tokens["applicant"]
    assert client.get("/api/v1/notices/eaeu-register.csv", headers=applicant).status_code == 403
