"""Everything the review page of one application shows, gathered in a few queries."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from zone.applications import fields
from zone.applications.models import Application, ApplicationEvent, Document
from zone.applications.workflow import Action, Status
from zone.calendar import today
from zone.companies import claims
from zone.companies.policies import can_resolve_claims
from zone.companies.proofs import proof_of
from zone.eligibility.services import snapshot_view, snapshots_of
from zone.extensions import db
from zone.review import forms as review_forms
from zone.review.casework import checklist_state
from zone.review.checklist import CHECKLIST_ITEMS
from zone.review.deadlines import default_info_deadline, review_days_left
from zone.review.decision import DecisionBasis, decision_basis
from zone.review.policies import REVIEW_ACTIONS, action_refusal, can_edit_review, can_reassign, can_see_internal
from zone.review.queue import CLOCK_STATUSES, assignable_reviewers
from zone.sites import matching
from zone.web.forms import options

log = logging.getLogger(__name__)
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


@dataclass
class ReviewPage:
    application: Application
    events: list[ApplicationEvent]
    documents: list[Document]
    current_documents: set[int]
    snapshots: list[dict]
    basis: DecisionBasis | None
    checklist: dict[str, Any]
    actions: list[Action]
    refusals: dict[str, str]
    forms: dict[str, Any]
    days_left: int | None
    overdue: bool
    recommendation: dict | None
    can_edit: bool
    can_reassign: bool
    reviewers: list = field(default_factory=list)
    shown_actions: list[Action] = field(default_factory=list)  # available ones + one the user just sent
    claim_problem: Any = None  # the company's claim on its tax id is disputed or closed: approval waits
    can_resolve_claim: bool = False
    claim_proof: Any = None  # the company proved its tax id by its qualified e-signature (a ClaimProof)
    site_needs: Any = None  # matching.Needs the application states
    site_candidates: list = field(default_factory=list)  # free sites of its side, best fit first
    profile_gaps: list = field(default_factory=list)  # labels of what the company's profile lacks (address, …)

    @property
    def checklist_complete(self) -> bool:
        return all(row is not None and row.checked for row in self.checklist.values())


def _documents(application: Application) -> list[Document]:
    return list(db.session.scalars(select(Document).where(Document.application_id == application.id)
                                   .order_by(Document.kind, Document.id.desc())))


def _snapshots(application: Application) -> list[dict]:
    locale = str(get_locale() or "ru")
    views = []
    for row in snapshots_of(application):
        try:
            view = snapshot_view(row, locale)
        except (KeyError, TypeError, ValueError):
            log.warning("Snapshot %s cannot be shown", row.id)
            continue
        views.append({"kind": row.kind, "on_date": row.on_date, "created_at": row.created_at,
                      "rule_set": row.rule_set_version, "view": view})
    return views


def _last_recommendation(events: list[ApplicationEvent]) -> dict | None:
    for event in reversed(events):
        if event.kind == "transition" and event.action in (Action.RECOMMEND_APPROVAL, Action.RECOMMEND_REJECTION):
            return {"event": event, **(event.details or {})}
    return None


def action_forms(application: Application, basis: DecisionBasis | None, recommendation: dict | None,
                 actions: list[Action]) -> dict[str, Any]:
    """A fresh form for each action the user may take, preset with the application's version."""
    made: dict[str, Any] = {}
    for action in actions:
        form_class = review_forms.ACTION_FORMS[action.value]
        form = form_class(formdata=None, prefix=action.value)
        form.version.data = application.version
        if action == Action.REQUEST_INFO:
            form.deadline.data = default_info_deadline(application.side)
        if action == Action.REJECT and recommendation:
            form.grounds.data = list(recommendation.get("grounds") or [])
        if action == Action.APPROVE and basis is not None:
            fill_benefits(form, basis)
        made[action.value] = form
    return made


def fill_benefits(form, basis: DecisionBasis) -> None:
    """One row per benefit the rules grant, ticked and ending as the rules say."""
    while len(form.benefits.entries):
        form.benefits.pop_entry()
    for benefit in basis.proposed():
        entry = form.benefits.append_entry()
        entry.form.code.data = benefit["code"]
        entry.form.granted.data = True
        periods = benefit["periods"]
        if periods:
            from datetime import date

            entry.form.until.data = date.fromisoformat(periods[-1]["until"])


def build(application: Application, user, *, submitted: dict[str, Any] | None = None) -> ReviewPage:
    """The page for ``user``; ``submitted`` replaces fresh forms with the ones the user sent."""
    events = list(db.session.scalars(
        select(ApplicationEvent).where(ApplicationEvent.application_id == application.id)
        .order_by(ApplicationEvent.id)))
    if not can_see_internal(user):
        events = [e for e in events if e.visible_to_company]
    documents = _documents(application)
    current: dict[str, int] = {}
    for doc in documents:
        current.setdefault(doc.kind, doc.id)
    actions = [a for a in REVIEW_ACTIONS if action_refusal(user, application, a) is None]
    refusals = {}
    for a in REVIEW_ACTIONS:
        refusal = action_refusal(user, application, a)
        if refusal and refusal[0] in ("four_eyes", "not_assignee", "claim_disputed", "claim_closed"):
            refusals[a.value] = refusal[1]
    basis = None
    if application.side and application.status not in (Status.DRAFT, Status.WITHDRAWN):
        basis = decision_basis(application, today())
    recommendation = _last_recommendation(events)
    forms = action_forms(application, basis, recommendation, actions)
    if submitted:
        forms.update(submitted)
    days_left = review_days_left(application)
    overdue = application.status in CLOCK_STATUSES and days_left is not None and days_left < 0
    state = checklist_state(application)
    checklist = {item: state.get(item) for item in CHECKLIST_ITEMS}
    reassign = can_reassign(user, application)
    forms.setdefault("note", review_forms.NoteForm(formdata=None, prefix="note"))
    forms.setdefault("message", review_forms.MessageForm(formdata=None, prefix="message"))
    checklist_form = forms.setdefault("checklist", review_forms.ChecklistForm(formdata=None, prefix="checklist"))
    if not submitted or "checklist" not in submitted:
        checklist_form.items.data = [item for item, row in checklist.items() if row is not None and row.checked]
    reviewers = assignable_reviewers() if reassign else []
    if reassign:
        form = forms.get("reassign")
        if form is None:
            form = forms["reassign"] = review_forms.ReassignForm(formdata=None, prefix="reassign")
            form.version.data = application.version
            form.assignee.data = application.assignee_id
        form.assignee.choices = options((u.id, u.display_name) for u in reviewers)
    # A refused form stays on the page with what the user typed, even if the step is no longer theirs.
    sent = [a for a in REVIEW_ACTIONS if submitted and a.value in submitted and a not in actions]
    claim = claims.approval_refusal(application.company)
    needs, candidates = None, []
    if application.side and application.status != Status.DRAFT:
        needs = matching.needs_of(application)
        candidates = matching.rank(application.side, needs)
    if "approve" in forms:
        forms["approve"].site.choices = site_choices(candidates)
    return ReviewPage(application, events, documents, set(current.values()), _snapshots(application), basis,
                      checklist, actions, refusals, forms, days_left, overdue, recommendation,
                      can_edit_review(user, application), reassign, reviewers,
                      [a for a in REVIEW_ACTIONS if a in actions or a in sent], claim[1] if claim else None,
                      can_resolve_claims(user), proof_of(application.company), needs, candidates,
                      [fields.label_of(path) for path in fields.profile_gaps(application.company)])


def site_choices(candidates: list) -> list:
    """The approve form's site options: none, then every free site of the side, best fit first."""
    return options([("", _("— no site now —")),
                    *((c.code, f"{c.code} — " + (_("fits") if c.fits else _("does not fit"))) for c in candidates)])
