"""Applying the transition table: the only code that changes an application's status.

Callers load the application with ``zone.database.get_for_update()`` (a row lock on PostgreSQL, the
write lock on SQLite), check their domain rules, then call ``apply_action()``; it checks the table, the
role and the version, records the history entry and the audit event, and bumps the version.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.accounts.models import User
from zone.applications.models import Application, ApplicationEvent
from zone.applications.workflow import ACTION_LABELS, STATUS_LABELS, TRANSITIONS, Action, Status
from zone.audit.services import record
from zone.database import utcnow
from zone.errors import Conflict, Forbidden, StaleVersion
from zone.extensions import db


def changes_since(application: Application, version: int) -> list[dict]:
    """What happened to the application after ``version``: who, when, what (for 409 messages)."""
    events = db.session.scalars(
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id == application.id, ApplicationEvent.version > version)
        .order_by(ApplicationEvent.id)
    ).all()
    return [
        {
            "version": e.version,
            "at": e.at.isoformat(),
            "by": e.actor.display_name if e.actor else None,
            "kind": e.kind,
            "action": e.action,
            "fields": (e.details or {}).get("fields"),
        }
        for e in events
    ]


def check_version(application: Application, expected_version: int | None) -> None:
    """Refuse with 409 when the caller saw an older version; the error says who changed what."""
    if expected_version is None or int(expected_version) == application.version:
        return
    changes = changes_since(application, int(expected_version))
    who = ", ".join(sorted({c["by"] for c in changes if c["by"]})) or "—"
    raise StaleVersion(
        _l("This application was changed by %(who)s after you opened it (now version %(version)s). "
           "Reload it to see the changes; nothing was overwritten.", who=who, version=application.version),
        details={"current_version": application.version, "changes": changes},
    )


def add_event(application: Application, actor: User | None, kind: str, *, action: str | None = None,
              from_status: str | None = None, to_status: str | None = None, comment: str | None = None,
              visible_to_company: bool = True, details: dict | None = None,
              bump_version: bool = True) -> ApplicationEvent:
    """Record one step in the application's history (and bump its version unless told not to)."""
    if bump_version:
        application.version += 1
        application.updated_at = utcnow()
        application.updated_by_id = actor.id if actor else None
    event = ApplicationEvent(
        application_id=application.id, version=application.version, actor_id=actor.id if actor else None,
        kind=kind, action=action, from_status=from_status, to_status=to_status, comment=comment,
        visible_to_company=visible_to_company, details=details,
    )
    db.session.add(event)
    return event


def apply_action(application: Application, action: Action | str, actor: User, *,
                 expected_version: int | None = None, comment: str | None = None,
                 details: dict | None = None) -> ApplicationEvent:
    """Move the application along the transition table, or raise Conflict/Forbidden/StaleVersion."""
    action = Action(action)
    current = Status(application.status)
    check_version(application, expected_version)
    transition = TRANSITIONS.get((current, action))
    if transition is None:
        raise Conflict(
            _l("“%(action)s” is not possible while the application is “%(status)s”.",
               action=ACTION_LABELS[action], status=STATUS_LABELS[current]),
            code="illegal_transition",
            details={"status": current.value, "action": action.value},
        )
    target, roles = transition
    if actor.role not in roles:
        raise Forbidden(_l("Your role cannot perform “%(action)s”.", action=ACTION_LABELS[action]))
    application.status = target
    event = add_event(application, actor, "transition", action=action, from_status=current,
                      to_status=target, comment=comment, details=details)
    record(f"application.{action.value}", application,
           details={"from": current.value, "to": target.value, "comment": comment, "version": application.version,
                    **(details or {})},
           actor=actor)
    return event
