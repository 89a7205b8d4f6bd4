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


def test_a_revocation_terminates_the_agreement_and_tells_the_receiver(client, admitted, receiver, subscribe, deliver,
                                                                      login_as, make_user):
    subscribe(receiver, events=["certificate.revoked", "agreement.terminated"], side="KZ")
    serial = admitted.seed.serials[0]
    revoked = client.post(f"/api/v1/certificates/{serial}/revoke", headers=admitted.admin,
                          json={"reason": "Ложные сведения в заявке"})
    assert revoked.status_code == 200, revoked.get_json()

    agreement = client.get(f"/api/v1/agreements/{admitted.number}", headers=admitted.auditor).get_json()
    assert agreement["status"] == "terminated"
    history = client.get(f"/api/v1/agreements/{admitted.number}/history", headers=admitted.auditor).get_json()
    terminated = [e for e in history["items"] if e["action"] == "terminate"]
    assert len(terminated) == 1 and terminated[0]["details"]["certificate"] == serial
    assert terminated[0]["comment"] == "Ложные сведения в заявке"

    items = client.get("/api/v1/events", headers=admitted.auditor).get_json()["items"]
    assert [e["type"] for e in items] == ["certificate.issued", "certificate.revoked", "agreement.terminated"]
    data = items[2]["data"]
    assert data["serial"] == serial and data["side"] == "KZ" and data["status"] == "revoked"
    assert data["company"]["tax_id"] == admitted.tax_id and data["company"]["name"]
    assert data["agreement"]["number"] == admitted.number and data["agreement"]["status"] == "terminated"
    assert data["agreement"]["date"] == agreement["decided_on"]
    assert data["reason"] == "Ложные сведения в заявке"
    assert data["effective_from"] == items[1]["data"]["effective_from"]

    # The authority without an API gets it as a signed letter too.
    login_as(make_user("reviewer"))
    letter = client.get("/notices/letters/3.pdf")
    assert letter.status_code == 200 and letter.data.startswith(b"%PDF")

    deliver()
    assert [r["payload"]["type"] for r in receiver.received] == ["certificate.revoked", "agreement.terminated"]
    assert receiver.received[1]["id"] == items[2]["id"]
    assert receiver.received[1]["payload"]["data"]["agreement"]["number"] == admitted.number


def test_the_termination_is_audited_and_a_suspension_keeps_the_agreement(client, app, admitted):
    from sqlalchemy import select

    from zone.audit.models import AuditEvent
    from zone.extensions import db

    serial = admitted.seed.serials[0]
    suspended = client.post(f"/api/v1/certificates/{serial}/suspend", headers=admitted.admin,
                            json={"reason": "Отчёт не сдан"})
    assert suspended.status_code == 200, suspended.get_json()
    agreement = client.get(f"/api/v1/agreements/{admitted.number}", headers=admitted.auditor).get_json()
    assert agreement["status"] == "awaiting_company_signature"
    revoked = client.post(f"/api/v1/certificates/{serial}/revoke", headers=admitted.admin,
                          json={"reason": "Нарушение не устранено"})
    assert revoked.status_code == 200, revoked.get_json()
    with app.app_context():
        entries = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "agreement.terminate")).all()
        assert len(entries) == 1 and entries[0].details["number"] == admitted.number
        assert entries[0].details["reason"] == "Нарушение не устранено"
    types = [e["type"] for e in client.get("/api/v1/events", headers=admitted.auditor).get_json()["items"]]
    assert types.count("agreement.terminated") == 1 and types[-2:] == ["certificate.revoked", "agreement.terminated"]


def test_a_revocation_decided_by_a_second_person_terminates_the_agreement(client, app, admitted, make_user,
                                                                          api_token):
    from sqlalchemy import select

    from zone.accounts.models import User
    from zone.certificates import sanctions
    from zone.certificates.models import Certificate
    from zone.extensions import db

    serial = admitted.seed.serials[0]
    proposer = make_user("admin")
    with app.test_request_context(method="POST"):
        certificate = db.session.scalar(select(Certificate).where(Certificate.serial == serial))
        sanctions.propose(certificate, "revoke", db.session.get(User, proposer.id), reason="Нарушение не устранено",
                          source="test")
        db.session.commit()
    own = client.post(f"/api/v1/certificates/{serial}/revoke", headers=api_token(proposer),
                      json={"reason": "Нарушение не устранено"})
    assert own.status_code == 403 and own.get_json()["error"]["code"] == "four_eyes"
    agreement = client.get(f"/api/v1/agreements/{admitted.number}", headers=admitted.auditor).get_json()
    assert agreement["status"] == "awaiting_company_signature"
    assert "agreement.terminated" not in [e["type"] for e in client.get(
        "/api/v1/events", headers=admitted.auditor).get_json()["items"]]

    decided = client.post(f"/api/v1/certificates/{serial}/revoke", headers=admitted.approver,
                          json={"reason": "Нарушение не устранено"})
    assert decided.status_code == 200, decided.get_json()
    agreement = client.get(f"/api/v1/agreements/{admitted.number}", headers=admitted.auditor).get_json()
    assert agreement["status"] == "terminated"
    items = client.get("/api/v1/events", headers=admitted.auditor).get_json()["items"]
    assert [e["type"] for e in items][-2:] == ["certificate.revoked", "agreement.terminated"]
    # The company sees the end of its agreement in its history, and can no longer sign it.
    history = client.get(f"/api/v1/agreements/{admitted.number}/history", headers=admitted.company).get_json()
    assert history["items"][-1]["action"] == "terminate"


def test_revoking_a_reissued_certificate_terminates_the_same_agreement(client, admitted, make_user, api_token):
    serial, other = admitted.seed.serials[0], api_token(make_user("approver"))
    proposal = client.post(f"/api/v1/certificates/{serial}/reissue", headers=admitted.approver,
                           json={"reason": "Смена наименования"}).get_json()["proposal"]
    replacement = client.post(f"/api/v1/certificates/{serial}/reissue", headers=other,
                              json={"proposal": proposal["id"], "decision": "confirm"})
    assert replacement.status_code == 201, replacement.get_json()
    new_serial = replacement.get_json()["serial"]
    revoked = client.post(f"/api/v1/certificates/{new_serial}/revoke", headers=admitted.admin,
                          json={"reason": "Ликвидация участника"})
    assert revoked.status_code == 200, revoked.get_json()
    agreement = client.get(f"/api/v1/agreements/{admitted.number}", headers=admitted.auditor).get_json()
    assert agreement["status"] == "terminated"
    (terminated,) = client.get("/api/v1/events?type=agreement.terminated", headers=admitted.auditor).get_json()["items"]
    assert terminated["data"]["serial"] == new_serial and terminated["data"]["agreement"]["number"] == admitted.number
