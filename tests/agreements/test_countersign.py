"""The company countersigns the zone-signed PDF with its own certificate; every other upload is refused
with its own message, in the user's language."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from pyhanko.pdf_utils import generic

from tests.agreements.helpers import other_ca_identity, sign_as_company

MESSAGES = {
    "not_over_zone_revision": "The file is not the zone-signed document with your signature added to it.",
    "signature_broken": "The signature does not match the file: the file was changed after it was signed.",
    "content_changed": "The signed file changes the document's content, not only adds a signature.",
    "not_valid_at_signing": "The signing certificate was not valid at the time of signing",
    "untrusted_chain": "The signing certificate does not lead to a trusted company-signing certification authority.",
    "tax_id_mismatch": "The signing certificate does not carry your company's tax id",
}


def upload(client, admitted, data: bytes, headers=None):
    return client.post(f"/api/v1/agreements/{admitted.number}/countersign?lang=en", headers=headers or admitted.company,
                       data={"file": (io.BytesIO(data), "signed.pdf", "application/pdf")},
                       content_type="multipart/form-data")


def refused(response, reason: str) -> None:
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == reason
    (message,) = error["fields"]["file"]
    assert message.startswith(MESSAGES[reason]), message
    assert all(message != other or name == reason for name, other in MESSAGES.items())


def test_countersigned_with_the_demo_signer_the_agreement_is_concluded(client, admitted, demo_identity, zone_pdf):
    original = zone_pdf(admitted.number, admitted.company)
    signed = sign_as_company(original, demo_identity(admitted.tax_id))
    response = upload(client, admitted, signed)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "concluded" and body["company_signed_at"]
    assert body["sha256"] == hashlib.sha256(signed).hexdigest()
    (revision,) = body["revisions"]
    assert revision["zone_sha256"] == hashlib.sha256(original).hexdigest()
    assert revision["concluded_sha256"] == body["sha256"] and "BIN" + admitted.tax_id in revision["company_signer"]

    current = client.get(f"/api/v1/agreements/{admitted.number}/pdf", headers=admitted.company)
    assert current.data == signed and current.headers["ETag"] == f'"{body["sha256"]}"'
    assert client.get(f"/api/v1/agreements/{admitted.number}/pdf", headers={
        **admitted.company, "If-None-Match": current.headers["ETag"]}).status_code == 304
    first = client.get(f"/api/v1/agreements/{admitted.number}/revisions/1/pdf?stage=zone", headers=admitted.auditor)
    assert first.data == original

    again = upload(client, admitted, signed)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_countersigned"
    events = client.get("/api/v1/audit/events?action=agreement.countersign", headers=admitted.auditor).get_json()
    assert [e["details"]["sha256"] for e in events["items"]] == [body["sha256"]]


@pytest.mark.parametrize("tax_id", ["180240012342", "305123456"])
def test_demo_identities_use_the_national_subject_layouts(demo_identity, tax_id):
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    from zone.esign.identities import UZ_ORGANISATION_INN, subject_ids

    certificate = pkcs12.load_key_and_certificates(demo_identity(tax_id), None)[1]
    ids = subject_ids(certificate)
    assert ids.company == {tax_id} and ids.carries(tax_id) and not ids.carries(tax_id[:-1] + "0")
    if len(tax_id) == 12:  # NCA RK: OU=BIN..., SERIALNUMBER=IIN...
        assert certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == f"BIN{tax_id}"
        assert certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value.startswith("IIN")
    else:  # E-IMZO: 1.2.860.3.16.1.1 = STIR, PINFL in UID and 1.2.860.3.16.1.2
        assert certificate.subject.get_attributes_for_oid(UZ_ORGANISATION_INN)[0].value == tax_id
        assert len(next(iter(ids.person))) == 14


def test_a_tampered_upload_is_refused(client, admitted, demo_identity, zone_pdf):
    original = zone_pdf(admitted.number, admitted.company)
    signed = bytearray(sign_as_company(original, demo_identity(admitted.tax_id)))
    signed[len(original) + 40] ^= 0x01  # inside the company's signed revision
    refused(upload(client, admitted, bytes(signed)), "signature_broken")

    prefix = bytearray(sign_as_company(original, demo_identity(admitted.tax_id)))
    prefix[400] ^= 0x01  # inside the zone's revision
    refused(upload(client, admitted, bytes(prefix)), "not_over_zone_revision")


def test_the_zone_pdf_alone_or_garbage_is_not_a_countersignature(client, admitted, zone_pdf):
    original = zone_pdf(admitted.number, admitted.company)
    refused(upload(client, admitted, original), "not_over_zone_revision")
    refused(upload(client, admitted, original + b"\n%% nothing signed\n"), "not_over_zone_revision")
    refused(upload(client, admitted, b"%PDF-1.7 not really"), "not_over_zone_revision")


def test_another_companys_certificate_is_refused(client, admitted, demo_identity, zone_pdf, valid_bin):
    other = valid_bin()
    signed = sign_as_company(zone_pdf(admitted.number, admitted.company), demo_identity(other))
    response = upload(client, admitted, signed)
    refused(response, "tax_id_mismatch")
    assert admitted.tax_id in response.get_json()["error"]["fields"]["file"][0]


def test_a_certificate_from_an_untrusted_ca_is_refused(client, admitted, zone_pdf):
    signed = sign_as_company(zone_pdf(admitted.number, admitted.company), other_ca_identity(admitted.tax_id))
    refused(upload(client, admitted, signed), "untrusted_chain")


def test_a_signature_that_changes_the_content_is_refused(client, admitted, demo_identity, zone_pdf):
    def add_text(writer):
        stream = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 72 Td (10 jobs) Tj ET"))
        writer.add_stream_to_page(0, stream)

    signed = sign_as_company(zone_pdf(admitted.number, admitted.company), demo_identity(admitted.tax_id),
                             prepare=add_text)
    refused(upload(client, admitted, signed), "content_changed")


def test_a_certificate_expired_at_signing_time_is_refused(client, admitted, demo_identity, zone_pdf):
    expired = demo_identity(admitted.tax_id, not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=30),
                            valid_days=10)
    signed = sign_as_company(zone_pdf(admitted.number, admitted.company), expired)
    refused(upload(client, admitted, signed), "not_valid_at_signing")


def test_refusals_are_in_the_users_language(client, admitted, demo_identity, zone_pdf, valid_bin):
    signed = sign_as_company(zone_pdf(admitted.number, admitted.company), demo_identity(valid_bin()))
    response = client.post(f"/api/v1/agreements/{admitted.number}/countersign?lang=ru", headers=admitted.company,
                           data={"file": (io.BytesIO(signed), "signed.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["file"][0].startswith(
        "В сертификате подписи нет налогового номера вашей компании")


def test_only_the_company_countersigns(client, admitted, demo_identity, zone_pdf, make_user, api_token):
    signed = sign_as_company(zone_pdf(admitted.number, admitted.company), demo_identity(admitted.tax_id))
    assert upload(client, admitted, signed, headers=admitted.approver).status_code == 403
    stranger = api_token(make_user("applicant"))
    assert upload(client, admitted, signed, headers=stranger).status_code == 404
    assert client.get(f"/api/v1/agreements/{admitted.number}", headers=stranger).status_code == 404


@pytest.mark.parametrize("app_overrides", [{"AGREEMENT_UPLOAD_MAX_BYTES": 50_000}])
def test_an_oversized_upload_is_refused(client, admitted, app_overrides):
    response = upload(client, admitted, b"%PDF-1.7\n" + b"0" * 60_000)
    assert response.status_code == 413 and "file" in response.get_json()["error"]["fields"]


def _overload(data, **_):
    """Stands in for a file built to overload the parser: asks for far more memory than any PDF needs."""
    return bytearray(64 * 1024**3)


def test_an_upload_that_overloads_the_parser_is_refused_within_the_limits(client, admitted, zone_pdf, monkeypatch):
    from zone import pdfcheck
    from zone.esign import countersignature

    stopped = []
    real = pdfcheck.run_limited

    def watched(function, *args, **kwargs):
        try:
            return real(function, *args, **kwargs)
        except pdfcheck.LimitExceeded as error:
            stopped.append(error.limit)
            raise

    monkeypatch.setattr(countersignature, "_check", _overload)
    monkeypatch.setattr(pdfcheck, "run_limited", watched)
    original = zone_pdf(admitted.number, admitted.company)
    refused(upload(client, admitted, original + b"\n% an incremental update\n"), "not_over_zone_revision")
    assert stopped == [pdfcheck.MEMORY]


def test_the_countersignature_also_proves_the_companys_tax_id(app, client, admitted, demo_identity, zone_pdf):
    """The qualified signature on the agreement is the company's proof of its claim on the tax id."""
    import sqlalchemy as sa

    from zone.audit.models import AuditEvent
    from zone.companies.models import ClaimProof, Company
    from zone.companies.proofs import proof_of
    from zone.extensions import db

    signed = sign_as_company(zone_pdf(admitted.number, admitted.company), demo_identity(admitted.tax_id))
    assert upload(client, admitted, signed).status_code == 200
    with app.app_context():
        company = db.session.scalars(sa.select(Company).where(Company.tax_id == admitted.tax_id)).one()
        proof = proof_of(company)
        assert proof is not None and proof.kind == "agreement" and proof.reference == admitted.number
        assert proof.signed_sha256 == hashlib.sha256(signed).hexdigest() and "BIN" + admitted.tax_id in proof.signer
        (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "company.claim_proven"))
        assert event.details["reference"] == admitted.number and event.details["kind"] == "agreement"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ClaimProof)) == 1
