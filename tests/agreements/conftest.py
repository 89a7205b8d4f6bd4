"""Fixtures for the agreement tests: an application approved through the API, demo company identities."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.api.seed import seed_through_api


@pytest.fixture
def admitted(client, make_company, make_user, api_token):
    """A KZ company whose application was approved through the API: its agreement awaits its signature."""
    seed = seed_through_api(client, make_company, make_user, api_token)
    assert "certificate" in seed.stages, seed.problems
    company = seed.tokens["applicant"]
    (item,) = client.get("/api/v1/agreements", headers=company).get_json()["items"]
    return SimpleNamespace(seed=seed, number=item["number"], company=company, tax_id=seed.tax_ids[0],
                           reviewer=seed.tokens["reviewer"], approver=seed.tokens["approver"],
                           admin=seed.tokens["admin"], auditor=seed.tokens["auditor"], users=seed.users)


@pytest.fixture
def demo_identity(app):
    """``demo_identity(tax_id, **options)``: PKCS#12 bytes issued by the development national CA."""
    from zone.esign.identities import issue_demo_identity

    def _make(tax_id: str, **options) -> bytes:
        with app.app_context():
            return issue_demo_identity(tax_id, **options)

    return _make


@pytest.fixture
def zone_pdf(client):
    def _get(number: str, headers: dict) -> bytes:
        response = client.get(f"/api/v1/agreements/{number}/pdf", headers=headers)
        assert response.status_code == 200, response.data[:300]
        return response.data

    return _get
