"""Who may see and change an application and its documents: the only place these decisions are made.

A company's users see and change only their own company's applications; staff and auditors see every
application; auditors change nothing. Routes answer 404 (not 403) when ``can_view`` is false, so a
company never learns that another company's application exists.
"""

from __future__ import annotations

from zone.accounts.roles import READER_ROLES, Role
from zone.applications.models import Application, Document
from zone.applications.workflow import EDITABLE_STATUSES


def _signed_in(user) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def is_member(user, application: Application) -> bool:
    """The user acts for the company that owns the application."""
    return (_signed_in(user) and user.role == Role.APPLICANT and user.company_id is not None
            and user.company_id == application.company_id)


def can_view(user, application: Application) -> bool:
    return _signed_in(user) and (user.role in READER_ROLES or is_member(user, application))


def can_edit(user, application: Application) -> bool:
    """Change fields and upload documents: the company, while draft or information requested."""
    return is_member(user, application) and application.status in EDITABLE_STATUSES


def can_act(user, application: Application) -> bool:
    """Submit, withdraw, resubmit: the company (the transition table decides which action fits the status)."""
    return is_member(user, application)


def can_download(user, document: Document, application: Application) -> bool:
    return document.application_id == application.id and can_view(user, application)


def sees_internal(user) -> bool:
    """History entries hidden from the company (internal notes) are shown to staff and auditors only."""
    return _signed_in(user) and user.role in READER_ROLES
