"""The company's countersignature concludes the agreement: the authorities get ``agreement.concluded``."""

from __future__ import annotations

from tests.agreements.conftest import admitted, demo_identity, zone_pdf  # noqa: F401 - fixtures
from tests.agreements.helpers import sign_as_company
from tests.agreements.test_countersign import upload


def test_concluding_the_agreement_writes_its_event(client, admitted, demo_identity, zone_pdf):
    signed = sign_as_company(zone_pdf(admitted.number, admitted.company), demo_identity(admitted.tax_id))
    assert upload(client, admitted, signed).status_code == 200
    items = client.get("/api/v1/events", headers=admitted.auditor).get_json()["items"]
    assert [e["type"] for e in items] == ["certificate.issued", "agreement.concluded"]
    concluded = items[1]["data"]
    assert concluded["agreement"] == {"number": admitted.number} and concluded["company"]["tax_id"] == admitted.tax_id
    assert items[0]["data"]["agreement"] == {"number": admitted.number}
