"""Who may see and change a company: the only place these decisions are made."""

from __future__ import annotations

from zone.accounts.roles import READER_ROLES, Role


def is_member(user, company) -> bool:
    return (user is not None and bool(getattr(user, "is_authenticated", False)) and user.role == Role.APPLICANT
            and company is not None and user.company_id == company.id)


def can_view(user, company) -> bool:
    """Its own users, staff and auditors."""
    return is_member(user, company) or (bool(getattr(user, "is_authenticated", False)) and user.role in READER_ROLES)


def can_edit(user, company) -> bool:
    """Only the company's own users change its profile and invite colleagues (auditors change nothing)."""
    return is_member(user, company)


def can_manage_invitation(user, invitation) -> bool:
    return is_member(user, invitation.company)


def can_resolve_claims(user) -> bool:
    """Disputed tax ids are resolved (merge, transfer, disable a claim) by administrators only."""
    return bool(getattr(user, "is_authenticated", False)) and user.role == Role.ADMIN
