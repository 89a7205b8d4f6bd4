"""Every state change of an application by its company: create, edit, submit, withdraw, resubmit.

Services validate with :mod:`zone.applications.fields`, change the objects, record the history entry
and the audit event and queue mail; they never read ``request`` and never commit (the route does).
Callers load the application with ``zone.database.get_for_update()`` and check the policy first.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.accounts.models import User
from zone.accounts.roles import Role
from zone.applications import assessment, fields
from zone.applications.lifecycle import add_event, apply_action, check_version
from zone.applications.models import Application, ApplicationCounter, ApplicationEvent, ApplicationReadMark, Document
from zone.applications.values import clean_text
from zone.applications.workflow import EDITABLE_STATUSES, Action, Status
from zone.audit.services import record
from zone.calendar import local_date
from zone.calendar import today as zone_today
from zone.companies.models import Company
from zone.database import utcnow
from zone.errors import Conflict, ValidationFailed
from zone.extensions import db
from zone.mail.services import queue_mail
from zone.review.deadlines import review_deadline_for
from zone.web.text import normalise_newlines, text_problem

NOT_EDITABLE = _l("The application can be changed only while it is a draft or while information is requested.")


def company_users(company_id: int) -> list[User]:
    """The company's active accounts (the people who hear about its applications)."""
    return list(db.session.scalars(
        select(User).where(User.company_id == company_id, User.role == Role.APPLICANT, User.active.is_(True))
        .order_by(User.id)))


def _audit_value(value: Any) -> Any:
    return value if not isinstance(value, str) or len(value) <= 500 else value[:500] + "…"


def _apply(application: Application, values: Mapping[str, Any]) -> list[str]:
    changed = []
    for name, value in values.items():
        if getattr(application, name) != value:
            setattr(application, name, value)
            changed.append(name)
    return changed


def _validated(application: Application | None, data: Mapping[str, Any]) -> dict[str, Any]:
    values, errors = fields.clean(data)
    if application is not None and "side" in values and values["side"] != application.side \
            and application.status != Status.DRAFT:
        errors.setdefault("side", []).append(_l("The part of the centre cannot be changed after submission."))
    merged = {**(fields.values_of(application) if application is not None else {}), **values}
    for path, messages in fields.consistency(merged).items():
        if path in values or any(name in values for name in _PAIRS.get(path, ())):
            errors.setdefault(path, []).extend(messages)
    if errors:
        raise ValidationFailed(_l("Some values are not valid. Correct them and save again."), fields=errors)
    return values


_PAIRS = {"jobs_local": ("jobs_total",), "production_start": ("construction_start",)}


def create_application(company: Company, actor: User, data: Mapping[str, Any]) -> Application:
    """A new draft of ``company`` with whatever fields were given (a draft may lack any)."""
    values = _validated(None, data)
    application = Application(company_id=company.id, created_by_id=actor.id, updated_by_id=actor.id,
                              status=Status.DRAFT, version=1, **values)
    db.session.add(application)
    db.session.flush()
    add_event(application, actor, "created", details={"fields": sorted(values)}, bump_version=False)
    record("application.create", application, actor=actor,
           details={"company_id": company.id, "side": application.side,
                    "values": {k: _audit_value(v) for k, v in values.items()}})
    return application


def update_application(application: Application, actor: User, data: Mapping[str, Any],
                       expected_version: int | None = None) -> list[str]:
    """Change the given fields of a draft (or of an application awaiting information). Returns the
    names that changed; unchanged input changes nothing (no version bump).

    Raises Conflict (not editable), StaleVersion (``expected_version`` is old) or ValidationFailed.
    """
    if application.status not in EDITABLE_STATUSES:
        raise Conflict(NOT_EDITABLE, code="not_editable", details={"status": application.status})
    check_version(application, expected_version)
    values = _validated(application, data)
    changed = _apply(application, values)
    if changed:
        add_event(application, actor, "edit", details={"fields": changed})
        record("application.update", application, actor=actor,
               details={"fields": changed, "version": application.version,
                        "values": {k: _audit_value(values[k]) for k in changed}})
    return changed


def current_documents(application_id: int) -> dict[str, Document]:
    """The newest document of each kind."""
    current: dict[str, Document] = {}
    for doc in db.session.scalars(select(Document).where(Document.application_id == application_id)
                                  .order_by(Document.id)):
        current[doc.kind] = doc
    return current


def submission_problems(application: Application, document_kinds: set[str] | None = None,
                        optional: Collection[str] = ()) -> dict[str, list]:
    """Everything that stops submission (empty when the application is complete), keyed by field path,
    ``company.<column>`` and ``documents.<kind>``; fields in ``optional`` do not stop it by their absence."""
    if document_kinds is None:
        document_kinds = set(current_documents(application.id))
    return fields.missing(fields.values_of(application), application.company.registration_country, document_kinds,
                          optional, company=application.company)


def _require_complete(application: Application, optional: Collection[str] = ()) -> None:
    problems = submission_problems(application, optional=optional)
    if problems:
        raise ValidationFailed(
            _l("The application is not complete: %(n)s items are missing or not valid.", n=len(problems)),
            code="incomplete", fields=problems)


def _next_number(year: int) -> str:
    """``A-{year}-{NNNNN}``, gap-free per year: the year's counter row is locked until the commit."""
    bind = db.session.get_bind()
    if bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(ApplicationCounter).values(year=year, last_number=0)
                       .on_conflict_do_nothing(index_elements=["year"]))
    counter = db.session.execute(
        select(ApplicationCounter).where(ApplicationCounter.year == year).with_for_update()
        .execution_options(populate_existing=True)).scalar_one()
    counter.last_number += 1
    db.session.flush()
    return f"A-{year}-{counter.last_number:05d}"


def _notify(application: Application, template: str, **context) -> None:
    for user in company_users(application.company_id):
        queue_mail(user.email, f"applications/mail/{template}.txt", locale=user.locale or "ru", user=user,
                   application=application, **context)


def submit(application: Application, actor: User, expected_version: int | None = None,
           optional: Collection[str] = ()) -> ApplicationEvent:
    """Submit a complete draft: give it its number, the review deadline and an eligibility snapshot, and
    tell the company's users it was received. 409 when not a draft; 422 listing everything missing
    (``optional`` fields only when given and invalid)."""
    check_version(application, expected_version)
    now = utcnow()
    today = local_date(now)
    if application.status == Status.DRAFT:  # otherwise apply_action refuses the transition (409)
        _require_complete(application, optional)
        application.number = _next_number(today.year)
        application.submitted_at = now
        application.review_deadline = review_deadline_for(application.side, now)
    event = apply_action(application, Action.SUBMIT, actor, expected_version=expected_version,
                         details={"number": application.number})
    application.investment_usd = assessment.take_snapshot(application, "submission", today, actor)
    _notify(application, "received")
    return event


def _comment(raw: Any) -> str | None:
    if problem := text_problem(raw, multiline=True):
        raise ValidationFailed(problem, fields={"comment": [problem]})
    text = clean_text(normalise_newlines(raw))[:5000] if isinstance(raw, str) else ""
    return text or None


def withdraw(application: Application, actor: User, expected_version: int | None = None,
             comment: str | None = None) -> ApplicationEvent:
    """Withdraw a draft or an undecided application (409 otherwise)."""
    comment = _comment(comment)
    event = apply_action(application, Action.WITHDRAW, actor, expected_version=expected_version, comment=comment)
    if application.submitted_at is not None:
        _notify(application, "withdrawn")
    return event


def resubmit(application: Application, actor: User, expected_version: int | None = None,
             comment: str | None = None, optional: Collection[str] = ()) -> ApplicationEvent:
    """Send the answer to an information request: the application (still complete) goes back to review."""
    check_version(application, expected_version)
    if application.status == Status.INFO_REQUESTED:
        _require_complete(application, optional)
    comment = _comment(comment)
    event = apply_action(application, Action.RESUBMIT, actor, expected_version=expected_version, comment=comment)
    # the answer may have changed the investment: keep the derived amount in step with the new snapshot
    application.investment_usd = assessment.take_snapshot(application, "resubmission", zone_today(), actor)
    _notify(application, "resubmitted", comment=comment)
    return event


def mark_read(application: Application, user: User) -> None:
    """Remember the newest history entry ``user`` has seen (for the unread counter)."""
    last = db.session.scalar(select(ApplicationEvent.id).where(ApplicationEvent.application_id == application.id)
                             .order_by(ApplicationEvent.id.desc()).limit(1)) or 0
    mark = db.session.scalar(select(ApplicationReadMark).where(ApplicationReadMark.application_id == application.id,
                                                               ApplicationReadMark.user_id == user.id))
    if mark is None:
        db.session.add(ApplicationReadMark(application_id=application.id, user_id=user.id, last_event_id=last))
    elif mark.last_event_id < last:
        mark.last_event_id = last
        mark.seen_at = utcnow()
