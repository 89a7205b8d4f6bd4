"""Roles of the people who use zone."""

from enum import StrEnum


class Role(StrEnum):
    APPLICANT = "applicant"  # belongs to one company
    REVIEWER = "reviewer"
    APPROVER = "approver"
    AUDITOR = "auditor"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.REVIEWER, Role.APPROVER, Role.ADMIN})
READER_ROLES = STAFF_ROLES | {Role.AUDITOR}  # may read every application and certificate
ALL_ROLES = frozenset(Role)


def role_label(role: str) -> str:
    from flask_babel import gettext as _

    labels = {
        Role.APPLICANT: _("Company representative"),
        Role.REVIEWER: _("Reviewer"),
        Role.APPROVER: _("Approver"),
        Role.AUDITOR: _("Auditor"),
        Role.ADMIN: _("Administrator"),
    }
    return labels.get(role, role)
