"""Every transition the review makes: staff actions along the transition table (start, request
information, recommend, approve, reject) and the answer to an information request. Reassignment, notes,
messages and the checklist are in :mod:`zone.review.casework`. Callers (HTML routes and the API) own the
transaction.

Each action loads nothing itself: the route loads the application with ``get_for_update`` and passes
the version the user saw; a stale version is refused (409, saying who changed what) before anything
changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.accounts.models import User
from zone.admission.services import Decision, admit
from zone.applications.lifecycle import apply_action, check_version
from zone.applications.models import Application, ApplicationEvent
from zone.applications.workflow import Action
from zone.calendar import local_date, today, working_days_after
from zone.database import utcnow
from zone.eligibility.services import store_snapshot, take_snapshot
from zone.errors import Conflict, Forbidden, NotFound, ValidationFailed, ZoneError
from zone.extensions import db
from zone.review import notifications
from zone.review.deadlines import default_info_deadline, review_days_left
from zone.review.decision import DecisionBasis, choose_benefits, clean_grounds, decision_basis
from zone.review.policies import action_refusal
from zone.sites import matching
from zone.sites import queries as site_queries
from zone.sites.services import site_refusal

log = logging.getLogger(__name__)

MAX_TEXT = 5000
MAX_INFO_DAYS = 90  # calendar days a company may be given to answer
NO_SITE = "NO_SITE_AVAILABLE"


@dataclass
class ActionResult:
    """What a staff action did: the history entry and, for an approval, the certificate and agreement."""

    application: Application
    event: ApplicationEvent
    certificate: Any = None
    agreement: Any = None
    lease: Any = None


def get_application(application_id: int, *, for_update: bool = False) -> Application:
    """The application, row-locked when ``for_update``; NotFound (404) when there is none."""
    from zone.database import get_for_update

    if not isinstance(application_id, int) or not 0 < application_id < 2**63:
        raise NotFound(_l("There is no such application."))
    application = (get_for_update(Application, application_id) if for_update
                   else db.session.get(Application, application_id))
    if application is None:
        raise NotFound(_l("There is no such application."))
    return application


# --- input checks -------------------------------------------------------------------------------------

def text_value(value: Any, field: str, *, required: bool, message=None) -> str | None:
    """A comment, note or message as typed (stripped, at most MAX_TEXT characters)."""
    text = value.strip() if isinstance(value, str) else None
    if not text:
        if required:
            raise ValidationFailed(message or _l("This field is required."),
                                   fields={field: [message or _l("This field is required.")]})
        return None
    if len(text) > MAX_TEXT:
        raise ValidationFailed(_l("The text is too long."),
                               fields={field: [_l("At most %(n)s characters.", n=MAX_TEXT)]})
    return text


def _info_deadline(value: Any, side: str, on: date) -> date:
    """The date the company answers by: the one given, or the side's configured number of working days."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default_info_deadline(side, on)
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationFailed(_l("Give the company a date to answer by."),
                                   fields={"deadline": [_l("Enter a date (YYYY-MM-DD).")]}) from None
    if value <= on:
        raise ValidationFailed(_l("The answer date must be in the future."),
                               fields={"deadline": [_l("Choose a date after today.")]})
    if value > on + timedelta(days=MAX_INFO_DAYS):
        raise ValidationFailed(_l("The answer date is too far away."),
                               fields={"deadline": [_l("At most %(n)s days from today.", n=MAX_INFO_DAYS)]})
    return value


def _authorise(application: Application, action: Action, actor: User, version: int | None) -> None:
    """Refuse a stale version first (nothing is overwritten), then the people rules of policies.py.

    Table and role refusals are left to ``apply_action()``, which words them precisely.
    """
    if version is None:
        raise ValidationFailed(_l("The version you saw is missing; reload the page."),
                               fields={"version": [_l("This field is required.")]})
    check_version(application, version)
    refusal = action_refusal(actor, application, action)
    if refusal is not None and refusal[0] in ("not_assignee", "four_eyes"):
        raise Forbidden(refusal[1], code=refusal[0])
    if refusal is not None and refusal[0] in ("claim_disputed", "claim_closed"):
        raise Conflict(refusal[1], code=refusal[0])


# --- the actions ----------------------------------------------------------------------------------------

def take_action(application: Application, action: Action | str, actor: User, *, version: int | None,
                comment: str | None = None, benefits: Any = None, grounds: Any = None,
                deadline: Any = None, site: Any = None) -> ActionResult:
    """Take one review step (start_review, request_info, recommend_approval, recommend_rejection,
    approve, reject) on a row-locked ``application`` seen by ``actor`` at ``version``; ``site`` (a site code)
    is leased by an approval."""
    try:
        action = Action(action)
    except ValueError:
        raise ValidationFailed(_l("Unknown action."), fields={"action": [_l("Unknown action.")]}) from None
    handlers = {
        Action.START_REVIEW: lambda: start_review(application, actor, version=version, comment=comment),
        Action.REQUEST_INFO: lambda: request_information(application, actor, version=version, message=comment,
                                                         deadline=deadline),
        Action.RECOMMEND_APPROVAL: lambda: recommend(application, actor, approve=True, version=version,
                                                     comment=comment),
        Action.RECOMMEND_REJECTION: lambda: recommend(application, actor, approve=False, version=version,
                                                      comment=comment, grounds=grounds),
        Action.APPROVE: lambda: approve(application, actor, version=version, comment=comment, benefits=benefits,
                                        site=site),
        Action.REJECT: lambda: reject(application, actor, version=version, comment=comment, grounds=grounds),
    }
    if action not in handlers:
        raise ValidationFailed(_l("This step is not a review step."), fields={"action": [_l("Unknown action.")]})
    return handlers[action]()


def start_review(application: Application, actor: User, *, version: int | None,
                 comment: str | None = None) -> ActionResult:
    """The reviewer takes a submitted application: it is assigned to them and moves to in_review."""
    _authorise(application, Action.START_REVIEW, actor, version)
    comment = text_value(comment, "comment", required=False)
    event = apply_action(application, Action.START_REVIEW, actor, expected_version=version, comment=comment,
                         details={"assignee_id": actor.id})
    application.assignee_id = actor.id
    return ActionResult(application, event)


def request_information(application: Application, actor: User, *, version: int | None, message: str | None,
                        deadline: Any) -> ActionResult:
    """Ask the company for more information by ``deadline`` (default: ``INFO_REQUEST_WORKING_DAYS``
    working days of the application's side); the company is told by email.

    The review clock stops while the company answers: the working days left are kept with the
    request and the review deadline is moved on when the answer arrives.
    """
    _authorise(application, Action.REQUEST_INFO, actor, version)
    on = today()
    text = text_value(message, "comment", required=True,
                 message=_l("Write what the company should send or explain."))
    answer_by = _info_deadline(deadline, application.side, on)
    left = review_days_left(application, on)
    event = apply_action(application, Action.REQUEST_INFO, actor, expected_version=version, comment=text,
                         details={"deadline": answer_by.isoformat(), "review_days_left": left})
    application.info_deadline = answer_by
    notifications.notify_company(application, "review/mail/info_requested.txt", message=text, deadline=answer_by)
    return ActionResult(application, event)


def recommend(application: Application, actor: User, *, approve: bool, version: int | None,
              comment: str | None = None, grounds: Any = None) -> ActionResult:
    """The reviewer recommends approval or rejection (with coded grounds) to an approver.

    The reasoning is internal: the company sees that a recommendation was made, not its text.
    """
    action = Action.RECOMMEND_APPROVAL if approve else Action.RECOMMEND_REJECTION
    _authorise(application, action, actor, version)
    text = text_value(comment, "comment", required=not approve,
                 message=_l("Explain why you recommend rejecting the application."))
    details: dict[str, Any] = {"recommendation": "approve" if approve else "reject"}
    if not approve:
        details["grounds"] = clean_grounds(grounds)
        _site_search(application, details)
    if text:
        details["internal_comment"] = text
    event = apply_action(application, action, actor, expected_version=version, details=details)
    application.recommendation = details["recommendation"]
    application.recommended_by_id = actor.id
    _take_snapshot(application, "recommendation", today(), actor)
    return ActionResult(application, event)


@dataclass(frozen=True)
class ApprovalPlan:
    """What an approval would sign, checked and nothing changed: the confirmation page shows it, approve()
    carries it out."""

    basis: DecisionBasis
    on_date: date
    granted: list[dict]
    changed: bool
    comment: str | None
    site: str | None = None  # the code of the free site of the application's side to lease


def plan_approval(application: Application, actor: User, *, version: int | None, comment: str | None = None,
                  benefits: Any = None, on_date: date | None = None, site: Any = None) -> ApprovalPlan:
    """Every check of an approval (version, four eyes, the rules on the decision date, the benefits chosen,
    the reason for a change, the site to lease: free and of the application's side) without changing anything;
    raises what approve() would raise (the site is checked again, locked, when it is leased)."""
    _authorise(application, Action.APPROVE, actor, version)
    on_date = on_date or local_date(utcnow())
    basis = decision_basis(application, on_date)
    if not basis.available:
        raise Conflict(_l("The application cannot be evaluated on the decision date, so it cannot be approved: "
                          "%(problem)s", problem=basis.problem), code="evaluation_unavailable")
    if not basis.admitted:
        raise Conflict(_l("The admission criteria are not met on the decision date, so the application cannot "
                          "be approved. Reject it with the ground “An admission criterion is not met”."),
                       code="not_admitted")
    granted, changed = choose_benefits(basis, benefits)
    text = text_value(comment, "comment", required=changed,
                      message=_l("Give the reason for changing the benefits the rules propose."))
    code = site.strip().upper() if isinstance(site, str) and site.strip() else None
    if code is not None:
        refusal = site_refusal(site_queries.by_code(code), code, application.side)
        if refusal is not None:
            raise refusal
    return ApprovalPlan(basis, on_date, granted, changed, text, code)


def approve(application: Application, actor: User, *, version: int | None, comment: str | None = None,
            benefits: Any = None, decided_at: datetime | None = None, site: Any = None) -> ActionResult:
    """The approver (not the recommending reviewer) approves, granting the benefits the rules give on the
    decision date or fewer/shorter ones with a reason, and leasing ``site`` (a code) when given; the
    decision snapshot, the certificate, the agreement and the lease are made in the same transaction."""
    decided_at = decided_at or utcnow()
    plan = plan_approval(application, actor, version=version, comment=comment, benefits=benefits,
                         on_date=local_date(decided_at), site=site)
    site = plan.site
    basis, granted, text = plan.basis, plan.granted, plan.comment
    details: dict[str, Any] = {"granted_benefits": granted, "benefits_changed": plan.changed,
                               "on_date": plan.on_date.isoformat(),
                               "rule_set": (basis.result or {}).get("rule_set", {}).get("version")}
    if plan.changed:
        details["proposed_benefits"] = basis.proposed()
    if site is not None:
        details["site"] = site
    event = apply_action(application, Action.APPROVE, actor, expected_version=version, comment=text,
                         details=details)
    application.decided_at = decided_at
    application.decided_by_id = actor.id
    application.granted_benefits = granted
    application.decision_comment = text
    application.rejection_grounds = None
    store_snapshot(application, "decision", basis.evaluation, actor)  # the evaluation decided on, not a second one
    admission = admit(application, Decision(decided_at=decided_at, granted_benefits=granted, site=site), actor)
    notifications.notify_company(application, "review/mail/approved.txt", benefits=granted,
                                 comment=text, certificate=admission.certificate, agreement=admission.agreement,
                                 lease=admission.lease,
                                 benefit_name=lambda code: basis.benefit_name(code, str(get_locale() or "ru")))
    return ActionResult(application, event, admission.certificate, admission.agreement, admission.lease)


def plan_rejection(application: Application, actor: User, *, version: int | None, comment: str | None = None,
                   grounds: Any = None) -> tuple[list[str], str]:
    """Every check of a rejection without changing anything: the grounds and the explanation to send."""
    _authorise(application, Action.REJECT, actor, version)
    chosen = clean_grounds(grounds)
    text = text_value(comment, "comment", required=True, message=_l("Explain the rejection to the company."))
    _site_search(application, {"grounds": chosen})  # NO_SITE_AVAILABLE only when no free site fits
    return chosen, text


def reject(application: Application, actor: User, *, version: int | None, comment: str | None = None,
           grounds: Any = None, decided_at: datetime | None = None) -> ActionResult:
    """The approver rejects with one or more coded grounds and a text; both are shown to the company."""
    chosen, text = plan_rejection(application, actor, version=version, comment=comment, grounds=grounds)
    decided_at = decided_at or utcnow()
    details: dict[str, Any] = {"grounds": chosen}
    _site_search(application, details)
    event = apply_action(application, Action.REJECT, actor, expected_version=version, comment=text,
                         details=details)
    application.decided_at = decided_at
    application.decided_by_id = actor.id
    application.rejection_grounds = chosen
    application.decision_comment = text
    application.granted_benefits = None
    _take_snapshot(application, "decision", local_date(decided_at), actor)
    notifications.notify_company(application, "review/mail/rejected.txt", grounds=chosen, comment=text)
    return ActionResult(application, event)


def _site_search(application: Application, details: dict[str, Any]) -> None:
    """``NO_SITE_AVAILABLE`` only when no free site of the side fits the stated needs (422 naming those that
    do); the decision then records the closest free sites and why they do not fit."""
    if NO_SITE not in details["grounds"]:
        return
    needs = matching.needs_of(application)
    fits = matching.fitting(application.side, needs)
    if fits:
        codes = ", ".join(c.code for c in fits[:5]) + (" …" if len(fits) > 5 else "")
        message = _l("Free sites fit the stated needs (%(codes)s), so “No site is available” is not a ground here.",
                     codes=codes)
        raise ValidationFailed(message, fields={"grounds": [message]})
    details["site_search"] = matching.no_site_explanation(application.side, needs)


def _take_snapshot(application: Application, kind: str, on_date: date, actor: User) -> None:
    """Freeze the evaluation with a step that does not need it: a rejection (e.g. for invalid information)
    or a recommendation must not fail because the facts do not evaluate. (An approval stores the
    evaluation it was decided on.)"""
    try:
        take_snapshot(application, kind, on_date, actor)
    except (ValueError, ZoneError):
        log.info("No %s snapshot for application %s: its facts do not evaluate", kind, application.id)


def answer_received(application: Application, event: ApplicationEvent) -> None:
    """The company answered an information request: restart the paused review clock and tell the
    assignee. Called from a session hook when a ``resubmit`` transition is flushed."""
    request_event = db.session.scalars(
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id == application.id, ApplicationEvent.action == Action.REQUEST_INFO)
        .order_by(ApplicationEvent.id.desc()).limit(1)
    ).first()
    left = ((request_event.details or {}).get("review_days_left") if request_event is not None else None)
    if isinstance(left, int):
        application.review_deadline = working_days_after(application.side, today(), left)
    application.info_deadline = None
    if application.assignee is not None:
        notifications.notify_staff(application.assignee, application, "review/mail/answered.txt",
                                   comment=event.comment)
