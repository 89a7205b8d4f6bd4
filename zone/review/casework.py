"""The casework around an application that is not a transition: an administrator's reassignment, internal
notes, messages to the company and the review checklist. Callers (HTML routes) own the transaction; every
change is audited.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.accounts.models import User
from zone.accounts.roles import Role
from zone.applications.lifecycle import add_event, check_version
from zone.applications.models import Application, ApplicationEvent
from zone.audit.services import record
from zone.database import utcnow
from zone.errors import Conflict, Forbidden, ValidationFailed
from zone.extensions import db
from zone.review import notifications
from zone.review.checklist import CHECKLIST_ITEMS
from zone.review.models import ChecklistItem
from zone.review.policies import can_edit_review, can_reassign
from zone.review.services import text_value
from zone.web.text import SINGLE_LINE_MESSAGE, text_problem


def reassign(application: Application, actor: User, assignee: User | None, *, version: int | None) -> ApplicationEvent:
    """An admin gives the application to another reviewer (not a transition; audited, bumps the version)."""
    if not can_reassign(actor, application):
        raise Forbidden(_l("Only an administrator can reassign an open application."))
    if version is None:
        raise ValidationFailed(_l("The version you saw is missing; reload the page."),
                               fields={"version": [_l("This field is required.")]})
    check_version(application, version)
    if assignee is None or assignee.role != Role.REVIEWER or not assignee.active:
        raise ValidationFailed(_l("Choose an active reviewer."),
                               fields={"assignee": [_l("Choose an active reviewer.")]})
    if assignee.id == application.assignee_id:
        raise Conflict(_l("The application is already assigned to %(name)s.", name=assignee.display_name),
                       code="unchanged")
    previous = application.assignee_id
    application.assignee_id = assignee.id
    event = add_event(application, actor, "assign", visible_to_company=False,
                      details={"from": previous, "to": assignee.id, "fields": ["assignee"]})
    record("application.reassign", application, details={"from": previous, "to": assignee.id,
                                                          "version": application.version}, actor=actor)
    return event


def add_note(application: Application, actor: User, text: Any) -> ApplicationEvent:
    """An internal note: staff and auditors see it, the company never does."""
    if not can_edit_review(actor, application):
        raise Forbidden(_l("Your role cannot add notes."))
    body = text_value(text, "text", required=True, message=_l("Write the note."))
    event = add_event(application, actor, "note", comment=body, visible_to_company=False, bump_version=False)
    record("application.note", application, details={"text": body}, actor=actor)
    return event


def send_message(application: Application, actor: User, text: Any) -> ApplicationEvent:
    """A message to the company: shown in its history and sent by email."""
    if not can_edit_review(actor, application):
        raise Forbidden(_l("Your role cannot write to the company."))
    body = text_value(text, "text", required=True, message=_l("Write the message."))
    event = add_event(application, actor, "message", comment=body, visible_to_company=True, bump_version=False)
    record("application.message", application, details={"text": body}, actor=actor)
    notifications.notify_company(application, "review/mail/message.txt", message=body)
    return event


def checklist_state(application: Application) -> dict[str, ChecklistItem]:
    """The saved checklist of ``application`` by item code."""
    rows = db.session.scalars(select(ChecklistItem).where(ChecklistItem.application_id == application.id)).all()
    return {row.item: row for row in rows}


def save_checklist(application: Application, actor: User, checked: set[str] | list[str],
                   comments: dict[str, str] | None = None) -> list[str]:
    """Store which checklist items are ticked (and their remarks). Returns the items that changed."""
    if not can_edit_review(actor, application):
        raise Forbidden(_l("Your role cannot change the checklist."))
    checked = set(checked)
    unknown = checked - set(CHECKLIST_ITEMS)
    if unknown:
        raise ValidationFailed(_l("Unknown checklist item."), fields={"items": sorted(unknown)})
    comments = comments or {}
    if any(text_problem(text) for text in comments.values()):  # each remark is one line
        raise ValidationFailed(SINGLE_LINE_MESSAGE, fields={"comments": [SINGLE_LINE_MESSAGE]})
    state = checklist_state(application)
    changed: list[str] = []
    now = utcnow()
    for item in CHECKLIST_ITEMS:
        row = state.get(item)
        tick = item in checked
        remark = (comments.get(item) or "").strip()[:500] or None
        if row is None:
            if not tick and not remark:
                continue
            row = ChecklistItem(application_id=application.id, item=item)
            db.session.add(row)
        elif row.checked == tick and row.comment == remark:
            continue
        row.checked, row.comment, row.updated_by_id, row.updated_at = tick, remark, actor.id, now
        changed.append(item)
    if changed:
        details = {"checked": sorted(i for i in changed if i in checked),
                   "unchecked": sorted(i for i in changed if i not in checked)}
        add_event(application, actor, "checklist", visible_to_company=False, bump_version=False, details=details)
        record("application.checklist", application, details=details, actor=actor)
    return changed
