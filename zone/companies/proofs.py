"""Proof of a tax id claim by the company's qualified electronic signature.

A registration claims a tax id (see :mod:`zone.companies.claims`); the company proves the claim by
signing with a qualified certificate that carries the tax id (KZ: the BIN in an NCA RK certificate;
UZ: the STIR in an E-IMZO certificate), which only the real company holds:

1. the company asks for a *statement*: a one-page PDF naming the registration (company number, name,
   country, tax id), which the zone signs like an agreement (DocMDP "form filling", an empty signature
   field for the company);
2. the company signs the downloaded file with its qualified certificate and uploads it; the upload is
   checked exactly like an agreement's countersignature (:mod:`zone.esign.countersignature`: over the
   zone-signed bytes, nothing changed, valid at signing time, a trusted national CA, the tax id in the
   subject).

A countersigned activity agreement proves the claim the same way and is recorded as a proof too.

What a proof changes: reviewers see it beside the documents they check; in a dispute, the one claim proven
by e-signature against only unproven rivals may be approved (the rivals stay disputed until an
administrator closes them). A proof counts only for the tax id it proved.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.audit.services import record
from zone.calendar import local_date
from zone.certificates.document import SigningUnavailable, signing_paths, timestamp_authority
from zone.certificates.pdf import SandboxedDocument, format_date, plain
from zone.certificates.verification import sha256_hex
from zone.companies.models import ClaimProof, ClaimStatus, Company
from zone.database import utcnow
from zone.errors import Conflict, TooLarge, ValidationFailed
from zone.esign.countersignature import COMPANY_FIELD, Countersignature, check_countersignature
from zone.esign.identities import trust_roots
from zone.extensions import db

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "companies" / "statement"
STATEMENT = SandboxedDocument(TEMPLATE_DIR, TEMPLATE_DIR / "claim_statement.css")
STATEMENT_KIND = "statement"
AGREEMENT_KIND = "agreement"


def _same_claim(company: Company):
    return ((ClaimProof.company_id == company.id)
            & (ClaimProof.registration_country == company.registration_country)
            & (ClaimProof.tax_id == company.tax_id))


def proof_of(company: Company) -> ClaimProof | None:
    """The latest proof of the company's claim on its current tax id, or None."""
    return db.session.scalars(select(ClaimProof).where(_same_claim(company), ClaimProof.proven_at.is_not(None))
                              .order_by(ClaimProof.id.desc()).limit(1)).first()


def proofs_of(companies: list[Company]) -> dict[int, ClaimProof]:
    """``{company id: its latest proof}`` for those of ``companies`` that proved their current tax id."""
    found: dict[int, ClaimProof] = {}
    for company in companies:
        proof = proof_of(company)
        if proof is not None:
            found[company.id] = proof
    return found


def open_statement(company: Company) -> ClaimProof | None:
    """The statement issued for the company's current tax id and not signed yet, or None."""
    return db.session.scalars(select(ClaimProof).where(
        _same_claim(company), ClaimProof.kind == STATEMENT_KIND, ClaimProof.proven_at.is_(None))
        .order_by(ClaimProof.id.desc()).limit(1)).first()


def statement(company: Company, reference: str) -> ClaimProof | None:
    """The company's statement ``reference`` (signed or not), or None."""
    return db.session.scalars(select(ClaimProof).where(
        ClaimProof.company_id == company.id, ClaimProof.kind == STATEMENT_KIND,
        ClaimProof.reference == reference[:40])).first()


def _check_open(company: Company) -> None:
    if company.claim_status != ClaimStatus.OPEN:
        raise Conflict(_l("An administrator has closed this company's claim on its tax id."), code="claim_closed")
    if proof_of(company) is not None:
        raise Conflict(_l("Your company's tax id is already proven by its electronic signature."),
                       code="already_proven")


def issue_statement(company: Company, actor) -> ClaimProof:
    """The statement for the company to sign (``company`` locked by the caller): the open one, or a new
    one rendered and signed by the zone now. 503 when the zone's key cannot be used (nothing stored)."""
    _check_open(company)
    existing = open_statement(company)
    if existing is not None:
        return existing
    issued_at = utcnow()
    number = f"TS-{company.id}-{secrets.token_hex(4).upper()}"
    pdf = _render_and_sign(company, number, issued_at)
    proof = ClaimProof(company=company, kind=STATEMENT_KIND, reference=number,
                       registration_country=company.registration_country, tax_id=company.tax_id,
                       statement=pdf, statement_sha256=sha256_hex(pdf), issued_at=issued_at,
                       actor_id=getattr(actor, "id", None))
    db.session.add(proof)
    record("company.claim_statement", company, actor=actor, details={
        "statement": number, "registration_country": company.registration_country, "tax_id": company.tax_id,
        "sha256": proof.statement_sha256})
    return proof


def _render_and_sign(company: Company, number: str, issued_at: datetime) -> bytes:
    from zone.certificates.signing import SigningError, sign_pdf
    from zone.vocabulary import country_name

    html = STATEMENT.html("claim_statement.html", {
        "number": number, "date": format_date(local_date(issued_at)), "company_id": company.id,
        "company_name": plain(company.name), "tax_id": plain(company.tax_id),
        "country": plain(f"{country_name(company.registration_country, 'ru')} ({company.registration_country})"),
    })
    p12, passphrase, _ca = signing_paths()
    try:
        return sign_pdf(STATEMENT.render(html), p12, passphrase,
                        reason=f"Statement {number} issued by the ICIC \"Central Asia\"",
                        permissions=_form_filling(), open_fields=(COMPANY_FIELD,),
                        timestamp=timestamp_authority())
    except SigningError as error:
        current_app.logger.error("Claim statement %s not signed: %s", number, error)
        raise SigningUnavailable(_l("The statement cannot be signed right now. Try again later or tell the "
                                    "zone administration (signing key unavailable).")) from error


def _form_filling():
    from pyhanko.sign.fields import MDPPerm

    return MDPPerm.FILL_FORMS


def upload_limit() -> int:
    """The largest signed statement accepted, in bytes (the agreements' limit)."""
    return int(current_app.config["AGREEMENT_UPLOAD_MAX_BYTES"])


def prove(company: Company, actor, data: bytes) -> ClaimProof:
    """Accept ``data`` as the company's signature on its open statement (``company`` locked by the caller).
    Refusals are 422 with the reason in ``fields.file``, in the user's language."""
    _check_open(company)
    statement = open_statement(company)
    if statement is None:
        message = _l("Download the statement first, then upload it signed.")
        raise ValidationFailed(message, code="no_statement", fields={"file": [message]})
    limit = upload_limit()
    if len(data) > limit:
        message = _l("The file is too large (at most %(mb)s MB).", mb=limit // (1024 * 1024))
        raise TooLarge(message, fields={"file": [message]})
    if not data:
        message = _l("Attach the signed PDF.")
        raise ValidationFailed(message, code="no_file", fields={"file": [message]})
    now = utcnow()
    accepted = check_countersignature(data, zone_pdf=statement.statement, tax_id=company.tax_id,
                                      zone_signed_at=statement.issued_at, trust_roots=trust_roots(), now=now)
    statement.signed_pdf, statement.signed_sha256 = data, sha256_hex(data)
    _prove(statement, accepted, now, actor)
    return statement


def record_agreement_proof(company: Company, *, agreement_number: str, tax_id: str, signed_sha256: str,
                           accepted: Countersignature, actor) -> ClaimProof | None:
    """The company countersigned its agreement ``agreement_number`` with a certificate carrying ``tax_id``:
    keep it as a proof of the claim (none if the company's claim is on another tax id now)."""
    if company.tax_id != tax_id:
        return None
    now = utcnow()
    proof = ClaimProof(company=company, kind=AGREEMENT_KIND, reference=agreement_number,
                       registration_country=company.registration_country, tax_id=tax_id, issued_at=now,
                       signed_sha256=signed_sha256, actor_id=getattr(actor, "id", None))
    db.session.add(proof)
    _prove(proof, accepted, now, actor)
    return proof


def _prove(proof: ClaimProof, accepted: Countersignature, now: datetime, actor) -> None:
    proof.proven_at, proof.signer, proof.person_ids = now, accepted.signer, list(accepted.person_ids)
    record("company.claim_proven", proof.company, actor=actor, details={
        "kind": proof.kind, "reference": proof.reference, "registration_country": proof.registration_country,
        "tax_id": proof.tax_id, "signer": accepted.signer, "person_ids": list(accepted.person_ids),
        "signed_at": accepted.signed_at, "sha256": proof.signed_sha256})
