"""Who may see and do what in the review. The only place these decisions are made.

The transition table (``zone.applications.workflow``) says which role may take which action in which
status; the rules here add what depends on the people involved: the assignee does the review, and the
approver is never the person who recommended or reviewed the application (four-eyes).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from zone.accounts.roles import READER_ROLES, STAFF_ROLES, Role
from zone.applications.models import Application
from zone.applications.workflow import TRANSITIONS, Action, Status
from zone.companies import claims

REVIEW_ACTIONS = (Action.START_REVIEW, Action.REQUEST_INFO, Action.RECOMMEND_APPROVAL,
                  Action.RECOMMEND_REJECTION, Action.APPROVE, Action.REJECT)
ASSIGNEE_ACTIONS = frozenset({Action.REQUEST_INFO, Action.RECOMMEND_APPROVAL, Action.RECOMMEND_REJECTION})
DECISION_ACTIONS = frozenset({Action.APPROVE, Action.REJECT})


def _role(user) -> str | None:
    return getattr(user, "role", None) if user is not None and user.is_authenticated else None


def can_view_queue(user) -> bool:
    """Staff and auditors see the queue and the dashboard."""
    return _role(user) in READER_ROLES


def can_view(user, application: Application) -> bool:
    """Staff and auditors see every application a company has submitted (never a draft)."""
    return can_view_queue(user) and application.status != Status.DRAFT


def can_see_internal(user) -> bool:
    """Internal notes and the checklist: staff and auditors, never the company."""
    return _role(user) in READER_ROLES


def can_edit_review(user, application: Application) -> bool:
    """Notes, messages and the checklist: staff (auditors read only)."""
    return _role(user) in STAFF_ROLES and can_view(user, application)


def can_reassign(user, application: Application) -> bool:
    """An admin may give an open application to another reviewer."""
    return _role(user) == Role.ADMIN and application.status in (
        Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED, Status.RECOMMENDED)


def four_eyes_refusal(user, application: Application):
    """Why ``user`` may not decide ``application`` (they recommended or reviewed it), or None."""
    if application.recommended_by_id is not None and application.recommended_by_id == user.id:
        return _l("You recommended this application, so another approver must decide it (four-eyes rule).")
    if application.assignee_id is not None and application.assignee_id == user.id:
        return _l("You reviewed this application, so another approver must decide it (four-eyes rule).")
    return None


def assignee_refusal(user, application: Application):
    """Why ``user`` may not take a reviewer's step on ``application`` (someone else reviews it), or None."""
    assignee = application.assignee
    if assignee is not None and assignee.id != user.id:
        return _l("%(name)s reviews this application. Ask an administrator to reassign it to you.",
                  name=assignee.display_name)
    return None


def action_refusal(user, application: Application, action: Action | str):
    """Why ``user`` may not take ``action`` on ``application`` now, or None when they may.

    Returns ``(code, message)``: ``illegal_transition`` (the status does not allow it), ``forbidden``
    (the role may not), ``not_assignee``, ``four_eyes``, or for an approval ``claim_disputed`` /
    ``claim_closed`` (the company's claim on its tax id is disputed or was closed by an administrator).
    """
    action = Action(action)
    transition = TRANSITIONS.get((Status(application.status), action))
    if transition is None:
        return "illegal_transition", _l("This step is not possible in the application's current status.")
    if _role(user) not in transition[1]:
        return "forbidden", _l("Your role cannot take this step.")
    if (action == Action.START_REVIEW or action in ASSIGNEE_ACTIONS) and (
            reason := assignee_refusal(user, application)):
        return "not_assignee", reason
    if action in DECISION_ACTIONS and (reason := four_eyes_refusal(user, application)):
        return "four_eyes", reason
    if action == Action.APPROVE:
        return claims.approval_refusal(application.company)
    return None


def can_act(user, application: Application, action: Action | str) -> bool:
    """True when ``user`` may take ``action`` on ``application`` now."""
    return action_refusal(user, application, action) is None
