"""Who may see and do what in compliance monitoring. The only place these decisions are made.

- Staff and auditors read every resident's compliance and every case; a company reads its own.
- Staff (reviewer, approver, admin) prepare a proposed suspension or revocation.
- A second person (approver or admin, not the proposer) declines a proposal here or decides it through
  the certificate's action. Auditors change nothing.
"""

from __future__ import annotations

from zone.accounts.roles import READER_ROLES, Role
from zone.compliance.workflow import DECIDERS, DUE, PREPARERS, PROPOSED, Stage


def _role(user) -> str | None:
    return getattr(user, "role", None) if user is not None and user.is_authenticated else None


def can_list_all(user) -> bool:
    return _role(user) in READER_ROLES


def owns(user, company_id: int) -> bool:
    return _role(user) == Role.APPLICANT and user.company_id is not None and user.company_id == company_id


def can_view_certificate(user, certificate) -> bool:
    return can_list_all(user) or owns(user, certificate.company_id)


def can_view_case(user, case) -> bool:
    return can_list_all(user) or owns(user, case.company_id)


def can_propose(user, case) -> bool:
    return _role(user) in PREPARERS and Stage(case.stage) in DUE


def can_decline(user, case) -> bool:
    proposal = case.proposal
    return (_role(user) in DECIDERS and Stage(case.stage) in PROPOSED and case.stage != Stage.REINSTATEMENT_PROPOSED
            and proposal is not None and proposal.proposed_by_id != user.id)
