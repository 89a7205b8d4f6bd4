"""The cooperation pages: a resident publishes a need through the form, sees the match explained, writes,
and the other company answers; a form error keeps what was typed; staff read the list."""

from __future__ import annotations

import re

import pytest

from tests.cooperation.conftest import NEED_PVC


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["ru", "kk", "uz", "en"])
def test_the_cabinet_and_the_hs_search_in_every_language(client, login, chain, lang):
    login(chain.buyer.user)
    client.get(f"/lang/{lang}")
    page = client.get("/cooperation")
    assert page.status_code == 200
    assert 'data-hs-picker="/api/v1/cooperation/hs"' in _text(page)
    search = client.get("/cooperation/hs?q=3904")
    assert search.status_code == 200 and "390410" in _text(search) and "HS 2022" in _text(search)


def test_a_need_through_the_form_then_the_request_and_the_answer(client, login, chain):
    login(chain.buyer.user)
    wrong = client.post("/cooperation/needs", data={**NEED_PVC, "hs_code": "3904", "annual_volume": "много"})
    assert wrong.status_code == 200
    assert 'value="много"' in _text(wrong) and 'aria-invalid="true"' in _text(wrong)
    done = client.post("/cooperation/needs", data={**NEED_PVC, "annual_volume": "1 500"}, follow_redirects=True)
    assert done.status_code == 200 and "MChJ «Navoiyazot PVX»" in _text(done)
    need_id = re.search(r'name="need_id" value="(\d+)"', _text(done)).group(1)
    offer_id = re.search(r'name="offer_id" value="(\d+)"', _text(done)).group(1)
    sent = client.post("/cooperation/requests", data={"need_id": need_id, "offer_id": offer_id,
                                                      "message": "Нужен ПВХ"})
    assert sent.status_code == 302 and "/cooperation/requests/" in sent.headers["Location"]
    request_url = sent.headers["Location"]
    client.post("/logout")
    login(chain.maker.user)
    page = client.get(request_url)
    assert page.status_code == 200 and "Нужен ПВХ" in _text(page)
    version = re.search(r'name="version" value="(\d+)"', _text(page)).group(1)
    accepted = client.post(f"{request_url}/accept", data={"version": version, "response": "Да"}, follow_redirects=True)
    assert accepted.status_code == 200 and 'id="request-state"' in _text(accepted)
    contract = client.post(f"{request_url}/record_contract", data={"annual_volume": "-1", "unit": "t"})
    assert contract.status_code == 200 and 'value="-1"' in _text(contract)
    contract = client.post(f"{request_url}/record_contract", data={"annual_volume": "1 200", "unit": "t",
                                                                   "annual_value_usd": "1140000"})
    assert contract.status_code == 302


def test_editing_a_need_and_an_offer(client, login, chain):
    login(chain.maker.user)
    client.get("/lang/en")
    page = _text(client.get("/cooperation"))
    offer_id = re.search(r"/cooperation/offers/(\d+)/edit", page).group(1)
    form = client.get(f"/cooperation/offers/{offer_id}/edit")
    assert form.status_code == 200 and 'value="390410"' in _text(form)
    bad = client.post(f"/cooperation/offers/{offer_id}", data={"hs_code": "999999", "name": "PVC", "capacity": "1",
                                                               "unit": "t"})
    assert bad.status_code == 200 and 'value="999999"' in _text(bad)
    good = client.post(f"/cooperation/offers/{offer_id}", data={"hs_code": "3904 10", "name": "PVC SG-5",
                                                                "capacity": "20 000", "unit": "t"})
    assert good.status_code == 302
    assert "PVC SG-5" in _text(client.get("/cooperation"))
    client.post("/logout")
    login(chain.buyer.user)
    assert client.get(f"/cooperation/offers/{offer_id}/edit").status_code == 404


def test_not_a_resident_is_told_why_and_staff_see_every_request(client, login, make_user, chain):
    login(make_user("applicant"))
    client.get("/lang/en")
    assert "Only residents of the centre" in _text(client.get("/cooperation"))
    client.post("/logout")
    login(make_user("reviewer"))
    assert client.get("/cooperation").status_code == 200
