"""Who may see and do what in cooperation. The only place these decisions are made.

- A resident's people (applicants of a company with a live certificate) publish its offers and needs,
  see matches, and write to residents of the other side.
- A company sees its own needs and offers in full; of another company it sees only what a match shows
  (the company's name, side, the matched product or need), never its list of needs or its requests.
- A contact request is seen by its two companies and by staff and auditors; only the two companies act
  on it, each in its own part (see :mod:`zone.cooperation.workflow`). Staff change nothing.
"""

from __future__ import annotations

from zone.accounts.roles import READER_ROLES, Role
from zone.cooperation.models import ContactRequest, Need, Offer
from zone.cooperation.workflow import RECIPIENT, SENDER


def _role(user) -> str | None:
    return getattr(user, "role", None) if user is not None and user.is_authenticated else None


def company_of(user) -> int | None:
    """The company ``user`` acts for, if it is a company's representative."""
    return user.company_id if _role(user) == Role.APPLICANT and user.company_id is not None else None


def can_read_all(user) -> bool:
    return _role(user) in READER_ROLES


def owns(user, row: Offer | Need) -> bool:
    return company_of(user) is not None and company_of(user) == row.company_id


def party(user, request: ContactRequest) -> str | None:
    """``sender`` or ``recipient`` when ``user`` acts for one of the request's companies."""
    company = company_of(user)
    if company is None:
        return None
    if company == request.sender_company_id:
        return SENDER
    if company == request.recipient_company_id:
        return RECIPIENT
    return None


def can_view_request(user, request: ContactRequest) -> bool:
    return can_read_all(user) or party(user, request) is not None
