"""Reissue after an amendment: the benefits come only from the rules, and two people sign it off.

One approver or admin proposes a reissue (``POST /api/v1/certificates/{serial}/reissue`` with a reason and,
optionally, the basis and a narrowed choice of benefits); another confirms it with the same call naming the
proposal. Nothing is signed before the second person confirms, and whatever a request says about benefits
can only drop one or end a period earlier than the rules do: invented codes, periods the rules never gave,
longer periods, higher reductions and names typed by hand are refused and nothing is signed.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.api.seed import seed_through_api
from tests.certificates.factories import certificate


@pytest.fixture
def resident(client, make_company, make_user, api_token):
    """A certificate issued by a real approval (facts evaluated under the rules), and two approvers."""
    from types import SimpleNamespace

    seed = seed_through_api(client, make_company, make_user, api_token)
    assert "certificate" in seed.stages, seed.problems
    approver, other = seed.users["approver"], make_user("approver")
    return SimpleNamespace(
        serial=seed.serials[0],
        application_id=seed.application_ids[2],
        company=seed.tokens["applicant"],
        approver=approver,
        other=other,
        admin=seed.users["admin"],
        proposer_headers=seed.tokens["approver"],
        confirmer_headers=api_token(other),
        admin_headers=seed.tokens["admin"],
    )


def _reissue(client, headers, serial, **body):
    return client.post(f"/api/v1/certificates/{serial}/reissue", json=body, headers=headers)


def _certificate(client, headers, serial) -> dict:
    response = client.get(f"/api/v1/certificates/{serial}", headers=headers)
    assert response.status_code == 200
    return response.get_json()


def _serials(app) -> list[str]:
    from zone.certificates.models import Certificate
    from zone.extensions import db

    with app.app_context():
        return list(db.session.scalars(sa.select(Certificate.serial).order_by(Certificate.id)))


def _audit(app, action: str) -> list[dict]:
    from zone.audit.models import AuditEvent
    from zone.extensions import db

    with app.app_context():
        return [e.details for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action))]


def _decided(client, resident) -> dict[str, list[dict]]:
    """The benefits the approval granted, by code: what the original certificate carries."""
    return _stored(_certificate(client, resident.proposer_headers, resident.serial)["benefits"])


def _stored(benefits: list[dict]) -> dict[str, list[dict]]:
    return {b["code"]: b["periods"] for b in benefits}


def _nothing_signed(app, client, resident, before: list[str]) -> None:
    assert _serials(app) == before
    assert not _audit(app, "certificate.reissue")
    current = _certificate(client, resident.proposer_headers, resident.serial)
    assert current["status"] == "active" and current["superseded_by"] is None


def _later(day: str, **delta) -> str:
    return (date.fromisoformat(day) + timedelta(**delta)).isoformat()


# --- what a request may say about benefits ----------------------------------------------------------------

def _invented(decided: dict) -> list:
    return [{"code": "KZ_EVERYTHING_FREE",
             "periods": [{"from": "2000-01-01", "until": "2099-12-31", "reduction_pct": 100}]}]


def _out_of_rule_period(decided: dict) -> list:
    return [{"code": "KZ_CIT", "periods": [{"from": "2000-01-01", "until": "2099-12-31", "reduction_pct": 100}]}]


def _lengthened(decided: dict) -> list:
    return [{"code": "KZ_CIT", "until": _later(decided["KZ_CIT"][-1]["until"], days=365)}]


def _lengthened_periods(decided: dict) -> list:
    periods = [dict(p) for p in decided["KZ_CIT"]]
    periods[-1]["until"] = _later(periods[-1]["until"], days=1)
    return [{"code": "KZ_CIT", "periods": periods}]


def _raised_reduction(decided: dict) -> list:
    periods = [{**p, "reduction_pct": 100} for p in decided["ICIC_COOPERATION"]]
    return [{"code": "ICIC_COOPERATION", "periods": periods}]


def _free_text_name(decided: dict) -> list:
    return [{"code": "KZ_CIT", "name": {"ru": "Освобождение от всех налогов навсегда", "en": "No taxes ever"}}]


def _free_text_reference(decided: dict) -> list:
    return [{"code": "KZ_CIT", "reference": "Указ о вечных льготах"}]


def _earlier_start(decided: dict) -> list:
    periods = [dict(p) for p in decided["KZ_CIT"]]
    periods[0]["from"] = "2000-01-01"
    return [{"code": "KZ_CIT", "periods": periods}]


HOSTILE_CHOICES = [_invented, _out_of_rule_period, _lengthened, _lengthened_periods, _raised_reduction,
                   _free_text_name, _free_text_reference, _earlier_start]


@pytest.mark.parametrize("choice", HOSTILE_CHOICES, ids=lambda f: f.__name__.strip("_"))
def test_a_reissue_cannot_invent_benefits(client, app, resident, choice):
    decided = _decided(client, resident)
    before = _serials(app)
    response = _reissue(client, resident.proposer_headers, resident.serial, reason="Смена наименования",
                        benefits=choice(decided))
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and any(name.startswith("benefits") for name in error["fields"])
    _nothing_signed(app, client, resident, before)
    assert _certificate(client, resident.proposer_headers, resident.serial)["reissue_proposal"] is None


def test_unknown_basis_and_fields_are_refused(client, app, resident):
    before = _serials(app)
    for body in ({"reason": "x", "basis": "whatever"}, {"reason": "x", "valid_until": "2099-12-31"},
                 {"reason": "x", "benefits": "KZ_CIT"}, {"reason": "x", "proposal": 1, "benefits": []}):
        response = _reissue(client, resident.proposer_headers, resident.serial, **body)
        assert response.status_code == 422, (body, response.get_json())
    _nothing_signed(app, client, resident, before)


# --- four eyes ---------------------------------------------------------------------------------------

def test_a_proposal_signs_nothing_and_its_proposer_cannot_confirm_it(client, app, resident):
    before = _serials(app)
    proposed = _reissue(client, resident.proposer_headers, resident.serial, reason="Смена наименования")
    assert proposed.status_code == 202, proposed.get_json()
    proposal = proposed.get_json()["proposal"]
    assert proposal["status"] == "pending" and proposal["proposed_by"]["id"] == resident.approver.id
    _nothing_signed(app, client, resident, before)
    assert _audit(app, "certificate.reissue_proposed")[0]["proposal"] == proposal["id"]

    self_confirmed = _reissue(client, resident.proposer_headers, resident.serial, proposal=proposal["id"],
                              decision="confirm")
    assert self_confirmed.status_code == 403, self_confirmed.get_json()
    assert self_confirmed.get_json()["error"]["code"] == "four_eyes"
    _nothing_signed(app, client, resident, before)
    pending = _certificate(client, resident.proposer_headers, resident.serial)["reissue_proposal"]
    assert pending["id"] == proposal["id"] and pending["status"] == "pending"


def test_a_second_approver_confirms_and_the_audit_records_the_benefits_signed(client, app, resident):
    decided = _decided(client, resident)
    shorter = _later(decided["KZ_LAND_TAX"][-1]["until"], days=-400)
    choice = ["KZ_CIT", {"code": "KZ_LAND_TAX", "until": shorter}]
    proposal = _reissue(client, resident.proposer_headers, resident.serial, reason="Сокращение льгот",
                        benefits=choice).get_json()["proposal"]
    assert [b["code"] for b in proposal["benefits"]] == ["KZ_CIT", "KZ_LAND_TAX"]

    confirmed = _reissue(client, resident.confirmer_headers, resident.serial, proposal=proposal["id"],
                         decision="confirm")
    assert confirmed.status_code == 201, confirmed.get_json()
    new = confirmed.get_json()
    assert new["supersedes"] == resident.serial and new["status"] == "active"
    signed = _stored(new["benefits"])
    assert signed == {"KZ_CIT": decided["KZ_CIT"],
                      "KZ_LAND_TAX": [{**decided["KZ_LAND_TAX"][-1], "until": shorter}]}
    assert new["valid_until"] == max(p["until"] for periods in signed.values() for p in periods)
    assert new["benefits"][0]["names"]["en"].startswith("Corporate income tax")

    (audit,) = _audit(app, "certificate.reissue")
    assert audit["serial"] == new["serial"] and audit["supersedes"] == resident.serial
    assert _stored(audit["benefits"]) == signed and audit["valid_until"] == new["valid_until"]
    assert audit["proposed_by"] == resident.approver.id and audit["confirmed_by"] == resident.other.id
    assert audit["basis"] == "decision"
    old = _certificate(client, resident.proposer_headers, resident.serial)
    assert old["status"] == "superseded" and old["superseded_by"] == new["serial"]
    assert old["reissue_proposal"] is None


def test_by_default_the_reissue_keeps_exactly_the_decided_benefits(client, app, resident):
    from zone.companies.models import Company
    from zone.extensions import db

    original = _certificate(client, resident.proposer_headers, resident.serial)
    with app.app_context():
        company = db.session.scalars(sa.select(Company).where(Company.tax_id == original["company"]["tax_id"])).one()
        company.name = "ТОО «Жетысай Полимер Групп»"
        db.session.commit()
    proposal = _reissue(client, resident.admin_headers, resident.serial, reason="Смена наименования").get_json()
    confirmed = _reissue(client, resident.confirmer_headers, resident.serial, proposal=proposal["proposal"]["id"],
                         decision="confirm")
    assert confirmed.status_code == 201
    new = confirmed.get_json()
    assert new["company"]["name"] == "ТОО «Жетысай Полимер Групп»"
    assert _stored(new["benefits"]) == _stored(original["benefits"])
    assert new["valid_until"] == original["valid_until"]


def test_an_amendment_is_evaluated_under_the_rules_in_force(client, app, resident):
    from zone.eligibility.models import EligibilitySnapshot
    from zone.extensions import db

    invented = _reissue(client, resident.proposer_headers, resident.serial, reason="x", basis="amendment",
                        benefits=["KZ_EVERYTHING_FREE"])
    assert invented.status_code == 422
    proposed = _reissue(client, resident.proposer_headers, resident.serial, reason="Изменение проекта",
                        basis="amendment", benefits=["KZ_CIT", "KZ_VAT_INPUTS"])
    assert proposed.status_code == 202, proposed.get_json()
    proposal = proposed.get_json()["proposal"]
    assert proposal["basis"] == "amendment" and proposal["rule_set"] == "2026.1"
    with app.app_context():
        kinds = list(db.session.scalars(sa.select(EligibilitySnapshot.kind).where(
            EligibilitySnapshot.application_id == resident.application_id)))
    assert "amendment" in kinds
    confirmed = _reissue(client, resident.confirmer_headers, resident.serial, proposal=proposal["id"],
                         decision="confirm")
    assert confirmed.status_code == 201, confirmed.get_json()
    new = confirmed.get_json()
    assert [b["code"] for b in new["benefits"]] == ["KZ_CIT", "KZ_VAT_INPUTS"]
    assert _stored(new["benefits"]) == _stored(proposal["benefits"])
    assert all(p["from"] == proposal["on_date"] for b in new["benefits"] for p in b["periods"][:1])


def test_a_declined_proposal_signs_nothing_and_makes_room_for_another(client, app, resident):
    before = _serials(app)
    first = _reissue(client, resident.proposer_headers, resident.serial, reason="Первое").get_json()["proposal"]
    while_pending = _reissue(client, resident.confirmer_headers, resident.serial, reason="Второе")
    assert while_pending.status_code == 409
    assert while_pending.get_json()["error"]["code"] == "reissue_pending"
    declined = _reissue(client, resident.confirmer_headers, resident.serial, proposal=first["id"],
                        decision="decline", reason="Нет оснований")
    assert declined.status_code == 200 and declined.get_json()["proposal"]["status"] == "declined"
    _nothing_signed(app, client, resident, before)
    again = _reissue(client, resident.confirmer_headers, resident.serial, proposal=first["id"], decision="confirm")
    assert again.status_code == 409
    _nothing_signed(app, client, resident, before)
    second = _reissue(client, resident.proposer_headers, resident.serial, reason="Снова")
    assert second.status_code == 202


def test_a_proposal_cannot_be_confirmed_once_the_certificate_changed(client, app, resident):
    before = _serials(app)
    proposal = _reissue(client, resident.proposer_headers, resident.serial, reason="Смена").get_json()["proposal"]
    suspended = client.post(f"/api/v1/certificates/{resident.serial}/suspend", json={"reason": "Проверка"},
                            headers=resident.admin_headers)
    assert suspended.status_code == 200
    confirmed = _reissue(client, resident.confirmer_headers, resident.serial, proposal=proposal["id"],
                         decision="confirm")
    assert confirmed.status_code == 409
    assert _serials(app) == before and not _audit(app, "certificate.reissue")


def test_company_and_reviewer_cannot_propose_or_confirm(client, app, resident, make_user, api_token):
    proposal = _reissue(client, resident.proposer_headers, resident.serial, reason="Смена").get_json()["proposal"]
    reviewer = api_token(make_user("reviewer"))
    for headers in (resident.company, reviewer):
        assert _reissue(client, headers, resident.serial, reason="x").status_code == 403
        assert _reissue(client, headers, resident.serial, proposal=proposal["id"],
                        decision="confirm").status_code == 403
    company_view = _certificate(client, resident.company, resident.serial)
    assert "reissue_proposal" not in company_view  # internal to the zone's staff


# --- the HTML forms ----------------------------------------------------------------------------------------

def _form(client, serial, data):

    return client.post(f"/certificates/{serial}/reissue", data=data)


def test_the_reissue_form_cannot_invent_benefits(client, app, login, resident):
    login(resident.approver)
    page = client.get(f"/certificates/{resident.serial}").get_data(as_text=True)
    assert 'name="benefits-0-code"' in page
    before = _serials(app)
    tampered = _form(client, resident.serial, {
        "reason": "Смена наименования", "basis": "decision",
        "benefits-0-code": "KZ_EVERYTHING_FREE", "benefits-0-granted": "y", "benefits-0-until": "2099-12-31"})
    assert tampered.status_code == 422
    body = tampered.get_data(as_text=True)
    assert "Смена наименования" in body and "KZ_EVERYTHING_FREE" in body
    longer = _form(client, resident.serial, {
        "reason": "Смена наименования", "basis": "decision",
        "benefits-0-code": "KZ_CIT", "benefits-0-granted": "y", "benefits-0-until": "2099-12-31"})
    assert longer.status_code == 422
    _nothing_signed(app, client, resident, before)
    assert _certificate(client, resident.proposer_headers, resident.serial)["reissue_proposal"] is None


def test_the_html_flow_needs_a_second_person(client, app, login, resident):
    login(resident.approver)
    before = _serials(app)
    proposed = _form(client, resident.serial, {"reason": "Смена наименования", "basis": "decision"})
    assert proposed.status_code == 302
    page = client.get(proposed.headers["Location"]).get_data(as_text=True)
    assert "Смена наименования" in page and 'name="decide-proposal"' in page
    _nothing_signed(app, client, resident, before)
    proposal_id = _certificate(client, resident.proposer_headers, resident.serial)["reissue_proposal"]["id"]

    self_confirmed = _form(client, resident.serial, {"decide-proposal": proposal_id, "decide-decision": "confirm"})
    assert self_confirmed.status_code == 403
    _nothing_signed(app, client, resident, before)

    colleague = app.test_client()
    login(resident.other, the_client=colleague)
    confirmed = _form(colleague, resident.serial, {"decide-proposal": proposal_id, "decide-decision": "confirm"})
    assert confirmed.status_code == 302, confirmed.get_data(as_text=True)[:2000]
    serials = _serials(app)
    assert len(serials) == len(before) + 1 and confirmed.headers["Location"].endswith(serials[-1])
    assert certificate(app, resident.serial).status == "superseded"
