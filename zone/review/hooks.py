"""React to the company answering an information request, whoever's code records the answer.

The applications domain records the answer as a ``resubmit`` transition; when that history entry is
flushed, the review restarts its paused clock and emails the assignee, in the same transaction.
"""

from __future__ import annotations

from flask import Flask, has_app_context
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from zone.applications.models import Application, ApplicationEvent
from zone.applications.workflow import Action


@event.listens_for(Session, "before_flush")
def _answered(session: Session, _flush_context, _instances) -> None:
    if not has_app_context():
        return
    answers = [obj for obj in session.new
               if isinstance(obj, ApplicationEvent) and obj.kind == "transition" and obj.action == Action.RESUBMIT
               and not getattr(obj, "_review_handled", False)]
    if not answers:
        return
    from zone.review.services import answer_received

    with session.no_autoflush:
        for answer in answers:
            answer._review_handled = True  # type: ignore[attr-defined]
            application = session.get(Application, answer.application_id)
            if application is not None:
                answer_received(application, answer)


def init_app(app: Flask) -> None:
    """Nothing to configure: importing this module registers the session hook."""
