"""Sanctions with four eyes: one person (or the compliance run) proposes, a second decides.

A proposal names a certificate action (suspend, revoke, reinstate) and a reason; nothing changes until
someone else takes that very action through the certificate's endpoints (API.md "Certificates"):
:func:`check_decision` is asked by :mod:`zone.certificates.services` before every status change. An admin
may still act at once without a proposal (API.md); an approver decides only what someone else proposed.
A certificate has at most one pending proposal (a partial unique index).

What follows a decision on a higher floor (the compliance case of the breach) registers a follower at app
creation (:func:`follow_decisions`); :func:`decided` calls it in the decision's transaction, so this
domain never imports the one that reacts.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.accounts.models import User
from zone.accounts.roles import Role
from zone.audit.services import record
from zone.certificates.models import Certificate, ProposalStatus, SanctionProposal
from zone.database import utcnow
from zone.errors import Forbidden
from zone.extensions import db

ACTIONS = ("suspend", "reinstate", "revoke")


def pending(certificate_id: int) -> SanctionProposal | None:
    """The certificate's undecided sanction proposal, if any."""
    return db.session.scalars(select(SanctionProposal).where(
        SanctionProposal.certificate_id == certificate_id, SanctionProposal.status == ProposalStatus.PENDING)).first()


def propose(certificate: Certificate, action: str, actor: User | None, *, reason: str, source: str) -> SanctionProposal:
    """Record a proposal (flushed: a second pending one fails on the unique index); changes no status."""
    proposal = SanctionProposal(certificate_id=certificate.id, action=action, status=ProposalStatus.PENDING,
                                reason=reason, source=source, proposed_by_id=actor.id if actor else None)
    db.session.add(proposal)
    db.session.flush()
    record(f"certificate.{action}_proposed", certificate, actor=actor, actor_label=None if actor else "compliance-run",
           details={"serial": certificate.serial, "proposal": proposal.id, "reason": reason, "source": source})
    return proposal


def close(proposal: SanctionProposal, status: ProposalStatus, actor: User | None, reason: str | None = None) -> None:
    """Mark ``proposal`` confirmed, declined or withdrawn (no certificate change here)."""
    proposal.status, proposal.decided_at, proposal.decision_reason = status, utcnow(), reason
    proposal.decided_by_id = actor.id if actor is not None else None
    record(f"certificate.sanction_{status.value}", proposal.certificate, actor=actor,
           actor_label=None if actor else "compliance-run",
           details={"serial": proposal.certificate.serial, "proposal": proposal.id, "action": proposal.action,
                    "reason": reason})
    db.session.flush()


def check_decision(certificate: Certificate, action: str, actor: User | None) -> SanctionProposal | None:
    """Whether ``actor`` may take ``action`` now; returns the proposal this decides, if any.

    The proposer never decides their own proposal (403 ``four_eyes``); an approver needs a pending
    proposal of that action (403 ``proposal_required``); an admin may act without one.
    """
    if actor is None:
        return None
    proposal = pending(certificate.id)
    matching = proposal if proposal is not None and proposal.action == action else None
    if matching is not None and matching.proposed_by_id == actor.id:
        raise Forbidden(_l("A sanction needs a second person: someone other than its proposer must decide it."),
                        code="four_eyes")
    if matching is None and actor.role != Role.ADMIN:
        raise Forbidden(_l("Only an admin acts without a proposal; this action has not been proposed."),
                        code="proposal_required")
    return matching


FOLLOWERS = "certificate_decision_followers"


def follow_decisions(app: Flask, follower: Callable[[Certificate, User], None]) -> None:
    """Have ``follower(certificate, actor)`` called after every status decision a person takes through the
    certificate's actions (suspend, reinstate, revoke), in the same transaction."""
    followers = app.extensions.setdefault(FOLLOWERS, [])
    if follower not in followers:
        followers.append(follower)


def decided(certificate: Certificate, proposal: SanctionProposal | None, actor: User, reason: str | None) -> None:
    """After the action was applied: the proposal it decided is confirmed, and the followers follow."""
    if proposal is not None:
        close(proposal, ProposalStatus.CONFIRMED, actor, reason)
    for follower in current_app.extensions.get(FOLLOWERS, ()):
        follower(certificate, actor)
