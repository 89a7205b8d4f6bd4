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


def test_the_pages_extract_is_headed_in_russian_or_by_machine_names(client, make_company, make_user, api_token,
                                                                    login):
    seed = seed_through_api(client, make_company, make_user, api_token)
    api = client.get("/api/v1/notices/eaeu-register.csv?lang=ru", headers=seed.tokens["auditor"])
    login(make_user("auditor"))
    page = client.get("/notices?lang=ru").get_data(as_text=True)
    assert 'href="/notices/eaeu-register.csv?header=machine"' in page
    spoken = list(csv.reader(io.StringIO(client.get("/notices/eaeu-register.csv").get_data(as_text=True)
                                         .lstrip("\ufeff"))))
    machine = list(csv.reader(io.StringIO(client.get("/notices/eaeu-register.csv?header=machine")
                                          .get_data(as_text=True).lstrip("\ufeff"))))
    columns = ["name", "bin", "zone", "agreement_number", "agreement_date", "activity", "included_on",
               "excluded_on", "exclusion_ground"]
    assert spoken[0][:3] == ["Название", "БИН", "Зона"] and machine[0] == columns
    assert spoken[1:] == machine[1:] and spoken[1][1] == seed.tax_ids[0]
    assert next(csv.reader(io.StringIO(api.get_data(as_text=True).lstrip("\ufeff")))) == columns  # the API's
