"""The report's states and the one transition table: draft → submitted → returned → submitted … → accepted.

A correction of a submitted or accepted report is not a transition: it is a new version of the report
(``services.correct``), and the old version keeps its state.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from zone.accounts.roles import Role


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    RESUBMIT = "resubmit"
    ACCEPT = "accept"


class Kind(StrEnum):
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


STAFF = frozenset({Role.REVIEWER, Role.APPROVER, Role.ADMIN})
COMPANY = frozenset({Role.APPLICANT})

# (from, action) → (to, roles that may do it)
TRANSITIONS: dict[tuple[Status, Action], tuple[Status, frozenset[Role]]] = {
    (Status.DRAFT, Action.SUBMIT): (Status.SUBMITTED, COMPANY),
    (Status.SUBMITTED, Action.RETURN): (Status.RETURNED, STAFF),
    (Status.RETURNED, Action.RESUBMIT): (Status.SUBMITTED, COMPANY),
    (Status.SUBMITTED, Action.ACCEPT): (Status.ACCEPTED, STAFF),
}

# The company changes figures only while the report is in its hands.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# A report the zone has (a correction is a new version of one of these).
FILED = frozenset({Status.SUBMITTED, Status.ACCEPTED})
OPEN = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)  # waiting on the company or on the zone

STATUS_LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.SUBMITTED: _l("Submitted"),
    Status.RETURNED: _l("Returned with questions"),
    Status.ACCEPTED: _l("Accepted"),
}
ACTION_LABELS = {
    Action.SUBMIT: _l("Submit"),
    Action.RETURN: _l("Return with a question"),
    Action.RESUBMIT: _l("Answer and resubmit"),
    Action.ACCEPT: _l("Accept"),
}
KIND_LABELS = {Kind.QUARTERLY: _l("Quarterly report"), Kind.ANNUAL: _l("Annual report")}
