"""The application lifecycle: one transition table, one function that applies it.

    draft → submitted → in_review ⇄ info_requested → recommended → approved | rejected
    a draft or an undecided application can be withdrawn by its company.

The table is the specification: ``TRANSITIONS[(status, action)] = (next status, roles allowed)``.
Anything not in it is refused with 409. Domain rules that depend on more than the table (the company
owns the application, the approver is not the recommending reviewer, the application is complete)
are checked by the calling service before ``apply_action()``.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from zone.accounts.roles import Role


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    INFO_REQUESTED = "info_requested"
    RECOMMENDED = "recommended"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    RESUBMIT = "resubmit"
    START_REVIEW = "start_review"
    REQUEST_INFO = "request_info"
    RECOMMEND_APPROVAL = "recommend_approval"
    RECOMMEND_REJECTION = "recommend_rejection"
    APPROVE = "approve"
    REJECT = "reject"


APPLICANT = frozenset({Role.APPLICANT})
REVIEWER = frozenset({Role.REVIEWER})
APPROVER = frozenset({Role.APPROVER})

TRANSITIONS: dict[tuple[Status, Action], tuple[Status, frozenset[Role]]] = {
    (Status.DRAFT, Action.SUBMIT): (Status.SUBMITTED, APPLICANT),
    (Status.DRAFT, Action.WITHDRAW): (Status.WITHDRAWN, APPLICANT),
    (Status.SUBMITTED, Action.WITHDRAW): (Status.WITHDRAWN, APPLICANT),
    (Status.IN_REVIEW, Action.WITHDRAW): (Status.WITHDRAWN, APPLICANT),
    (Status.INFO_REQUESTED, Action.WITHDRAW): (Status.WITHDRAWN, APPLICANT),
    (Status.RECOMMENDED, Action.WITHDRAW): (Status.WITHDRAWN, APPLICANT),
    (Status.SUBMITTED, Action.START_REVIEW): (Status.IN_REVIEW, REVIEWER),
    (Status.IN_REVIEW, Action.REQUEST_INFO): (Status.INFO_REQUESTED, REVIEWER),
    (Status.INFO_REQUESTED, Action.RESUBMIT): (Status.IN_REVIEW, APPLICANT),
    (Status.IN_REVIEW, Action.RECOMMEND_APPROVAL): (Status.RECOMMENDED, REVIEWER),
    (Status.IN_REVIEW, Action.RECOMMEND_REJECTION): (Status.RECOMMENDED, REVIEWER),
    (Status.RECOMMENDED, Action.APPROVE): (Status.APPROVED, APPROVER),
    (Status.RECOMMENDED, Action.REJECT): (Status.REJECTED, APPROVER),
}

OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED, Status.RECOMMENDED})
FINAL_STATUSES = frozenset({Status.APPROVED, Status.REJECTED, Status.WITHDRAWN})
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.INFO_REQUESTED})  # the company may change its data

STATUS_LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.SUBMITTED: _l("Submitted"),
    Status.IN_REVIEW: _l("In review"),
    Status.INFO_REQUESTED: _l("Information requested"),
    Status.RECOMMENDED: _l("Recommended"),
    Status.APPROVED: _l("Approved"),
    Status.REJECTED: _l("Rejected"),
    Status.WITHDRAWN: _l("Withdrawn"),
}

ACTION_LABELS = {
    Action.SUBMIT: _l("Submit"),
    Action.WITHDRAW: _l("Withdraw"),
    Action.RESUBMIT: _l("Send the answer"),
    Action.START_REVIEW: _l("Start review"),
    Action.REQUEST_INFO: _l("Request information"),
    Action.RECOMMEND_APPROVAL: _l("Recommend approval"),
    Action.RECOMMEND_REJECTION: _l("Recommend rejection"),
    Action.APPROVE: _l("Approve"),
    Action.REJECT: _l("Reject"),
}


def allowed_actions(status: str, role: str) -> list[Action]:
    """Actions the table allows from ``status`` for ``role``, in table order."""
    return [action for (state, action), (_next, roles) in TRANSITIONS.items()
            if state == status and role in roles]
