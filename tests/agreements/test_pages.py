"""The company's cabinet and the staff pages of agreements."""

from __future__ import annotations

import io

from tests.agreements.helpers import sign_as_company


def test_cabinet_shows_the_agreement_and_takes_the_signed_file(client, login, admitted, demo_identity, zone_pdf):
    login(admitted.users["applicant"])
    listing = client.get("/agreements/mine?lang=en").get_data(as_text=True)
    assert admitted.number in listing and "Awaiting the company&#39;s signature" in listing
    page = client.get(f"/agreements/{admitted.number}?lang=en").get_data(as_text=True)
    for text in ("Sign the agreement", "Obligations", "Start of production", "Revision 1: the original",
                 "Sign by"):
        assert text in page, text
    assert 'action="/agreements/' in page and "Propose an amendment" not in page

    signed = sign_as_company(zone_pdf(admitted.number, admitted.company), demo_identity(admitted.tax_id))
    response = client.post(f"/agreements/{admitted.number}/countersign?lang=en",
                           data={"file": (io.BytesIO(signed), "signed.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/agreements/{admitted.number}?lang=en").get_data(as_text=True)
    assert "Concluded (both signatures)" in page and "Sign the agreement" not in page


def test_cabinet_refusal_keeps_the_page_and_says_why(client, login, admitted, zone_pdf):
    login(admitted.users["applicant"])
    response = client.post(f"/agreements/{admitted.number}/countersign?lang=en",
                           data={"file": (io.BytesIO(zone_pdf(admitted.number, admitted.company)), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert "The file is not the zone-signed document" in response.get_data(as_text=True)


def test_staff_list_pages_by_keyset_and_staff_amend_on_the_page(client, login, admitted, monkeypatch):
    import html

    from tests.api.seed import action
    from zone.agreements import routes

    app_id = admitted.seed.application_ids[1]
    for name, headers in (("recommend_approval", admitted.reviewer), ("approve", admitted.approver)):
        assert action(client, headers, app_id, name).status_code == 200
    second = admitted.number[:-6] + "000002"

    login(admitted.users["reviewer"])
    monkeypatch.setattr(routes, "PAGE_SIZE", 1)
    first = client.get("/agreements?side=KZ&lang=en").get_data(as_text=True)
    assert second in first and admitted.number not in first  # newest first
    following = html.unescape(first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0])
    assert "side=KZ" in following
    rest = client.get(following).get_data(as_text=True)
    assert admitted.number in rest and second not in rest and 'rel="next"' not in rest
    assert client.get("/agreements?status=nonsense&cursor=garbage&lang=en").status_code == 200

    detail = client.get(f"/agreements/{admitted.number}?lang=en").get_data(as_text=True)
    assert "Propose an amendment" in detail and "Sign the agreement" not in detail
    version = int(detail.split('name="version" value="')[1].split('"')[0])
    response = client.post(f"/agreements/{admitted.number}/amendments?lang=en", data={
        "version": version, "reason": "Перенос сроков.", "target-1": "200"})
    assert response.status_code == 302
    detail = client.get(f"/agreements/{admitted.number}?lang=en").get_data(as_text=True)
    assert "Supplementary agreement No. 1" in detail
    assert "Only an approver or an administrator decides an amendment." in detail  # a reviewer proposes only
