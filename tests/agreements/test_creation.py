"""The agreement is made in the approval's transaction: number, obligations, deadline and a signed PDF."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from tests.certificates.helpers import pdf_text
from zone.calendar import today as zone_today


def test_approval_makes_a_zone_signed_agreement(app, client, admitted, zone_pdf):
    detail = client.get(f"/api/v1/agreements/{admitted.number}", headers=admitted.company).get_json()
    year = zone_today().year
    assert re.fullmatch(rf"AG-KZ-{year}-000001", detail["number"])
    assert detail["status"] == "awaiting_company_signature"
    assert detail["certificate"]["serial"] == admitted.seed.serials[0]
    assert detail["company"]["tax_id"] == admitted.tax_id
    assert detail["company_signed_at"] is None and detail["amendments"] == []
    decided = date.fromisoformat(detail["decided_on"])
    assert date.fromisoformat(detail["countersign_due"]) == decided + timedelta(days=10)  # KZ legal term

    obligations = {o["id"]: o for o in detail["obligations"]}
    assert set(obligations) == {"investment", "jobs_total", "jobs_local", "construction_start", "production_start",
                                "priority_income_share"}
    assert obligations["investment"] | {"reference": None} == {
        "id": "investment", "type": "investment", "target": "6500000000", "unit": "KZT", "due": "2027-03-01",
        "tolerance_pct": "10", "reference": None, "verified": False}
    assert obligations["jobs_total"]["target"] == 180 and obligations["jobs_local"]["target"] == 160
    assert obligations["construction_start"]["due"] == "2026-04-01"
    assert obligations["production_start"]["due"] == "2027-03-01"
    assert obligations["priority_income_share"]["target"] == "90"
    assert "Tax Code" in obligations["priority_income_share"]["reference"]
    assert "242-VI" in obligations["investment"]["reference"]

    pdf = zone_pdf(admitted.number, admitted.company)
    assert hashlib.sha256(pdf).hexdigest() == detail["sha256"]
    text = pdf_text(pdf)
    assert admitted.number in text and "Жетысай Полимер" in text
    assert "ДОГОВОР ОБ ОСУЩЕСТВЛЕНИИ ДЕЯТЕЛЬНОСТИ" in text.upper() and "Summary in English" in text

    from zone.certificates.signing import validate_signature

    check = validate_signature(pdf, app.config["SIGNING_CA_PATH"])
    assert check.intact and check.valid and check.trusted, check


def test_the_approval_response_names_the_agreement(client, admitted):
    history = client.get("/api/v1/audit/events?action=agreement.create", headers=admitted.auditor).get_json()
    assert [e["details"]["number"] for e in history["items"]] == [admitted.number]
