"""Every change to activity agreements: creation at admission, the company's countersignature, and
amendments (supplementary agreements) proposed by one staff member and decided by another.

Functions work inside the caller's transaction (flush, never commit); each writes the agreement's
history and an audit event. A change made on a stale ``version`` is refused (409) naming who changed the
agreement meanwhile; the agreement row is locked first (``queries.for_update``) so two concurrent
changes are decided one after the other.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.accounts.models import User
from zone.accounts.roles import Role
from zone.agreements import policies, queries
from zone.agreements.document import pdf_context, render_and_sign
from zone.agreements.models import (
    Agreement,
    AgreementAmendment,
    AgreementEvent,
    AgreementNumberCounter,
    AgreementRevision,
    AmendmentStatus,
)
from zone.agreements.models import AgreementStatus as S
from zone.agreements.obligations import amended, obligations_for, terms_on
from zone.agreements.workflow import Action, next_status
from zone.applications.models import Application
from zone.audit.services import record
from zone.calendar import local_date
from zone.certificates.models import Certificate, CertificateStatus
from zone.certificates.notices import event_data
from zone.certificates.serials import take_number
from zone.companies.proofs import record_agreement_proof
from zone.database import utcnow
from zone.errors import Conflict, Forbidden, StaleVersion, TooLarge, ValidationFailed
from zone.esign.countersignature import check_countersignature
from zone.esign.identities import trust_roots
from zone.events.services import emit
from zone.extensions import db
from zone.mail.services import queue_mail

MAX_REASON = 5000


def format_number(side: str, year: int, sequence: int) -> str:
    """``AG-KZ-2026-000001``."""
    return f"AG-{side}-{year}-{sequence:06d}"


# --- creation ------------------------------------------------------------------------------------------------

def create_agreement(application: Application, certificate: Certificate, *, actor: User | None) -> Agreement:
    """Make the admitted application's activity agreement, signed by the zone, inside the admission's
    transaction. Idempotent: an application that has one gets it back.

    The number is the next of the side in the decision year, without gaps; the obligations come from
    the application and the rule set in force on the decision date (the certificate's first day), and
    so does the countersignature deadline.
    """
    existing = queries.of_application(application.id)
    if existing is not None:
        return existing
    decided_on = certificate.valid_from
    side = certificate.side
    terms = terms_on(side, decided_on)
    obligations = obligations_for(application, terms)
    sequence = take_number(AgreementNumberCounter, side, decided_on.year)
    now = utcnow()
    agreement = Agreement(
        number=format_number(side, decided_on.year, sequence), side=side, year=decided_on.year, sequence=sequence,
        application_id=application.id, certificate_id=certificate.id, company_id=certificate.company_id,
        status=S.AWAITING_COMPANY_SIGNATURE, version=1, company_name=certificate.company_name,
        company_tax_id=certificate.company_tax_id, decided_on=decided_on,
        countersign_due=terms.countersign_due(decided_on), rule_set_version=terms.rule_set_version,
        obligations=obligations, revision=1, zone_signed_at=now, updated_at=now,
        created_by_id=actor.id if actor else None, updated_by_id=actor.id if actor else None,
    )
    agreement.application, agreement.certificate, agreement.company = application, certificate, certificate.company
    pdf, digest = render_and_sign(pdf_context(agreement, obligations=obligations, signed_on=decided_on))
    agreement.sha256, agreement.size = digest, len(pdf)
    db.session.add(agreement)
    db.session.flush()
    db.session.add(AgreementRevision(agreement_id=agreement.id, number=1, obligations=obligations, zone_pdf=pdf,
                                     zone_sha256=digest, zone_size=len(pdf), zone_signed_at=now))
    _event(agreement, "create", actor, details={"revision": 1, "sha256": digest}, bump=False)
    record("agreement.create", agreement, actor=actor, details={
        "number": agreement.number, "application_id": application.id, "certificate": certificate.serial,
        "sha256": digest, "countersign_due": agreement.countersign_due, "rule_set": terms.rule_set_version,
        "obligations": [o["id"] for o in obligations]})
    return agreement  # the company reads of it in the approval's message (review), one mail for one event


# --- the company's countersignature --------------------------------------------------------------------------

def countersign(agreement: Agreement, actor: User, data: bytes) -> AgreementRevision:
    """Accept the company's countersigned PDF of the current revision (``agreement`` locked by the
    caller). The first countersignature concludes the agreement; a later revision (a supplementary
    agreement) is concluded by its own. Refusals are 422 with the reason in ``fields.file``."""
    if not policies.can_countersign(actor, agreement):
        raise Forbidden(_l("Only the company's own representatives sign its agreement."))
    if agreement.status == S.TERMINATED:
        raise Conflict(_l("The agreement is terminated; it cannot be signed any more."), code="terminated")
    current = queries.revision_for_update(agreement)
    if current.concluded:
        raise Conflict(_l("Your company has already signed the current text of this agreement."),
                       code="already_countersigned")
    limit = upload_limit()
    if len(data) > limit:
        raise TooLarge(_l("The file is too large (at most %(mb)s MB).", mb=limit // (1024 * 1024)),
                       fields={"file": [_l("The file is too large (at most %(mb)s MB).", mb=limit // (1024 * 1024))]})
    now = utcnow()
    accepted = check_countersignature(data, zone_pdf=current.zone_pdf, tax_id=agreement.company_tax_id,
                                      zone_signed_at=current.zone_signed_at, trust_roots=trust_roots(), now=now)
    digest = _sha256(data)
    current.concluded_pdf, current.concluded_sha256, current.concluded_size = data, digest, len(data)
    current.company_signed_at, current.company_signer, current.countersigned_by_id = now, accepted.signer, actor.id
    concluded = next_status(agreement.status, Action.CONCLUDE)
    if concluded is not None:
        agreement.status = concluded
        agreement.company_signed_at = now
        emit("agreement.concluded", event_data(agreement.certificate, reason=None, effective_from=local_date(now),
                                               agreement=agreement.number))
    agreement.sha256, agreement.size = digest, len(data)
    _event(agreement, "countersign", actor, details={
        "revision": current.number, "sha256": digest, "signer": accepted.signer,
        "signed_at": accepted.signed_at.isoformat()})
    record("agreement.countersign", agreement, actor=actor, details={
        "number": agreement.number, "revision": current.number, "sha256": digest, "signer": accepted.signer,
        "person_ids": list(accepted.person_ids), "signed_at": accepted.signed_at, "status": agreement.status})
    if agreement.company is not None:  # the same signature proves the company's claim on its tax id
        record_agreement_proof(agreement.company, agreement_number=agreement.number, tax_id=agreement.company_tax_id,
                               signed_sha256=digest, accepted=accepted, actor=actor)
    return current


def upload_limit() -> int:
    """The largest countersigned PDF accepted, in bytes."""
    return int(current_app.config["AGREEMENT_UPLOAD_MAX_BYTES"])


# --- termination ---------------------------------------------------------------------------------------------

def terminate_with_certificate(certificate: Certificate, actor: User | None) -> Agreement | None:
    """End the agreement made with ``certificate``'s application once the certificate is revoked (the
    agreement's clause 5), in the revocation's transaction: the history, the audit entry and the
    ``agreement.terminated`` event carry the revocation's reason and effective date. Returns the agreement
    it terminated; None when there is none or it has already ended."""
    if certificate.status != CertificateStatus.REVOKED:
        return None
    found = queries.of_application(certificate.application_id)
    agreement = queries.for_update(found.number) if found is not None else None
    if agreement is None:
        return None
    terminated = next_status(agreement.status, Action.TERMINATE)
    if terminated is None:
        return None
    reason, effective = certificate.revoked_reason, certificate.revoked_at
    previous = agreement.status
    agreement.status = terminated
    _event(agreement, "terminate", actor, comment=reason, details={
        "certificate": certificate.serial, "from": previous, "effective_date": effective.isoformat()})
    record("agreement.terminate", agreement, actor=actor, details={
        "number": agreement.number, "certificate": certificate.serial, "from": previous, "reason": reason,
        "effective_date": effective})
    data = event_data(certificate, reason=reason, effective_from=effective)
    data["agreement"] = {"number": agreement.number, "date": agreement.decided_on.isoformat(),
                         "status": str(agreement.status)}
    emit("agreement.terminated", data)
    return agreement


# --- amendments (supplementary agreements) -------------------------------------------------------------------

def _text(value: Any, field: str, message) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationFailed(message, fields={field: [message]})
    if len(text) > MAX_REASON:
        raise ValidationFailed(_l("The text is too long."),
                               fields={field: [_l("At most %(n)s characters.", n=MAX_REASON)]})
    return text


def check_version(agreement: Agreement, version: Any) -> None:
    """Refuse (409) a change made on an older version, naming who changed the agreement since."""
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationFailed(_l("The version you saw is missing; reload the page."),
                               fields={"version": [_l("This field is required.")]})
    if version == agreement.version:
        return
    events = queries.events_since(agreement, version) if version < agreement.version else []
    who = ", ".join(dict.fromkeys(e.actor.display_name for e in events if e.actor)) or "—"
    raise StaleVersion(
        _l("The agreement was changed by %(who)s after you opened it (now version %(version)s). Reload it to see "
           "the changes; nothing was overwritten.", who=who, version=agreement.version),
        details={"current_version": agreement.version,
                 "changes": [{"action": e.action, "by": e.actor.display_name if e.actor else None,
                              "at": e.at.isoformat(), "version": e.version} for e in events]})


def propose_amendment(agreement: Agreement, actor: User, *, version: Any, reason: Any,
                      changes: Any) -> AgreementAmendment:
    """Staff propose changed obligations with a reason; another person decides (``agreement`` locked)."""
    if not policies.can_propose(actor, agreement):
        raise Forbidden(_l("Your role cannot propose amendments."))
    check_version(agreement, version)
    if agreement.status == S.TERMINATED:
        raise Conflict(_l("The agreement is terminated; it cannot be amended."), code="terminated")
    pending = queries.pending_amendment(agreement)
    if pending is not None:
        raise Conflict(_l("Amendment No. %(n)s proposed by %(who)s awaits a decision; decide it first.",
                          n=pending.number, who=pending.proposed_by.display_name), code="amendment_pending")
    text = _text(reason, "reason", _l("Give the reason for the amendment."))
    obligations, diff = amended(agreement.obligations, changes)
    number = (db.session.scalar(select(db.func.max(AgreementAmendment.number))
                                .where(AgreementAmendment.agreement_id == agreement.id)) or 0) + 1
    amendment = AgreementAmendment(agreement_id=agreement.id, number=number, status=AmendmentStatus.PROPOSED,
                                   reason=text, base_revision=agreement.revision, obligations=obligations,
                                   changes=diff, proposed_by_id=actor.id, proposed_at=utcnow())
    db.session.add(amendment)
    db.session.flush()
    _event(agreement, "propose", actor, comment=text, details={"amendment": number, "changes": diff})
    record("agreement.amendment.propose", agreement, actor=actor, details={
        "number": agreement.number, "amendment": number, "reason": text, "changes": diff})
    return amendment


def _decidable(agreement: Agreement, amendment: AgreementAmendment, actor: User, version: Any) -> None:
    refusal = policies.decision_refusal(actor, amendment)
    if refusal is not None:
        raise Forbidden(refusal, code="four_eyes" if actor.role in policies.DECIDING_ROLES else "forbidden")
    check_version(agreement, version)
    if amendment.status != AmendmentStatus.PROPOSED:
        raise Conflict(_l("Amendment No. %(n)s has already been decided.", n=amendment.number), code="decided")


def approve_amendment(agreement: Agreement, amendment: AgreementAmendment, actor: User, *,
                      version: Any) -> AgreementRevision:
    """A second person approves: a new zone-signed revision restating the agreement with the changed
    obligations; the earlier revisions stay as they are."""
    _decidable(agreement, amendment, actor, version)
    if agreement.status == S.TERMINATED:
        raise Conflict(_l("The agreement is terminated; it cannot be amended."), code="terminated")
    now = utcnow()
    number = agreement.revision + 1
    signed_on = local_date(now)
    pdf, digest = render_and_sign(pdf_context(agreement, obligations=amendment.obligations, signed_on=signed_on,
                                              revision={"number": number, "amendment": amendment.number,
                                                        "date": signed_on, "reason": amendment.reason,
                                                        "changes": amendment.changes}))
    revision = AgreementRevision(agreement_id=agreement.id, number=number, amendment_id=amendment.id,
                                 obligations=amendment.obligations, zone_pdf=pdf, zone_sha256=digest,
                                 zone_size=len(pdf), zone_signed_at=now)
    db.session.add(revision)
    amendment.status, amendment.decided_by_id, amendment.decided_at = AmendmentStatus.APPROVED, actor.id, now
    amendment.revision_number = number
    agreement.obligations, agreement.revision = amendment.obligations, number
    agreement.sha256, agreement.size = digest, len(pdf)
    _event(agreement, "approve", actor, details={"amendment": amendment.number, "revision": number, "sha256": digest})
    record("agreement.amendment.approve", agreement, actor=actor, details={
        "number": agreement.number, "amendment": amendment.number, "revision": number, "sha256": digest,
        "proposed_by": amendment.proposed_by_id})
    _notify_company(agreement, "agreements/mail/amended.txt", amendment=amendment)
    db.session.flush()
    return revision


def reject_amendment(agreement: Agreement, amendment: AgreementAmendment, actor: User, *, version: Any,
                     reason: Any) -> AgreementAmendment:
    """A second person rejects the proposal, with a reason; the agreement stays as it is."""
    _decidable(agreement, amendment, actor, version)
    text = _text(reason, "reason", _l("Give the reason for rejecting the amendment."))
    amendment.status, amendment.decided_by_id, amendment.decided_at = AmendmentStatus.REJECTED, actor.id, utcnow()
    amendment.decision_comment = text
    _event(agreement, "reject", actor, comment=text, details={"amendment": amendment.number})
    record("agreement.amendment.reject", agreement, actor=actor, details={
        "number": agreement.number, "amendment": amendment.number, "reason": text})
    return amendment


# --- helpers ---------------------------------------------------------------------------------------------------

def _event(agreement: Agreement, action: str, actor: User | None, *, comment: str | None = None,
           details: dict | None = None, bump: bool = True) -> AgreementEvent:
    if bump:
        agreement.version += 1
        agreement.updated_at = utcnow()
        agreement.updated_by_id = actor.id if actor else None
    event = AgreementEvent(agreement_id=agreement.id, version=agreement.version, action=action,
                           actor_id=actor.id if actor else None, comment=comment, details=details)
    db.session.add(event)
    return event


def _sha256(data: bytes) -> str:
    from zone.certificates.verification import sha256_hex

    return sha256_hex(data)


def _notify_company(agreement: Agreement, template: str, **context) -> None:
    users = db.session.scalars(select(User).where(User.company_id == agreement.company_id,
                                                  User.role == Role.APPLICANT, User.active)).all()
    for user in users:
        queue_mail(user.email, template, locale=user.locale, agreement=agreement, **context)


