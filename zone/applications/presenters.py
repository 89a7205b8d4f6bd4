"""What the company's pages show: next steps, section states, the timeline and the dashboard rows.

Read-only helpers for templates. The dashboard is built with a fixed number of queries whatever the
number of rows (no query per application).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select

from zone.accounts.models import User
from zone.accounts.roles import Role
from zone.api.common import actor_name
from zone.applications import fields
from zone.applications.models import Application, ApplicationEvent, ApplicationReadMark, Document
from zone.applications.workflow import ACTION_LABELS, STATUS_LABELS, Action, Status
from zone.extensions import db

SECTION_TITLES = {fields.COMPANY_SECTION: _l("Company profile"), **{k: s.title for k, s in fields.SECTIONS.items()},
                  fields.DOCUMENTS_SECTION: _l("Documents")}


def section_url(application_id: int, section: str, path: str | None = None) -> str:
    """The page holding ``section`` (a form section or the documents page), anchored at the field."""
    anchor = path.replace(".", "-") if path else None
    if section == fields.COMPANY_SECTION:  # the profile's own page, which returns to the application once saved
        column = path.split(".", 1)[-1] if path else None
        return url_for("companies.profile", application=application_id, _anchor=column)
    if section == fields.DOCUMENTS_SECTION:
        return url_for("applications.documents", application_id=application_id, _anchor=anchor)
    return url_for("applications.edit_section", application_id=application_id, section=section, _anchor=anchor)


@dataclass
class Problem:
    path: str
    label: Any
    messages: list
    section: str
    url: str


def problem_list(application_id: int, problems: dict[str, list]) -> list[Problem]:
    """Problems in checklist order (the company's profile, the sections in order, documents last), each with a
    link to its field."""
    order = {key: i for i, key in enumerate(fields.CHECKLIST_ORDER)}
    field_order = {name: i for i, name in enumerate(fields.FIELDS)}
    items = []
    for path, messages in problems.items():
        section = fields.section_of(path)
        items.append(Problem(path, fields.label_of(path), [str(m) for m in messages], section,
                             section_url(application_id, section, path)))
    items.sort(key=lambda p: (order.get(p.section, 99), field_order.get(p.path.split(".")[0], 99), p.path))
    return items


def section_states(problems: dict[str, list]) -> list[dict]:
    """The company's profile, each section and the documents, with the number of their open problems."""
    counts: dict[str, int] = {}
    for path in problems:
        key = fields.section_of(path)
        counts[key] = counts.get(key, 0) + 1
    return [{"key": key, "title": SECTION_TITLES[key], "open": counts.get(key, 0)}
            for key in fields.CHECKLIST_ORDER]


def next_step(application: Application, problems: dict[str, list] | None) -> str:
    """One sentence: what the company should do (or wait for) now."""
    status = application.status
    if status == Status.DRAFT:
        if problems:
            names = ", ".join(str(SECTION_TITLES[k]) for k in fields.sections_with_problems(problems))
            return _("Complete: %(sections)s.", sections=names)
        return _("Everything is filled in: check the data and submit the application.")
    if status == Status.SUBMITTED:
        return _("Received; the review will start soon.")
    if status == Status.IN_REVIEW:
        return _("Under review. Wait for the decision or for questions from the reviewer.")
    if status == Status.INFO_REQUESTED:
        if application.info_deadline:
            from zone.web.formatting import fmt_date

            return _("Answer the information request by %(date)s.", date=fmt_date(application.info_deadline))
        return _("Answer the information request.")
    if status == Status.RECOMMENDED:
        return _("The reviewer has made a recommendation; the final decision follows.")
    if status == Status.APPROVED:
        return _("Approved. Your residency certificate is issued.")
    if status == Status.REJECTED:
        return _("Rejected. The reasons are in the history of the application.")
    return _("Withdrawn. No further steps.")


def deadline_of(application: Application) -> date | None:
    if application.status == Status.INFO_REQUESTED:
        return application.info_deadline
    if application.status in (Status.SUBMITTED, Status.IN_REVIEW, Status.RECOMMENDED):
        return application.review_deadline
    return None


# --- the timeline ---------------------------------------------------------------------------------

def _field_sections(names: list[str] | None) -> str:
    keys = []
    for name in names or []:
        key = fields.section_of(name)
        if key not in keys:
            keys.append(key)
    return ", ".join(str(SECTION_TITLES[k]) for k in keys)


def describe(event: ApplicationEvent) -> str:
    """A sentence for one history entry, in the user's language."""
    details = event.details or {}
    if event.kind == "transition" and event.action in set(Action):
        to = STATUS_LABELS.get(event.to_status, event.to_status)
        return _("%(action)s → %(status)s", action=ACTION_LABELS[Action(event.action)], status=to)
    if event.kind == "created":
        return _("Application created")
    if event.kind == "edit":
        return _("Changed: %(sections)s", sections=_field_sections(details.get("fields")))
    if event.kind == "document":
        kind = fields.DOCUMENT_LABELS.get(details.get("kind"), details.get("kind"))
        return _("Document uploaded: %(kind)s (%(name)s)", kind=kind, name=details.get("filename", ""))
    if event.kind == "message":
        return _("Message")
    if event.kind == "note":
        return _("Internal note")
    return event.kind


def timeline(application_id: int, include_internal: bool, viewer) -> list[dict]:
    """The history, oldest first; the company sees only entries meant for it, and the zone's staff only as
    the ICIC administration (:func:`zone.api.common.actor_name`, as the API shows them)."""
    stmt = select(ApplicationEvent).where(ApplicationEvent.application_id == application_id)
    if not include_internal:
        stmt = stmt.where(ApplicationEvent.visible_to_company.is_(True))
    entries = []
    for event in db.session.scalars(stmt.order_by(ApplicationEvent.id)):
        actor = event.actor
        who = actor_name(actor, viewer)
        # "(ICIC administration)" follows a staff member's name where the reader may see names.
        from_staff = actor is not None and actor.role != Role.APPLICANT and who == actor.display_name
        entries.append({"at": event.at, "who": who or _("System"),
                        "from_staff": from_staff, "text": describe(event), "comment": event.comment,
                        "kind": event.kind, "internal": not event.visible_to_company, "to_status": event.to_status})
    return entries


def open_information_request(application_id: int) -> ApplicationEvent | None:
    """The reviewer's latest request for information (its message is what the company must answer)."""
    return db.session.scalar(select(ApplicationEvent).where(
        ApplicationEvent.application_id == application_id, ApplicationEvent.action == Action.REQUEST_INFO)
        .order_by(ApplicationEvent.id.desc()).limit(1))


# --- the dashboard ------------------------------------------------------------------------------

@dataclass
class DashboardRow:
    application: Application
    next_step: str
    deadline: date | None
    unread: int = 0
    last_message: str | None = None
    last_message_at: datetime | None = None
    problems: dict = field(default_factory=dict)


def _staff_messages(ids: list[int]):
    """Messages to the company: visible entries with a text written by staff."""
    return and_(ApplicationEvent.application_id.in_(ids), ApplicationEvent.visible_to_company.is_(True),
                ApplicationEvent.comment.is_not(None), User.role != Role.APPLICANT)


def dashboard_rows(company_id: int, user_id: int, after_id: int | None,
                   limit: int) -> tuple[list[DashboardRow], int | None]:
    """A page of the company's applications, newest first (keyset on id), and the id to continue after."""
    stmt = select(Application).where(Application.company_id == company_id)
    if after_id is not None:
        stmt = stmt.where(Application.id < after_id)
    apps = list(db.session.scalars(stmt.order_by(Application.id.desc()).limit(limit + 1)))
    more = len(apps) > limit
    apps = apps[:limit]
    ids = [a.id for a in apps]
    if not ids:
        return [], None
    kinds: dict[int, set[str]] = {}
    for app_id, kind in db.session.execute(select(Document.application_id, Document.kind)
                                           .where(Document.application_id.in_(ids)).distinct()):
        kinds.setdefault(app_id, set()).add(kind)
    mark = ApplicationReadMark
    unread = dict(db.session.execute(
        select(ApplicationEvent.application_id, func.count(ApplicationEvent.id))
        .join(User, User.id == ApplicationEvent.actor_id)
        .outerjoin(mark, and_(mark.application_id == ApplicationEvent.application_id, mark.user_id == user_id))
        .where(_staff_messages(ids), ApplicationEvent.id > func.coalesce(mark.last_event_id, 0))
        .group_by(ApplicationEvent.application_id)).all())
    newest = (select(func.max(ApplicationEvent.id)).join(User, User.id == ApplicationEvent.actor_id)
              .where(_staff_messages(ids)).group_by(ApplicationEvent.application_id))
    last = {e.application_id: e for e in db.session.scalars(select(ApplicationEvent)
                                                            .where(ApplicationEvent.id.in_(newest)))}
    rows = []
    for app in apps:
        problems = {}
        if app.status == Status.DRAFT:
            problems = fields.missing(fields.values_of(app), app.company.registration_country, kinds.get(app.id, set()),
                                      company=app.company)
        message = last.get(app.id)
        rows.append(DashboardRow(app, next_step(app, problems), deadline_of(app), unread.get(app.id, 0),
                                 message.comment if message else None, message.at if message else None, problems))
    return rows, (apps[-1].id if more else None)


# --- showing values -----------------------------------------------------------------------------

def display_value(application: Application, name: str, locale: str) -> str:
    """A field's saved value as the user reads it (numbers, dates and countries in their language)."""
    value = getattr(application, name)
    if value is None or value == [] or value == {}:
        return "—"
    return fields.FIELDS[name].kind.display(value, fields.values_of(application), locale)
