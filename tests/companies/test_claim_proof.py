"""Proof of a tax id claim by the company's qualified electronic signature.

The company asks for a zone-signed statement, signs it with a certificate carrying its tax id (the demo
signer stands for NCA RK / E-IMZO) and uploads it. A proven claim wins a dispute against unproven rivals;
a countersigned agreement is a proof as well (see tests/agreements).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.agreements.helpers import other_ca_identity, sign_as_company
from tests.companies.test_claims import audit, fresh, recommended_for  # noqa: F401  (a fixture)
from zone.companies.models import ClaimProof, Company
from zone.extensions import db


@pytest.fixture
def demo_identity(app):
    from zone.esign.identities import issue_demo_identity

    def _make(tax_id: str, **options) -> bytes:
        with app.app_context():
            return issue_demo_identity(tax_id, **options)

    return _make

def statement(client) -> bytes:
    response = client.post("/company/claim/statement")
    assert response.status_code == 302 and response.headers["Location"].endswith("/company/claim#sign")
    page = client.get("/company/claim?lang=en").get_data(as_text=True)
    (link,) = re.findall(r'href="(/company/claim/statements/[^"]+\.pdf)"', page)
    response = client.get(link)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data

def upload(client, data: bytes, lang: str = "en"):
    from io import BytesIO

    return client.post(f"/company/claim?lang={lang}", data={"file": (BytesIO(data), "signed.pdf")},
                       content_type="multipart/form-data")

def add_text(writer):
    from pyhanko.pdf_utils import generic

    stream = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 72 Td (another id) Tj ET"))
    writer.add_stream_to_page(0, stream)


def altered(data: bytes) -> bytes:
    changed = bytearray(data)
    changed[400] ^= 0x01  # inside the zone's revision
    return bytes(changed)


def test_a_company_proves_its_tax_id_with_its_e_signature(client, app, ctx, login_as, make_company, demo_identity):
    company = make_company(name="ТОО «Жібек Жолы»")
    user = login_as("applicant", company=company)
    page = client.get("/company/claim?lang=en").get_data(as_text=True)
    assert "Prepare the statement to sign" in page and company.tax_id in page
    pdf = statement(client)
    assert statement(client) == pdf  # asking again gives the same open statement
    response = upload(client, sign_as_company(pdf, demo_identity(company.tax_id)))
    assert response.status_code == 302
    page = client.get("/company/claim?lang=en").get_data(as_text=True)
    assert "is proven by its qualified electronic signature" in page
    proof = db.session.scalars(select(ClaimProof).where(ClaimProof.company_id == company.id)).one()
    assert proof.kind == "statement" and proof.proven_at is not None and proof.tax_id == company.tax_id
    assert f"BIN{company.tax_id}" in proof.signer and proof.signed_sha256
    (event,) = [e for e in audit("company.claim_proven") if e.object_id == str(company.id)]
    assert event.details["tax_id"] == company.tax_id and event.actor_id == user.id
    assert event.details["reference"] == proof.reference
    assert [e.details["statement"] for e in audit("company.claim_statement")] == [proof.reference]
    # Proven once: no new statement, no second proof.
    assert client.post("/company/claim/statement").status_code == 302
    assert "/company/claim/statements/" not in client.get("/company/claim").get_data(as_text=True)
    assert len(db.session.scalars(select(ClaimProof).where(ClaimProof.company_id == company.id)).all()) == 1

@pytest.mark.parametrize("case, message", [
    ("other_company", "does not carry your company"),
    ("untrusted", "does not lead to a trusted company-signing certification authority"),
    ("changed_statement", "changes the document"),
    ("zone_revision_altered", "not the zone-signed document with your signature added"),
    ("garbage", "not the zone-signed document with your signature added"),
])
def test_a_wrong_signature_is_refused_with_its_own_message(client, ctx, login_as, make_company, demo_identity,
                                                          valid_bin, case, message):
    company = make_company()
    login_as("applicant", company=company)
    pdf = statement(client)
    data = {
        "other_company": lambda: sign_as_company(pdf, demo_identity(valid_bin())),
        "untrusted": lambda: sign_as_company(pdf, other_ca_identity(company.tax_id)),
        "changed_statement": lambda: sign_as_company(pdf, demo_identity(company.tax_id), prepare=add_text),
        "zone_revision_altered": lambda: altered(sign_as_company(pdf, demo_identity(company.tax_id))),
        "garbage": lambda: b"%PDF-1.7\n" + b"0" * 5000,
    }[case]()
    response = upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert db.session.scalars(select(ClaimProof).where(ClaimProof.proven_at.is_not(None))).all() == []
    assert audit("company.claim_proven") == []

def test_the_refusal_speaks_the_users_language(client, login_as, make_company, demo_identity, valid_bin):
    company = make_company()
    login_as("applicant", company=company)
    pdf = statement(client)
    page = upload(client, sign_as_company(pdf, demo_identity(valid_bin())), lang="ru").get_data(as_text=True)
    assert "В сертификате подписи нет налогового номера вашей компании" in page

def test_an_upload_without_a_file_or_statement_is_refused_clearly(client, login_as, make_company):
    login_as("applicant", company=make_company())
    page = upload(client, b"%PDF-1.7").get_data(as_text=True)
    assert "Download the statement first" in page
    response = client.post("/company/claim?lang=en", data={})
    assert response.status_code == 200 and "Attach the signed PDF." in response.get_data(as_text=True)

def test_a_proof_counts_only_for_the_tax_id_it_proved(client, app, ctx, login_as, make_company, demo_identity,
                                                     valid_bin):
    from zone.companies.proofs import proof_of

    company = make_company()
    login_as("applicant", company=company)
    assert upload(client, sign_as_company(statement(client), demo_identity(company.tax_id))).status_code == 302
    row = fresh(Company, company.id)
    assert proof_of(row) is not None
    row.tax_id = valid_bin()
    db.session.commit()
    assert proof_of(fresh(Company, company.id)) is None
    assert "Prepare the statement to sign" in client.get("/company/claim?lang=en").get_data(as_text=True)

def test_a_proven_claim_wins_a_dispute_against_unproven_rivals(client, app, login, make_user, make_company,
                                                              demo_identity, recommended_for, act):

    tax_id_company = make_company(name="ТОО «Первая заявка»")
    rival = make_company(name="ТОО «Настоящая компания»", tax_id=tax_id_company.tax_id)
    rival_user = make_user("applicant", company=rival)
    app_id = recommended_for(rival)
    approver = make_user("approver")
    assert act(approver, app_id, "approve", 2).get_json()["error"]["code"] == "claim_disputed"
    login(rival_user)
    assert upload(client, sign_as_company(statement(client), demo_identity(rival.tax_id))).status_code == 302
    reviewer_client = app.test_client()
    login(approver, the_client=reviewer_client)
    html = reviewer_client.get(f"/review/applications/{app_id}?lang=en").get_data(as_text=True)
    assert "Tax id proven by the company's qualified electronic signature" in html
    assert "Another registration claims the same tax id" not in html
    admin_client = app.test_client()
    login(make_user("admin"), the_client=admin_client)
    html = admin_client.get(f"/admin/companies/{rival.id}/claim?lang=en").get_data(as_text=True)
    assert html.count("Tax id proven by the company's qualified electronic signature") == 1
    assert "Not proven by electronic signature" in html
    response = act(approver, app_id, "approve", 2)
    assert response.status_code == 200, response.get_json()

def test_the_unproven_rival_stays_disputed(client, app, login, make_user, make_company, demo_identity,
                                          recommended_for, act):
    first = make_company()
    proven = make_company(tax_id=first.tax_id)
    app_id = recommended_for(first)
    login(make_user("applicant", company=proven))
    assert upload(client, sign_as_company(statement(client), demo_identity(proven.tax_id))).status_code == 302
    response = act(make_user("approver"), app_id, "approve", 2)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "claim_disputed"

def test_only_the_company_s_own_people_reach_its_statement(client, app, login, login_as, make_company, make_user):
    company = make_company()
    login_as("applicant", company=company)
    statement(client)
    page = client.get("/company/claim").get_data(as_text=True)
    (link,) = re.findall(r'href="(/company/claim/statements/[^"]+\.pdf)"', page)
    other = app.test_client()
    login(make_user("applicant", company=make_company()), the_client=other)
    assert other.get(link).status_code == 404  # another company's statement does not exist for it
    for role in ("reviewer", "approver", "auditor", "admin"):
        staff = app.test_client()
        login(make_user(role), the_client=staff)
        assert staff.get(link).status_code == 403
        assert staff.get("/company/claim").status_code == 403
