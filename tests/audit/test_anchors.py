"""Signed anchors: the head signed with the zone's key, kept outside, later proves the history was not
rewritten, even when every hash after the change was recomputed. Forged anchors are refused."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from zone.audit.anchors import canonical_payload, make_anchor, verify_anchor
from zone.audit.models import AuditEvent
from zone.audit.services import chain_hash, verify_chain
from zone.certificates.signing import DEV_PASSPHRASE
from zone.extensions import db


@pytest.fixture
def app_overrides():
    return {"SIGNING_P12_PASSPHRASE": DEV_PASSPHRASE}


def _rewrite_consistently(tamper, from_seq: int) -> None:
    """Change entry ``from_seq`` and re-hash it and everything after, head included: the chain itself
    then verifies, only an anchor can tell."""
    db.session.expire_all()
    entries = db.session.scalars(select(AuditEvent).where(AuditEvent.seq >= from_seq).order_by(AuditEvent.seq)).all()
    prev = db.session.get(AuditEvent, from_seq - 1).hash if from_seq > 1 else ""
    statements, params = [], {}
    for entry in entries:
        fields = {c: getattr(entry, c) for c in ("seq", "at", "actor_id", "actor", "ip", "action", "object_type",
                                                  "object_id", "details")}
        if entry.seq == from_seq:
            fields["actor"] = "someone else"
        new_hash = chain_hash(prev, SimpleNamespace(**fields))
        statements.append(f"UPDATE audit_events SET actor = :a{entry.seq}, prev_hash = :p{entry.seq}, "
                          f"hash = :h{entry.seq} WHERE seq = {entry.seq}")
        params.update({f"a{entry.seq}": fields["actor"], f"p{entry.seq}": prev, f"h{entry.seq}": new_hash})
        prev = new_hash
    statements.append("UPDATE audit_head SET hash = :head WHERE id = 1")
    tamper(*statements, head=prev, **params)


def test_anchor_round_trip_through_the_cli(runner, fill_chain, tmp_path):
    fill_chain(5)
    result = runner.invoke(args=["audit", "anchor", "--output", str(tmp_path / "anchor.json")])
    assert result.exit_code == 0, result.output
    anchor = json.loads((tmp_path / "anchor.json").read_text())
    assert anchor["seq"] == 5 and anchor["type"] == "zone-audit-anchor"
    assert anchor["hash"] == db.session.get(AuditEvent, 5).hash
    assert anchor["certificate"].startswith("-----BEGIN CERTIFICATE-----")
    # taking the anchor is itself recorded, after the anchored head
    assert db.session.get(AuditEvent, 6).action == "audit.anchor"

    result = runner.invoke(args=["audit", "verify", "--anchor", str(tmp_path / "anchor.json")])
    assert result.exit_code == 0, result.output
    assert "chain intact" in result.output and "anchor OK: seq 5" in result.output


def test_anchor_printed_to_stdout_is_valid_json(runner, fill_chain):
    fill_chain(2)
    result = runner.invoke(args=["audit", "anchor"])
    assert result.exit_code == 0, result.output
    anchor = json.loads(result.stdout)  # what was done is said on stderr
    assert verify_anchor(anchor).ok


def test_a_consistently_rewritten_history_passes_the_chain_but_not_the_anchor(runner, fill_chain, tamper, tmp_path):
    fill_chain(6)
    anchor = make_anchor()
    (tmp_path / "anchor.json").write_text(json.dumps(anchor))
    fill_chain(2)
    _rewrite_consistently(tamper, 3)
    assert verify_chain().ok  # the chain alone cannot see it
    check = verify_anchor(anchor)
    assert (check.signature_valid, check.signer_trusted, check.matches, check.problem) == (
        True, True, False, "hash_mismatch")
    result = runner.invoke(args=["audit", "verify", "--anchor", str(tmp_path / "anchor.json")])
    assert result.exit_code == 1
    assert "anchor FAILED: seq 6 no longer has the signed hash" in result.output


def test_a_truncated_history_loses_the_anchored_entry(fill_chain, tamper):
    fill_chain(4)
    anchor = make_anchor()
    tamper("DELETE FROM audit_events WHERE seq >= 3", "UPDATE audit_head SET seq = 2, hash = :h WHERE id = 1",
           h=db.session.get(AuditEvent, 2).hash)
    assert verify_chain().ok
    assert verify_anchor(anchor).problem == "missing_entry"


def test_an_anchor_with_an_edited_hash_is_refused(fill_chain):
    fill_chain(3)
    anchor = make_anchor()
    forged = dict(anchor, hash=db.session.get(AuditEvent, 2).hash, seq=2)
    check = verify_anchor(forged)
    assert not check.ok and check.problem == "bad_signature" and not check.signature_valid


def _self_signed_anchor(anchor: dict) -> dict:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ICIC Certificate Signing (development)")])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
                   .not_valid_after(now + timedelta(days=30)).sign(key, hashes.SHA256()))
    forged = dict(anchor)
    forged["signature"] = base64.b64encode(
        key.sign(canonical_payload(forged), padding.PKCS1v15(), hashes.SHA256())).decode()
    forged["certificate"] = certificate.public_bytes(serialization.Encoding.PEM).decode()
    return forged


def test_an_anchor_signed_by_another_key_is_refused(fill_chain):
    fill_chain(3)
    forged = _self_signed_anchor(make_anchor())
    check = verify_anchor(forged)
    assert check.signature_valid and not check.signer_trusted
    assert not check.ok and check.problem == "untrusted_signer"


@pytest.mark.parametrize("raw", [b"not json", b"[]", b'{"type": "something-else"}',
                                 json.dumps({"type": "zone-audit-anchor", "seq": "1"}).encode()])
def test_garbage_is_not_an_anchor(ctx, raw):
    check = verify_anchor(raw)
    assert not check.ok and check.problem == "bad_anchor"


def test_anchor_without_a_signing_key_explains_what_to_do(runner, fill_chain, app, tmp_path):
    fill_chain(1)
    app.config["SIGNING_P12_PATH"] = tmp_path / "absent.p12"
    result = runner.invoke(args=["audit", "anchor"])
    assert result.exit_code != 0
    assert "No signing key at" in result.output and "SIGNING_P12_PATH" in result.output
    assert "make run" in result.output and "create_dev_signing_identity" in result.output


def test_anchor_with_a_wrong_passphrase_explains_it(runner, fill_chain, app):
    fill_chain(1)
    app.config["SIGNING_P12_PASSPHRASE"] = "wrong"
    result = runner.invoke(args=["audit", "anchor"])
    assert result.exit_code != 0 and "SIGNING_P12_PASSPHRASE" in result.output


# --- the API and the page take anchors too ----------------------------------------------------------

def test_api_anchor_and_verify_with_it(client, make_user, api_token, fill_chain):
    fill_chain(3)
    headers = api_token(make_user("auditor"))
    response = client.get("/api/v1/audit/anchor", headers=headers)
    assert response.status_code == 200
    anchor = response.get_json()
    response = client.post("/api/v1/audit/verify", json=anchor, headers=headers)
    body = response.get_json()
    assert response.status_code == 200 and body["ok"] is True and body["anchor"]["ok"] is True
    assert body["anchor"]["seq"] == anchor["seq"]

    forged = dict(anchor, hash="0" * 64)
    body = client.post("/api/v1/audit/verify", json={"anchor": forged}, headers=headers).get_json()
    assert body["ok"] is False and body["anchor"]["problem"] == "bad_signature"
    assert body["first_bad_seq"] is None  # the chain itself is fine; the anchor is what is wrong


def test_api_anchor_without_a_key_is_503(client, make_user, api_token, app, tmp_path):
    headers = api_token(make_user("auditor"))
    app.config["SIGNING_P12_PATH"] = tmp_path / "absent.p12"
    response = client.get("/api/v1/audit/anchor", headers=headers)
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "signing_unavailable"


def test_page_downloads_an_anchor_and_accepts_it_back(client, login_as, fill_chain):
    fill_chain(3)
    login_as("auditor")
    response = client.get("/audit/anchor.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    anchor = response.get_data()
    from io import BytesIO

    response = client.post("/audit/verify", data={"anchor": (BytesIO(anchor), "anchor.json")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "flash-success" in page and "bad_signature" not in page
    forged = json.loads(anchor)
    forged["seq"] = 1
    response = client.post("/audit/verify", data={"anchor": (BytesIO(json.dumps(forged).encode()), "a.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and "flash-error" in response.get_data(as_text=True)
    checks = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.verify")
                                .order_by(AuditEvent.seq)).all()
    assert [c.details["anchor"]["ok"] for c in checks] == [True, False]
