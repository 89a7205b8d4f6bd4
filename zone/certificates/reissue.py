"""Reissue after an amendment, with four eyes: one approver or admin proposes, another confirms.

:func:`propose` records what would be signed and signs nothing: the benefits chosen within one stored
evaluation (the decision's, or for an amendment a new one under the rules in force; see
:mod:`zone.certificates.grants`). :func:`decide` lets a second approver or admin confirm it (the old
certificate is superseded and the new one signed in the same transaction) or decline it; the proposer
may only withdraw it. A certificate has at most one pending proposal. Callers load the certificate with
a row lock (``queries.certificate_for_update``) and own the transaction.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.accounts.models import User
from zone.audit.services import record
from zone.calendar import today as zone_today
from zone.certificates import grants
from zone.certificates.benefits import validity
from zone.certificates.lifecycle import (
    MAX_REASON,
    add_event,
    apply_action,
    check_transition,
    clean_reason,
    notify_company,
)
from zone.certificates.models import Certificate, ProposalStatus, ReissueProposal
from zone.certificates.notices import emit_certificate_event
from zone.certificates.periods import benefits_half_open
from zone.certificates.services import new_certificate, signed_details, stored_benefits
from zone.certificates.workflow import REISSUERS, Action
from zone.database import utcnow
from zone.errors import Conflict, Forbidden, ValidationFailed
from zone.extensions import db


class Basis(StrEnum):
    DECISION = "decision"  # the decision's stored evaluation (the default: the benefits stay as decided)
    AMENDMENT = "amendment"  # a new evaluation of the application under the rules in force today


class Decision(StrEnum):
    CONFIRM = "confirm"
    DECLINE = "decline"


def pending_proposal(certificate: Certificate) -> ReissueProposal | None:
    """The certificate's proposal that nobody has decided yet, if any."""
    return db.session.scalars(
        select(ReissueProposal).where(ReissueProposal.certificate_id == certificate.id,
                                      ReissueProposal.status == ProposalStatus.PENDING)
    ).first()


def _basis(value: Any) -> Basis:
    try:
        return Basis(value if value not in (None, "") else Basis.DECISION)
    except (ValueError, TypeError):
        raise ValidationFailed(_l("Choose what the benefits are based on."),
                               fields={"basis": [_l("Use decision or amendment.")]}) from None


def _as_decided(certificate: Certificate) -> list[dict]:
    """The certificate's benefits stated as a choice: keeping them exactly as they are (the row keeps
    last days; a choice is half-open like the evaluation it is checked against)."""
    return grants.signed_summary(benefits_half_open(certificate.benefits))


def propose(certificate: Certificate, actor: User, *, reason: Any, basis: Any = None,
            benefits: Any = None) -> ReissueProposal:
    """Record a reissue proposal by ``actor``; nothing is signed until another person confirms it.

    ``basis`` ``decision`` (default) takes the benefits from the decision's stored evaluation, by default
    exactly as the certificate carries them; ``amendment`` evaluates the application anew under the
    rules in force today and stores that evaluation. ``benefits`` narrows either as an approval may.
    """
    check_transition(certificate, Action.SUPERSEDE, actor)
    reason = clean_reason(Action.SUPERSEDE, reason if isinstance(reason, str) else None)
    basis = _basis(basis)
    if pending_proposal(certificate) is not None:
        raise Conflict(_l("A reissue of this certificate is already proposed; confirm or decline it first."),
                       code="reissue_pending")
    application = certificate.application
    today = zone_today()
    if basis is Basis.DECISION:
        snapshot = grants.decision_snapshot(application)
        chosen = benefits if benefits is not None else _as_decided(certificate)
    else:
        snapshot = grants.amendment_snapshot(application, today, actor)
        chosen = benefits
    grant = grants.grant(snapshot, chosen)
    proposal = ReissueProposal(
        certificate_id=certificate.id, status=ProposalStatus.PENDING, basis=basis, snapshot_id=grant.snapshot_id,
        benefits=grant.benefits, valid_until=validity(stored_benefits(grant.benefits), today, certificate.side),
        reason=reason, proposed_by_id=actor.id,
    )
    db.session.add(proposal)
    db.session.flush()
    record("certificate.reissue_proposed", certificate, actor=actor, details={
        "serial": certificate.serial, "proposal": proposal.id, "basis": basis.value, "reason": reason,
        "rule_set": grant.rule_set, "evaluation": grant.snapshot_id,
        "benefits": grants.signed_summary(grant.benefits), "valid_until": proposal.valid_until,
    })
    return proposal


def _proposal_of(certificate: Certificate, proposal_id: Any) -> ReissueProposal:
    valid_id = isinstance(proposal_id, int) and not isinstance(proposal_id, bool) and 0 < proposal_id < 2**63
    proposal = db.session.get(ReissueProposal, proposal_id) if valid_id else None
    if proposal is None or proposal.certificate_id != certificate.id:
        raise Conflict(_l("There is no such reissue proposal for this certificate."), code="no_such_proposal")
    if proposal.status != ProposalStatus.PENDING:
        raise Conflict(_l("This reissue proposal has already been decided."), code="proposal_decided")
    return proposal


def _decision(value: Any) -> Decision:
    try:
        return Decision(value)
    except (ValueError, TypeError):
        raise ValidationFailed(_l("Confirm or decline the proposal."),
                               fields={"decision": [_l("Use confirm or decline.")]}) from None


def _comment(value: Any) -> str | None:
    text = value.strip() if isinstance(value, str) else None
    if text and len(text) > MAX_REASON:
        raise ValidationFailed(_l("The reason is too long."),
                               fields={"reason": [_l("At most %(n)s characters.", n=MAX_REASON)]})
    return text or None


def decide(certificate: Certificate, actor: User, *, proposal_id: Any, decision: Any,
           reason: Any = None) -> tuple[ReissueProposal, Certificate | None]:
    """Confirm or decline a pending proposal; returns it and, when confirmed, the new certificate.

    Only another approver or admin may confirm (403 ``four_eyes`` for the proposer); the proposer's own
    "decline" withdraws it. Confirming checks the proposal's benefits against its stored evaluation again
    and refuses (409) when the certificate's status no longer allows a reissue.
    """
    decision = _decision(decision)
    if actor.role not in REISSUERS:
        raise Forbidden(_l("Your role cannot decide a reissue."))
    proposal = _proposal_of(certificate, proposal_id)
    own = proposal.proposed_by_id == actor.id
    if decision is Decision.CONFIRM:
        if own:
            raise Forbidden(_l("A reissue needs a second person: someone other than its proposer must confirm "
                               "it."), code="four_eyes")
        check_transition(certificate, Action.SUPERSEDE, actor)  # 409 when the status moved on meanwhile
    comment = _comment(reason)
    proposal.decided_by_id, proposal.decided_at, proposal.decision_reason = actor.id, utcnow(), comment
    if decision is Decision.DECLINE:
        proposal.status = ProposalStatus.WITHDRAWN if own else ProposalStatus.DECLINED
        record(f"certificate.reissue_{proposal.status}", certificate, actor=actor, details={
            "serial": certificate.serial, "proposal": proposal.id, "reason": comment})
        db.session.flush()
        return proposal, None
    replacement = _reissue(certificate, proposal, actor)
    proposal.status, proposal.replacement_id = ProposalStatus.CONFIRMED, replacement.id
    db.session.flush()
    return proposal, replacement


def _reissue(certificate: Certificate, proposal: ReissueProposal, actor: User) -> Certificate:
    """Supersede ``certificate`` and sign its replacement with the proposal's benefits, checked again."""
    grant = grants.grant(grants.snapshot_by_id(proposal.snapshot_id), grants.signed_summary(proposal.benefits))
    details = {"proposal": proposal.id, "proposed_by": proposal.proposed_by_id}
    apply_action(certificate, Action.SUPERSEDE, actor, reason=proposal.reason, notify=False, details=details)
    start = zone_today()
    replacement = new_certificate(certificate.application, grant, start, actor, supersedes=certificate)
    certificate.superseded_by_id = replacement.id
    add_event(replacement, "issue", actor, from_status=None, reason=proposal.reason, effective_date=start,
              details={"supersedes": certificate.serial, **details})
    record("certificate.reissue", replacement, actor=actor, details={
        **signed_details(replacement, grant), "supersedes": certificate.serial, "reason": proposal.reason,
        "basis": proposal.basis, "proposal": proposal.id, "proposed_by": proposal.proposed_by_id,
        "confirmed_by": actor.id,
    })
    emit_certificate_event(replacement, "issue", reason=proposal.reason, effective_from=start,
                           supersedes=certificate.serial)
    notify_company(replacement, "certificates/mail/reissued.txt", previous=certificate, reason=proposal.reason)
    return replacement
