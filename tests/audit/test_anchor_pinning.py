"""Anchors are trusted only when signed by the zone's pinned signing certificate(s): another certificate
from the same CA (any other signing key the CA ever issued) cannot vouch for a rewritten history."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from tests.certificates.tsa import create_timestamp_identity
from zone.audit.anchors import make_anchor, verify_anchor


@pytest.fixture(scope="module")
def identity(tmp_path_factory):
    """The zone's signing certificate and a second one issued by the same CA."""
    return create_timestamp_identity(tmp_path_factory.mktemp("tsa_anchor_pins"))


@pytest.fixture
def app_overrides(identity):
    return {"SIGNING_P12_PATH": identity.signer_p12, "SIGNING_CA_PATH": identity.ca_pem}


def _certificate(p12_path):
    return pkcs12.load_key_and_certificates(p12_path.read_bytes(), None)[1]


def _anchor_signed_with(app, p12_path) -> dict:
    own = app.config["SIGNING_P12_PATH"]
    app.config["SIGNING_P12_PATH"] = p12_path
    try:
        return make_anchor()
    finally:
        app.config["SIGNING_P12_PATH"] = own


def test_the_zones_own_anchor_is_trusted(fill_chain):
    fill_chain(3)
    check = verify_anchor(make_anchor())
    assert check.ok and check.signer_trusted


def test_an_anchor_signed_by_another_certificate_of_the_same_ca_is_refused(app, fill_chain, identity):
    fill_chain(3)
    check = verify_anchor(_anchor_signed_with(app, identity.second_signer_p12))
    assert check.signature_valid and check.matches
    assert not check.signer_trusted and not check.ok and check.problem == "untrusted_signer"


def test_pinned_fingerprints_replace_the_default(app, fill_chain, identity):
    fill_chain(3)
    second = _certificate(identity.second_signer_p12).public_bytes(serialization.Encoding.DER)
    fingerprint = hashlib.sha256(second).hexdigest().upper()
    app.config["AUDIT_ANCHOR_PINNED_CERTS"] = [":".join(fingerprint[i:i + 2] for i in range(0, 64, 2))]
    assert verify_anchor(_anchor_signed_with(app, identity.second_signer_p12)).ok
    assert verify_anchor(make_anchor()).problem == "untrusted_signer"


def test_a_pinned_certificate_file_keeps_anchors_of_a_rotated_key_trusted(app, fill_chain, identity, tmp_path):
    fill_chain(3)
    old, current = tmp_path / "tsa_old_signer.pem", tmp_path / "tsa_current_signer.der"
    old.write_bytes(_certificate(identity.second_signer_p12).public_bytes(serialization.Encoding.PEM))
    current.write_bytes(_certificate(identity.signer_p12).public_bytes(serialization.Encoding.DER))
    app.config["AUDIT_ANCHOR_PINNED_CERTS"] = [str(old), str(current)]
    assert verify_anchor(_anchor_signed_with(app, identity.second_signer_p12)).ok
    assert verify_anchor(make_anchor()).ok


def test_a_pin_that_is_neither_a_file_nor_a_fingerprint_trusts_nothing(app, fill_chain, tmp_path):
    fill_chain(3)
    app.config["AUDIT_ANCHOR_PINNED_CERTS"] = [str(tmp_path / "missing.pem"), "not-a-fingerprint"]
    assert verify_anchor(make_anchor()).problem == "untrusted_signer"
