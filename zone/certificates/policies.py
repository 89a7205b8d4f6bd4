"""Who may see and change certificates. The only place these decisions are made.

Public verification needs no decision: it shows only what the public register shows.
"""

from __future__ import annotations

from zone.accounts.roles import READER_ROLES, Role
from zone.certificates import sanctions
from zone.certificates.models import Certificate
from zone.certificates.workflow import REISSUERS, Action, allowed_actions

SANCTION_ACTIONS = frozenset({Action.SUSPEND, Action.REINSTATE, Action.REVOKE})


def _role(user) -> str | None:
    return getattr(user, "role", None) if user is not None and user.is_authenticated else None


def can_list_all(user) -> bool:
    """Staff and auditors see every certificate."""
    return _role(user) in READER_ROLES


def can_view(user, certificate: Certificate) -> bool:
    """Staff and auditors see every certificate; a company sees its own."""
    role = _role(user)
    if role in READER_ROLES:
        return True
    return role == Role.APPLICANT and user.company_id == certificate.company_id


def can_apply(user, certificate: Certificate, action: Action | str) -> bool:
    """Whether ``user`` may take ``action`` on ``certificate`` now (role, status and, for an approver, a
    proposal by someone else to decide)."""
    return Action(action) in actions_for(user, certificate)


def actions_for(user, certificate: Certificate) -> list[Action]:
    """The status changes to offer ``user`` on the certificate's page: an approver only decides what
    someone else proposed (:mod:`zone.certificates.sanctions`)."""
    role = _role(user)
    actions = allowed_actions(certificate.status, role) if role else []
    if role == Role.APPROVER:
        proposal = sanctions.pending(certificate.id)
        decidable = proposal.action if proposal is not None and proposal.proposed_by_id != user.id else None
        actions = [a for a in actions if a not in SANCTION_ACTIONS or a.value == decidable]
    return actions


def can_decide_reissue(user, proposal) -> bool:
    """Whether ``user`` may confirm ``proposal``: another approver or admin than the one who proposed it."""
    return _role(user) in REISSUERS and user.id != proposal.proposed_by_id
