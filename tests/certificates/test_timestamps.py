"""Signatures that outlive their certificate: a timestamp from the configured TSA on every signature."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.certificates.factories import approved_application, certificate, issue
from tests.certificates.tsa import LocalTimestampAuthority, create_timestamp_identity


@pytest.fixture
def app_overrides(timestamp_identity, local_tsa):
    return {"SIGNING_P12_PATH": timestamp_identity.signer_p12, "SIGNING_CA_PATH": timestamp_identity.ca_pem,
            "SIGNING_TSA_URL": local_tsa.url, "SIGNING_TSA_TIMEOUT": 5}


@pytest.fixture
def applicant(make_company, make_user):
    company = make_company()
    return company, make_user("applicant", company=company)


def _authority(url, identity):
    from zone.certificates.signing import TimestampAuthority

    return TimestampAuthority(url=url, timeout=5, trust_roots=(str(identity.ca_pem),))


def _sign(pdf: bytes, identity, url: str) -> bytes:
    from zone.certificates.signing import sign_pdf

    return sign_pdf(pdf, identity.signer_p12, "", timestamp=_authority(url, identity))


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"


def test_a_timestamped_signature_validates_with_its_time(kz_pdf, timestamp_identity, local_tsa):
    from zone.certificates.signing import validate_signature

    before = datetime.now(UTC)
    signed = _sign(kz_pdf, timestamp_identity, local_tsa.url)
    after = datetime.now(UTC)
    check = validate_signature(signed, timestamp_identity.ca_pem)
    assert check.ok and check.timestamp_valid
    assert before.replace(microsecond=0) <= check.timestamped_at <= after
    assert local_tsa.requests >= 1
    # B-LT in the signed revision itself: the certificates are in the DSS and nothing follows the signature.
    assert b"/DSS" in signed[len(kz_pdf):] and check.covers_whole_file


def test_a_timestamp_from_an_untrusted_tsa_does_not_validate(kz_pdf, timestamp_identity, local_tsa, dev_identity):
    from zone.certificates.signing import validate_signature

    signed = _sign(kz_pdf, timestamp_identity, local_tsa.url)
    check = validate_signature(signed, dev_identity.ca_pem)
    assert check.timestamped_at is not None and not check.timestamp_valid and not check.ok


def test_a_tsa_under_its_own_ca_is_trusted_through_that_ca(kz_pdf, timestamp_identity, tmp_path):
    from zone.certificates.signing import TimestampAuthority, sign_pdf, validate_signature

    national = create_timestamp_identity(tmp_path / "tsa_national", ca_name="Test National Root CA")
    with LocalTimestampAuthority(national) as authority:
        signed = sign_pdf(kz_pdf, timestamp_identity.signer_p12, "", timestamp=TimestampAuthority(
            url=authority.url, timeout=5, trust_roots=(str(timestamp_identity.ca_pem), str(national.ca_pem))))
    check = validate_signature(signed, timestamp_identity.ca_pem, timestamp_ca_pem_path=national.ca_pem)
    assert check.ok and check.timestamp_valid
    # Without the TSA's CA the zone's signature still checks out; only the timestamp is not vouched for.
    alone = validate_signature(signed, timestamp_identity.ca_pem)
    assert alone.ok and alone.timestamped_at == check.timestamped_at and not alone.timestamp_valid


def test_one_changed_byte_still_fails(kz_pdf, timestamp_identity, local_tsa):
    from zone.certificates.signing import validate_signature

    signed = bytearray(_sign(kz_pdf, timestamp_identity, local_tsa.url))
    signed[len(signed) // 3] = (signed[len(signed) // 3] + 1) % 256
    assert not validate_signature(bytes(signed), timestamp_identity.ca_pem).ok


def test_a_failing_or_unreachable_tsa_is_a_signing_error(kz_pdf, timestamp_identity, local_tsa):
    from zone.certificates.signing import SigningError

    local_tsa.status = 500
    with pytest.raises(SigningError):
        _sign(kz_pdf, timestamp_identity, local_tsa.url)
    with pytest.raises(SigningError):
        _sign(kz_pdf, timestamp_identity, _closed_port_url())


def test_an_issued_certificate_carries_a_valid_timestamp(app, applicant, local_tsa):
    from zone.certificates.signing import validate_signature

    company, user = applicant
    before = datetime.now(UTC)
    cert = certificate(app, issue(app, approved_application(app, company, user)))
    check = validate_signature(cert.pdf, app.config["SIGNING_CA_PATH"])
    assert check.ok and check.timestamp_valid
    assert before.replace(microsecond=0) <= check.timestamped_at <= datetime.now(UTC)
    assert "Test Certificate Signing 1" in check.signer


@pytest.mark.parametrize("failure", ["answers 500", "unreachable"])
def test_when_the_tsa_fails_no_certificate_is_issued(app, applicant, local_tsa, failure):
    from zone.certificates.document import SigningUnavailable
    from zone.certificates.models import Certificate, SerialCounter
    from zone.extensions import db

    company, user = applicant
    if failure == "answers 500":
        local_tsa.status = 500
    else:
        app.config["SIGNING_TSA_URL"] = _closed_port_url()
    with pytest.raises(SigningUnavailable) as error:
        issue(app, approved_application(app, company, user))
    assert error.value.status == 503
    with app.app_context():
        assert db.session.scalars(sa.select(Certificate)).all() == []
        assert db.session.scalars(sa.select(SerialCounter)).all() == []  # the number was given back


def test_without_a_tsa_the_signature_has_no_timestamp(app, applicant, local_tsa):
    from zone.certificates.signing import validate_signature

    app.config["SIGNING_TSA_URL"] = ""
    company, user = applicant
    cert = certificate(app, issue(app, approved_application(app, company, user)))
    check = validate_signature(cert.pdf, app.config["SIGNING_CA_PATH"])
    assert check.ok and check.timestamped_at is None and not check.timestamp_valid
    assert local_tsa.requests == 0 and b"/DSS" not in cert.pdf


def test_the_limited_check_of_an_upload_reads_the_timestamp_as_in_process(kz_pdf, timestamp_identity, local_tsa):
    from zone.certificates.signing import validate_signature
    from zone.pdfcheck import Limits, check_signature

    signed = _sign(kz_pdf, timestamp_identity, local_tsa.url)
    check = check_signature(signed, timestamp_identity.ca_pem, limits=Limits())
    assert check.ok and check.timestamp_valid and check == validate_signature(signed, timestamp_identity.ca_pem)
