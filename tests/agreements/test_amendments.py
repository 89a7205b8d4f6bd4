"""Amendments are supplementary agreements: staff propose, a second person decides, a new zone-signed
revision joins the original, and two staff members amending at once get one winner and one 409."""

from __future__ import annotations

import hashlib
import io
import threading

import pytest

from tests.agreements.helpers import sign_as_company
from tests.certificates.helpers import pdf_text


def agreement(client, admitted, headers=None):
    return client.get(f"/api/v1/agreements/{admitted.number}?lang=en", headers=headers or admitted.reviewer).get_json()


def propose(client, admitted, headers, version, **body):
    payload = {"version": version, "reason": "Строительство перенесено на квартал по заявлению компании.",
               "obligations": [{"id": "construction_start", "due": "2026-07-01"},
                               {"id": "jobs_total", "target": 200}], **body}
    return client.post(f"/api/v1/agreements/{admitted.number}/amendments?lang=en", headers=headers, json=payload)


def decide(client, admitted, headers, number, verb, version, **body):
    return client.post(f"/api/v1/agreements/{admitted.number}/amendments/{number}/{verb}?lang=en", headers=headers,
                       json={"version": version, **body})


def test_proposal_approved_by_a_second_person_makes_a_new_signed_revision(app, client, admitted, zone_pdf):
    original_pdf = zone_pdf(admitted.number, admitted.company)
    before = agreement(client, admitted)
    proposed = propose(client, admitted, admitted.reviewer, before["version"])
    assert proposed.status_code == 201, proposed.get_json()
    body = proposed.get_json()
    (amendment,) = body["amendments"]
    assert amendment["status"] == "proposed" and amendment["number"] == 1
    assert {(c["id"], c["field"], c["to"]) for c in amendment["changes"]} == {
        ("construction_start", "due", "2026-07-01"), ("jobs_total", "target", 200)}
    assert body["obligations"] == before["obligations"]  # nothing changes until it is approved
    assert agreement(client, admitted, admitted.company)["amendments"] == []  # proposals are internal

    approved = decide(client, admitted, admitted.approver, 1, "approve", body["version"])
    assert approved.status_code == 200, approved.get_json()
    after = approved.get_json()
    assert after["revision"] == 2 and after["amendments"][0]["status"] == "approved"
    assert after["amendments"][0]["decided_by"]["id"] == admitted.users["approver"].id
    obligations = {o["id"]: o for o in after["obligations"]}
    assert obligations["construction_start"]["due"] == obligations["construction_start"]["target"] == "2026-07-01"
    assert obligations["jobs_total"]["target"] == 200
    assert [r["revision"] for r in after["revisions"]] == [1, 2]

    first = client.get(f"/api/v1/agreements/{admitted.number}/revisions/1/pdf", headers=admitted.company)
    assert first.data == original_pdf  # the original stays, byte for byte
    current = client.get(f"/api/v1/agreements/{admitted.number}/pdf", headers=admitted.company).data
    assert hashlib.sha256(current).hexdigest() == after["sha256"] == after["revisions"][1]["zone_sha256"]
    text = pdf_text(current)
    assert "Редакция 2" in text and "Строительство перенесено" in text

    from zone.certificates.signing import validate_signature

    assert validate_signature(current, app.config["SIGNING_CA_PATH"]).trusted

    history = client.get(f"/api/v1/agreements/{admitted.number}/history", headers=admitted.auditor).get_json()
    assert [e["action"] for e in history["items"]] == ["create", "propose", "approve"]
    company_view = agreement(client, admitted, admitted.company)
    assert [a["status"] for a in company_view["amendments"]] == ["approved"]
    assert company_view["amendments"][0]["proposed_by"] is None  # staff stay anonymous to the company
    audit = client.get("/api/v1/audit/events?action=agreement.amendment.approve", headers=admitted.auditor)
    assert [e["details"]["revision"] for e in audit.get_json()["items"]] == [2]


def test_the_proposer_cannot_approve_and_a_reviewer_cannot_decide(client, admitted):
    version = agreement(client, admitted)["version"]
    assert propose(client, admitted, admitted.approver, version).status_code == 201
    version += 1
    own = decide(client, admitted, admitted.approver, 1, "approve", version)
    assert own.status_code == 403 and own.get_json()["error"]["code"] == "four_eyes"
    assert decide(client, admitted, admitted.reviewer, 1, "approve", version).status_code == 403
    assert propose(client, admitted, admitted.auditor, version).status_code == 403
    rejected = decide(client, admitted, admitted.admin, 1, "reject", version, reason="Нет подтверждающих документов.")
    assert rejected.status_code == 200
    body = rejected.get_json()
    assert body["amendments"][0]["status"] == "rejected" and body["revision"] == 1
    again = decide(client, admitted, admitted.admin, 1, "approve", body["version"])
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "decided"


def test_invalid_proposals_name_each_field(client, admitted):
    version = agreement(client, admitted)["version"]
    response = propose(client, admitted, admitted.reviewer, version, reason=" ",
                       obligations=[{"id": "jobs_total", "target": "many"}])
    assert response.status_code == 422 and "reason" in response.get_json()["error"]["fields"]
    response = propose(client, admitted, admitted.reviewer, version,
                       obligations=[{"id": "jobs_total", "target": "many"}, {"id": "nope", "due": "2027-01-01"},
                                    {"id": "production_start", "due": "2027-02-30"}])
    fields = response.get_json()["error"]["fields"]
    assert response.status_code == 422 and set(fields) == {"obligations.0.target", "obligations.1.id",
                                                           "obligations.2.due"}
    unchanged = propose(client, admitted, admitted.reviewer, version, obligations=[{"id": "jobs_total", "target": 180}])
    assert unchanged.status_code == 422 and "obligations" in unchanged.get_json()["error"]["fields"]


def test_concurrent_amendments_one_wins_the_other_is_told_who(client, admitted):
    version = agreement(client, admitted)["version"]
    first = propose(client, admitted, admitted.reviewer, version)
    second = propose(client, admitted, admitted.admin, version, reason="Другая причина.")
    assert first.status_code == 201 and second.status_code == 409
    error = second.get_json()["error"]
    assert error["code"] == "stale_version"
    assert admitted.users["reviewer"].display_name in error["message"]


def test_a_supplementary_agreement_is_countersigned_too(client, admitted, demo_identity, zone_pdf):
    signed = sign_as_company(zone_pdf(admitted.number, admitted.company), demo_identity(admitted.tax_id))
    files = {"file": (io.BytesIO(signed), "signed.pdf")}
    assert client.post(f"/api/v1/agreements/{admitted.number}/countersign", headers=admitted.company, data=files,
                       content_type="multipart/form-data").status_code == 200
    version = agreement(client, admitted)["version"]
    assert propose(client, admitted, admitted.reviewer, version).status_code == 201
    assert decide(client, admitted, admitted.approver, 1, "approve", version + 1).status_code == 200
    revised = zone_pdf(admitted.number, admitted.company)
    signed_again = sign_as_company(revised, demo_identity(admitted.tax_id))
    response = client.post(f"/api/v1/agreements/{admitted.number}/countersign", headers=admitted.company,
                           data={"file": (io.BytesIO(signed_again), "signed.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "concluded"
    assert [bool(r["company_signed_at"]) for r in body["revisions"]] == [True, True]


def _race(app, calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, path, headers, body):
        client = app.test_client()
        with app.app_context():
            barrier.wait(timeout=30)
            response = client.post(path, headers=headers, json=body)
            results[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.postgres_only
def test_two_staff_members_amending_at_the_same_moment(app, client, admitted):
    version = agreement(client, admitted)["version"]
    path = f"/api/v1/agreements/{admitted.number}/amendments?lang=en"
    body = {"version": version, "reason": "Перенос сроков.", "obligations": [{"id": "jobs_total", "target": 150}]}
    results = _race(app, [(path, admitted.reviewer, body), (path, admitted.admin, body)])
    assert sorted(code for code, _ in results) == [201, 409], results
    loser = next(payload for code, payload in results if code == 409)
    winner = next(i for i, (code, _) in enumerate(results) if code == 201)
    assert loser["error"]["code"] == "stale_version"
    assert admitted.users[("reviewer", "admin")[winner]].display_name in loser["error"]["message"]
    assert len(agreement(client, admitted)["amendments"]) == 1
