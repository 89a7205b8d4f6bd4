"""One field schema: every application field is described once (zone/applications/fields.py) and the section
forms, the API's JSON, the OpenAPI document and the model all follow from that entry; the shared vocabulary
(zone/vocabulary.py) makes every part of zone accept and refuse the same codes."""

from __future__ import annotations

import pytest
from wtforms import FieldList
from wtforms.fields.core import UnboundField

from tests.eligibility.http_helpers import UZ_BODY
from zone.applications.fields import FIELDS, SECTIONS
from zone.applications.forms import SECTION_FORMS
from zone.applications.kinds import Rows
from zone.applications.models import Application


def test_every_field_has_its_form_field_json_openapi_schema_and_column(app, client, applicant_headers):
    openapi = client.get("/api/v1/openapi.json").get_json()
    schemas = openapi["components"]["schemas"]
    created = client.post("/api/v1/applications", json={"side": "KZ"}, headers=applicant_headers).get_json()
    for name, field in FIELDS.items():
        assert field.section in SECTIONS, name
        form = SECTION_FORMS[field.section]
        unbound = getattr(form, name, None)
        assert isinstance(unbound, UnboundField), f"{name} has no form field"
        if isinstance(field.kind, Rows):
            assert issubclass(unbound.field_class, FieldList), name
        assert name in created, f"{name} missing from the API's application"
        assert name in schemas["ApplicationInput"]["properties"], f"{name} missing from the OpenAPI input"
        assert name in Application.__table__.columns, f"{name} has no column"
    assert set(schemas["ApplicationInput"]["properties"]) == set(FIELDS)


@pytest.mark.parametrize("codes", [["٢٥.١١"], ["２５.１１"], ["25.11\n"]])
def test_oked_codes_with_other_digits_are_refused_in_a_draft_as_at_submission(client, applicant_headers, codes):
    response = client.post("/api/v1/applications", json={"side": "KZ", "activity_codes": codes},
                           headers=applicant_headers)
    assert response.status_code == 422, response.get_json()
    assert any(path.startswith("activity_codes") for path in response.get_json()["error"]["fields"])


@pytest.mark.parametrize("code", ["XK", "XA", "EU", "ZZ"])
def test_the_eligibility_check_refuses_the_pseudo_countries_registration_refuses(client, code):
    as_country = client.post("/api/v1/eligibility/check", json={**UZ_BODY, "registration_country": code})
    assert as_country.status_code == 422, as_country.get_json()
    as_owner = client.post("/api/v1/eligibility/check", json={**UZ_BODY, "capital_shares": {"UZ": 60, code: 40}})
    assert as_owner.status_code == 422, as_owner.get_json()
