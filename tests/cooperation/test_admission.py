"""Admission offers the application's products: an applicant approved through the API finds them as offers."""

from __future__ import annotations

from tests.api.seed import seed_through_api


def test_an_approved_applications_products_become_its_offers(app, client, make_company, make_user, api_token):
    seed = seed_through_api(client, make_company, make_user, api_token)
    assert "agreement" in seed.stages, seed.problems
    offers = client.get("/api/v1/cooperation/offers", headers=seed.tokens["applicant"]).get_json()["items"]
    assert [(o["hs_code"], o["name"], o["capacity"], o["unit"], o["source"]) for o in offers] == [
        ("391732", "Капельная лента", "12000", "км", "application")]
    # publishing again (a reissue, the resident's own button) adds nothing
    from zone.certificates.queries import by_serial
    from zone.cooperation.services import publish_offers

    with app.test_request_context(method="POST"):
        certificate = by_serial(seed.serials[0])
        assert publish_offers(certificate.application, certificate) == []
