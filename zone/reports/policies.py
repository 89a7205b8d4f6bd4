"""Who may see and do what with reports. The only place these decisions are made.

- Staff and auditors read every report; a company reads its own and no other's.
- The company (its applicant users) starts, fills in, submits, answers and corrects its own reports.
- Staff (reviewer, approver, admin) return a report with a question and accept it. Auditors change nothing.
"""

from __future__ import annotations

from zone.accounts.roles import READER_ROLES, STAFF_ROLES, Role
from zone.agreements import policies as agreement_policies
from zone.reports.models import Report
from zone.reports.workflow import EDITABLE, FILED, Status


def _role(user) -> str | None:
    return getattr(user, "role", None) if user is not None and user.is_authenticated else None


def can_list_all(user) -> bool:
    return _role(user) in READER_ROLES


def owns(user, report: Report) -> bool:
    return _role(user) == Role.APPLICANT and user.company_id is not None and user.company_id == report.company_id


def can_view(user, report: Report) -> bool:
    return can_list_all(user) or owns(user, report)


def can_start(user, agreement) -> bool:
    """The company reports on its own agreements."""
    return agreement_policies.owns(user, agreement)


def can_edit(user, report: Report) -> bool:
    return owns(user, report) and report.status in EDITABLE and bool(report.head)


def can_submit(user, report: Report) -> bool:
    return owns(user, report) and report.status in (Status.DRAFT, Status.RETURNED) and bool(report.head)


def can_correct(user, report: Report) -> bool:
    return owns(user, report) and report.status in FILED and bool(report.head)


def can_decide(user, report: Report) -> bool:
    """Staff return a submitted report with a question or accept it."""
    return _role(user) in STAFF_ROLES and report.status == Status.SUBMITTED and bool(report.head)
