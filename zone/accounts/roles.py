"""Roles of the people who use zone."""

from enum import StrEnum


class Role(StrEnum):
    APPLICANT = "applicant"  # belongs to one company
    REVIEWER = "reviewer"
    APPROVER = "approver"
    AUDITOR = "auditor"
    ADMIN = "admin"
    AUTHORITY = "authority"  # a tax or customs service of one side: reads the events feed, nothing else


STAFF_ROLES = frozenset({Role.REVIEWER, Role.APPROVER, Role.ADMIN})
READER_ROLES = STAFF_ROLES | {Role.AUDITOR}  # may read every application and certificate
# Accounts of bodies outside the zone: only the routes that name their role admit them (not even
# "any signed-in user"), apart from their own account (password, sign-out, their token).
OUTSIDE_ROLES = frozenset({Role.AUTHORITY})
ALL_ROLES = frozenset(Role)


def role_label(role: str) -> str:
    from flask_babel import gettext as _

    labels = {
        Role.APPLICANT: _("Company representative"),
        Role.REVIEWER: _("Reviewer"),
        Role.APPROVER: _("Approver"),
        Role.AUDITOR: _("Auditor"),
        Role.ADMIN: _("Administrator"),
        Role.AUTHORITY: _("Tax or customs authority"),
    }
    return labels.get(role, role)
