"""With a timestamp authority configured, the zone's signature on an agreement carries a valid timestamp and
the company still countersigns it as before (the embedded validation info is in the zone's own revision)."""

from __future__ import annotations

import pytest

from tests.agreements.helpers import sign_as_company
from tests.agreements.test_countersign import upload


@pytest.fixture
def app_overrides(timestamp_identity, local_tsa):
    return {"SIGNING_P12_PATH": timestamp_identity.signer_p12, "SIGNING_CA_PATH": timestamp_identity.ca_pem,
            "SIGNING_TSA_URL": local_tsa.url}


def test_a_timestamped_agreement_is_countersigned_and_concluded(app, client, admitted, demo_identity, zone_pdf):
    from zone.certificates.signing import validate_signature

    original = zone_pdf(admitted.number, admitted.company)
    check = validate_signature(original, app.config["SIGNING_CA_PATH"])
    assert check.ok and check.timestamp_valid and check.timestamped_at is not None
    response = upload(client, admitted, sign_as_company(original, demo_identity(admitted.tax_id)))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "concluded"
