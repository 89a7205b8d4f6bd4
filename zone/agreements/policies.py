"""Who may see and do what with activity agreements. The only place these decisions are made.

- Staff and auditors read every agreement; a company reads its own.
- The company (its applicant users) countersigns its own agreement.
- Staff (reviewer, approver, admin) propose amendments; an approver or an admin who did not propose it
  decides one (four-eyes). Auditors change nothing.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from zone.accounts.roles import READER_ROLES, STAFF_ROLES, Role
from zone.agreements.models import Agreement, AgreementAmendment

DECIDING_ROLES = frozenset({Role.APPROVER, Role.ADMIN})


def _role(user) -> str | None:
    return getattr(user, "role", None) if user is not None and user.is_authenticated else None


def can_list_all(user) -> bool:
    """Staff and auditors see every agreement."""
    return _role(user) in READER_ROLES


def owns(user, agreement: Agreement) -> bool:
    """``user`` acts for the agreement's company."""
    return _role(user) == Role.APPLICANT and user.company_id is not None and user.company_id == agreement.company_id


def can_view(user, agreement: Agreement) -> bool:
    """Staff and auditors see every agreement; a company sees its own."""
    return _role(user) in READER_ROLES or owns(user, agreement)


def can_countersign(user, agreement: Agreement) -> bool:
    """Only the company's own people sign for it."""
    return owns(user, agreement)


def can_propose(user, agreement: Agreement) -> bool:
    """Staff propose amendments (supplementary agreements)."""
    return _role(user) in STAFF_ROLES


def decision_refusal(user, amendment: AgreementAmendment):
    """Why ``user`` may not approve or reject ``amendment``, or None."""
    if _role(user) not in DECIDING_ROLES:
        return _l("Only an approver or an administrator decides an amendment.")
    if amendment.proposed_by_id == user.id:
        return _l("You proposed this amendment, so another approver or administrator must decide it "
                  "(four-eyes rule).")
    return None


def can_decide(user, amendment: AgreementAmendment) -> bool:
    return decision_refusal(user, amendment) is None
