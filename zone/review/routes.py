"""Review pages for zone staff: the queue, one application's review and the dashboard.

Thin: parse → policy → service → commit → render or redirect. A refused action re-renders the page
with what the user typed and the reason (403/409 keep their status; invalid input answers 200).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from zone.accounts.models import User
from zone.accounts.roles import READER_ROLES, STAFF_ROLES, Role
from zone.api.common import MAX_LIMIT
from zone.applications.models import Application, Document
from zone.applications.workflow import ACTION_LABELS, STATUS_LABELS, Action
from zone.audit.services import record
from zone.database import writes
from zone.errors import StaleVersion, ValidationFailed, ZoneError
from zone.extensions import db
from zone.review import casework, services
from zone.review import dashboard as dashboard_data
from zone.review import page as review_page
from zone.review import queue as review_queue
from zone.review.checklist import CHECKLIST_ITEMS
from zone.review.deadlines import review_days_left
from zone.review.decision import REJECTION_GROUNDS, ground_label
from zone.review.forms import ACTION_FORMS, ChecklistForm, MessageForm, NoteForm, ReassignForm
from zone.review.labels import document_label, field_label, sector_choices, sector_label
from zone.review.policies import can_view
from zone.sites.presenters import kind_label as site_kind_label
from zone.web.access import allow
from zone.web.confirm import Confirmation, ask, is_confirmed
from zone.web.converters import MAX_ID
from zone.web.formatting import day_before, fmt_date, fmt_percent
from zone.web.forms import apply_service_errors

bp = Blueprint("review", __name__, url_prefix="/review")

EVENT_KINDS = {
    "created": _l("Application created"),
    "edit": _l("Changed by the company"),
    "message": _l("Message to the company"),
    "note": _l("Internal note"),
    "document": _l("Document"),
    "assign": _l("Reassigned"),
    "checklist": _l("Checklist"),
}
SNAPSHOT_KINDS = {
    "submission": _l("at submission"),
    "resubmission": _l("after the answer"),
    "recommendation": _l("at recommendation"),
    "decision": _l("at the decision"),
    "amendment": _l("at amendment"),
}

STAFF = tuple(STAFF_ROLES)
READERS = tuple(READER_ROLES)


def _viewable(application_id: int) -> Application:
    """The application if the user may see it; 404 otherwise (staff never see drafts)."""
    try:
        application = services.get_application(application_id)
    except ZoneError:
        abort(404)
    if not can_view(current_user, application):
        abort(404)
    return application


def _locked(application_id: int) -> Application:
    """Load and lock for a change; 404 for what staff may not see."""
    try:
        application = services.get_application(application_id, for_update=True)
    except ZoneError:
        abort(404)
    if not can_view(current_user, application):
        abort(404)
    return application


def _template_globals() -> dict:
    return {"STATUS_LABELS": STATUS_LABELS, "ACTION_LABELS": ACTION_LABELS,
            "sector_label": sector_label, "document_label": document_label, "field_label": field_label,
            "ground_label": ground_label, "site_kind": site_kind_label,
            "REJECTION_GROUNDS": REJECTION_GROUNDS, "CHECKLIST_ITEMS": CHECKLIST_ITEMS,
            "days_left": review_days_left, "event_kinds": EVENT_KINDS, "snapshot_kinds": SNAPSHOT_KINDS,
            "inline_types": review_page.INLINE_TYPES, "clock_statuses": [s.value for s in review_queue.CLOCK_STATUSES]}


# --- queue and dashboard ---------------------------------------------------------------------------------

@bp.get("")
@allow(*READERS)
def queue():
    filters = review_queue.parse_filters(request.args)
    try:
        limit = min(max(int(request.args.get("limit", 50)), 1), MAX_LIMIT)
    except ValueError:
        limit = 50
    try:
        result = review_queue.page(filters, current_user, limit=limit, cursor=request.args.get("cursor"))
    except ZoneError as error:
        flash(str(error.message), "error")
        result = review_queue.page(filters, current_user, limit=limit)
    return render_template("review/queue.html", page=result, filters=filters, limit=limit,
                           sorts=review_queue.SORTS, sectors=sector_choices(),
                           reviewers=review_queue.assignable_reviewers(), statuses=review_queue.QUEUE_STATUSES,
                           **_template_globals())


@bp.get("/dashboard")
@allow(*READERS)
def dashboard():
    return render_template("review/dashboard.html", board=dashboard_data.build())


# --- one application ---------------------------------------------------------------------------------------

def _render(application: Application, *, submitted: dict | None = None, status: int = 200, error=None):
    view = review_page.build(application, current_user, submitted=submitted)
    changes = (error.details or {}).get("changes") if isinstance(error, StaleVersion) else None
    return render_template("review/application.html", view=view, app=application, changes=changes,
                           field_errors=getattr(error, "fields", None) or {}, **_template_globals()), status


@bp.get("/applications/<int:application_id>")
@allow(*READERS)
def application(application_id: int):
    return _render(_viewable(application_id))


def _fail(application_id: int, key: str, form, error: ZoneError, mapping: dict | None = None):
    """Roll back, keep what the user typed, and show the page again with the reason."""
    db.session.rollback()
    application = _viewable(application_id)
    if isinstance(error, StaleVersion) and hasattr(form, "version"):
        form.version.data = application.version  # they have now seen the current state
    apply_service_errors(form, error, mapping)
    status = error.status if error.status in (403, 409) else 200
    return _render(application, submitted={key: form}, status=status, error=error)


def _benefits_request(form) -> list[dict]:
    """The approver's choice as the service reads it: the granted codes, each with the end date shown in its row.

    An end date the rules themselves set cuts nothing (``decision.choose_benefits`` compares what results with
    the rules' proposal), so the page need not evaluate the rules a second time to tell the two apart."""
    chosen = []
    for entry in form.benefits.entries:
        row = entry.form
        if not row.granted.data:
            continue
        item = {"code": row.code.data}
        if row.until.data:
            item["until"] = row.until.data.isoformat()
        chosen.append(item)
    return chosen


def _decision_confirmation(application: Application, action: str, form) -> Confirmation:
    """What approving or rejecting will do, checked by the service's own plan and stated before it is done
    (neither can be taken back). Raises what the action itself would raise."""
    back = url_for("review.application", application_id=application.id)
    number = application.number or str(application.id)
    facts = [(_("Application"), number), (_("Company"), application.company.name)]
    if action == Action.APPROVE:
        plan = services.plan_approval(application, current_user, version=form.version.data,
                                      comment=form.comment.data, benefits=_benefits_request(form),
                                      site=form.site.data or None)
        locale = str(get_locale())
        for benefit in plan.granted:
            periods = "; ".join(_("%(start)s to %(end)s, %(pct)s", start=fmt_date(p["from"]),
                                  end=fmt_date(day_before(p["until"])), pct=fmt_percent(p["reduction_pct"]))
                                for p in benefit.get("periods") or [])
            name = plan.basis.benefit_name(benefit["code"], locale)
            facts.append((_("Benefit"), f"{name}: {periods}" if periods else name))
        if not plan.granted:
            facts.append((_("Benefit"), _("none")))
        if plan.site:
            facts.append((_("Site leased to the company"), plan.site))
        return Confirmation(
            title=_("Approve application %(number)s?", number=number),
            consequences=[
                _("The zone signs and issues the residency certificate with exactly the benefits below, as the "
                  "rules in force today grant them, and the activity agreement for the company to countersign. "
                  "The company is told at once."),
                _("A signed certificate cannot be taken back: only a suspension or a revocation ends its benefits."),
            ],
            confirm_label=_("Approve and sign the certificate"), back_url=back, facts=facts, danger=False)
    grounds, _text = services.plan_rejection(application, current_user, version=form.version.data,
                                             comment=form.comment.data, grounds=form.grounds.data or [])
    facts += [(_("Ground"), ground_label(code)) for code in grounds]
    return Confirmation(
        title=_("Reject application %(number)s?", number=number),
        consequences=[
            _("The company is told that its application is rejected, on the grounds below and with your "
              "explanation. A rejected application cannot be reopened; the company may apply again."),
        ],
        confirm_label=_("Reject the application"), back_url=back, facts=facts)


@bp.post("/applications/<int:application_id>/actions/<action>")
@allow(Role.REVIEWER, Role.APPROVER, Role.ADMIN)
def act(application_id: int, action: str):
    if action not in ACTION_FORMS:
        abort(404)
    form = ACTION_FORMS[action](prefix=action)
    if not form.validate_on_submit():
        db.session.rollback()
        return _render(_viewable(application_id), submitted={action: form})
    if action in (Action.APPROVE, Action.REJECT) and not is_confirmed():
        try:
            confirmation = _decision_confirmation(_viewable(application_id), action, form)
        except ZoneError as error:
            return _fail(application_id, action, form, error)
        db.session.rollback()
        return ask(confirmation)
    application = _locked(application_id)
    kwargs: dict = {"version": form.version.data, "comment": form.comment.data}
    if hasattr(form, "grounds"):
        kwargs["grounds"] = form.grounds.data or []
    if hasattr(form, "deadline"):
        kwargs["deadline"] = form.deadline.data
    if action == Action.APPROVE:
        kwargs["benefits"] = _benefits_request(form)
        kwargs["site"] = form.site.data or None
    try:
        result = services.take_action(application, action, current_user, **kwargs)
    except ZoneError as error:
        return _fail(application_id, action, form, error)
    db.session.commit()
    message = _("Done: %(action)s.", action=ACTION_LABELS[Action(action)])
    if result.certificate is not None and getattr(result.certificate, "serial", None):
        message += " " + _("Certificate %(serial)s issued.", serial=result.certificate.serial)
    flash(message, "success")
    return redirect(url_for("review.application", application_id=application_id))


@bp.post("/applications/<int:application_id>/reassign")
@allow(Role.ADMIN)
def reassign(application_id: int):
    form = ReassignForm(prefix="reassign")
    application = _locked(application_id)
    wanted = form.assignee.data
    # An id outside the database's range names nobody (and PostgreSQL would refuse to compare it).
    assignee = db.session.get(User, wanted) if isinstance(wanted, int) and 0 < wanted <= MAX_ID else None
    try:
        casework.reassign(application, current_user, assignee, version=form.version.data)
    except ZoneError as error:
        return _fail(application_id, "reassign", form, error)
    db.session.commit()
    flash(_("The application is now assigned to %(name)s.", name=assignee.display_name), "success")
    return redirect(url_for("review.application", application_id=application_id))


@bp.post("/applications/<int:application_id>/notes")
@allow(*STAFF)
def add_note(application_id: int):
    form = NoteForm(prefix="note")
    application = _locked(application_id)
    if not form.validate_on_submit():
        return _fail(application_id, "note", form, ValidationFailed(_("Write the note.")))
    try:
        casework.add_note(application, current_user, form.text.data)
    except ZoneError as error:
        return _fail(application_id, "note", form, error)
    db.session.commit()
    flash(_("Note added."), "success")
    return redirect(url_for("review.application", application_id=application_id, _anchor="history"))


@bp.post("/applications/<int:application_id>/messages")
@allow(*STAFF)
def send_message(application_id: int):
    form = MessageForm(prefix="message")
    application = _locked(application_id)
    if not form.validate_on_submit():
        return _fail(application_id, "message", form, ValidationFailed(_("Write the message.")))
    try:
        casework.send_message(application, current_user, form.text.data)
    except ZoneError as error:
        return _fail(application_id, "message", form, error, {"text": "text"})
    db.session.commit()
    flash(_("Message sent to the company."), "success")
    return redirect(url_for("review.application", application_id=application_id, _anchor="history"))


@bp.post("/applications/<int:application_id>/checklist")
@allow(*STAFF)
def save_checklist(application_id: int):
    form = ChecklistForm(prefix="checklist")
    application = _locked(application_id)
    comments = {item: request.form.get(f"checklist-comment-{item}", "") for item in CHECKLIST_ITEMS}
    try:
        changed = casework.save_checklist(application, current_user, form.items.data or [], comments)
    except ZoneError as error:
        return _fail(application_id, "checklist", form, error)
    db.session.commit()
    flash(_("Checklist saved.") if changed else _("The checklist had no changes."), "success")
    return redirect(url_for("review.application", application_id=application_id, _anchor="checklist"))


# --- documents ---------------------------------------------------------------------------------------------

@bp.get("/applications/<int:application_id>/documents/<int:document_id>")
@allow(*READERS)
@writes
def document(application_id: int, document_id: int):
    application = _viewable(application_id)
    doc = db.session.scalar(select(Document).where(Document.id == document_id,
                                                   Document.application_id == application.id))
    if doc is None:
        abort(404)
    from zone.applications.documents import closed_on_error, download_name, open_document

    data = open_document(doc)
    inline = request.args.get("download") != "1" and doc.content_type in review_page.INLINE_TYPES
    with closed_on_error(data):
        record("document.view" if inline else "document.download", doc, actor=current_user,
               details={"application_id": application.id, "kind": doc.kind, "sha256": doc.sha256})
        db.session.commit()
    response = make_response(send_file(data, mimetype=doc.content_type, as_attachment=not inline,
                                       download_name=download_name(doc), max_age=0, conditional=False,
                                       etag=False))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    if inline:
        # The browser's own PDF viewer is an embedded object: allow that (and its inline styles), nothing else.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "object-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    return response
