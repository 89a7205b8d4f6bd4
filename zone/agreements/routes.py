"""Agreement pages: the company's cabinet (its agreements, countersigning) and the staff pages (list,
detail, amendments). Thin: parse → policy → service → render/redirect."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from zone.accounts.roles import READER_ROLES, STAFF_ROLES, Role
from zone.agreements import policies, presenters, queries, services
from zone.agreements.api import current_pdf, pdf_response, revision_pdf_data
from zone.agreements.forms import CountersignForm, DecisionForm, amendment_form, changes_from
from zone.agreements.models import Agreement, AgreementStatus
from zone.api.common import decode_cursor, encode_cursor
from zone.calendar import today as zone_today
from zone.database import writes
from zone.errors import ZoneError
from zone.extensions import db
from zone.web.access import AUTHENTICATED, allow
from zone.web.forms import apply_service_errors

bp = Blueprint("agreements", __name__)
PAGE_SIZE = 50


@bp.context_processor
def _helpers():
    return {
        "agreement_status": presenters.status_label,
        "amendment_status": presenters.amendment_status_label,
        "obligation_label": presenters.obligation_label,
        "unit_label": presenters.unit_label,
        "event_label": presenters.event_label,
        "today": zone_today(),
    }


def _page_status(error: ZoneError) -> int:
    """A refused form is shown again with what was typed: 200 (the page is fine), except a refusal of
    the person (403) or of the state (409), which the status tells too."""
    return error.status if error.status in (403, 409) else 200


def _visible(number: str) -> Agreement:
    agreement = queries.by_number(number)
    if agreement is None or not policies.can_view(current_user, agreement):
        abort(404)  # also for agreements the user may not know exist
    return agreement


def _locked(number: str) -> Agreement:
    _visible(number)
    return queries.for_update(number) or abort(404)


def _detail_page(agreement: Agreement, *, countersign_form=None, amend_form=None, decision_form=None,
                 open_amendment=None, status: int = 200):
    """The agreement's page; after a refused change the forms keep what was typed."""
    staff = policies.can_list_all(current_user)
    amendments = queries.amendments(agreement)
    pending = next((a for a in amendments if a.status == "proposed"), None)
    revisions = queries.revisions(agreement)
    events = [e for e in queries.history(agreement) if staff or e.action in presenters.COMPANY_SEES]
    return render_template(
        "agreements/detail.html",
        agreement=agreement, revisions=revisions, current=revisions[-1] if revisions else None,
        amendments=[a for a in amendments if staff or a.status == "approved"], pending=pending,
        events=events, staff=staff, event_by=lambda e: presenters.event_by(e, staff=staff),
        can_countersign=policies.can_countersign(current_user, agreement),
        can_propose=policies.can_propose(current_user, agreement) and agreement.status != AgreementStatus.TERMINATED,
        can_decide=pending is not None and policies.can_decide(current_user, pending),
        decision_refusal=policies.decision_refusal(current_user, pending) if pending is not None else None,
        countersign_form=countersign_form or CountersignForm(formdata=None),
        amend_form=amend_form or amendment_form(agreement.obligations, formdata=None),
        decision_form=decision_form or DecisionForm(formdata=None),
        open_amendment=open_amendment,
    ), status


@bp.get("/agreements/mine")
@allow(Role.APPLICANT)
def mine():
    f = queries.AgreementFilter(company_id=current_user.company_id)
    agreements = db.session.scalars(queries.filtered(f)).all() if current_user.company_id else []
    return render_template("agreements/mine.html", agreements=agreements)


@bp.get("/agreements")
@allow(*READER_ROLES)
def staff_list():
    f, errors = queries.filter_from_args(request.args)
    if errors:
        flash(_("Some filters were not understood and were ignored."), "warning")
    try:
        cursor = decode_cursor(request.args.get("cursor"), 1)
    except ZoneError:
        cursor = None
        flash(_("The cursor is not valid; start again from the first page."), "warning")
    after = cursor[0] if cursor and isinstance(cursor[0], int) and not isinstance(cursor[0], bool) else None
    rows, last_id = queries.page(queries.filtered(f), PAGE_SIZE, after)
    next_args = {k: v for k, v in (("status", f.status), ("side", f.side)) if v}
    next_url = url_for("agreements.staff_list", cursor=encode_cursor([last_id]), **next_args) if last_id else None
    return render_template("agreements/list.html", agreements=rows, f=f, next_url=next_url,
                           statuses=list(AgreementStatus))


@bp.get("/agreements/<number>")
@allow(AUTHENTICATED)
def detail(number: str):
    return _detail_page(_visible(number))


@bp.get("/agreements/<number>/pdf")
@allow(AUTHENTICATED)
@writes
def download(number: str):
    agreement = _visible(number)
    return pdf_response(agreement, *current_pdf(agreement))


@bp.get("/agreements/<number>/revisions/<int:revision>/pdf")
@allow(AUTHENTICATED)
@writes
def download_revision(number: str, revision: int):
    agreement = _visible(number)
    try:
        return pdf_response(agreement, *revision_pdf_data(agreement, revision, request.args.get("stage")))
    except ZoneError:
        abort(404)


@bp.post("/agreements/<number>/countersign")
@allow(Role.APPLICANT)
def countersign(number: str):
    agreement = _locked(number)
    form = CountersignForm()
    upload = form.file.data
    if not form.validate_on_submit() or upload is None or not hasattr(upload, "stream"):
        db.session.rollback()
        form.file.errors = [*(form.file.errors or []), _("Attach the signed PDF.")]
        return _detail_page(_visible(number), countersign_form=form, status=200)
    try:
        services.countersign(agreement, current_user, upload.stream.read(services.upload_limit() + 1))
    except ZoneError as error:
        db.session.rollback()
        apply_service_errors(form, error)
        return _detail_page(_visible(number), countersign_form=form, status=_page_status(error))
    db.session.commit()
    flash(_("Thank you: your signature is accepted and the agreement %(number)s is concluded.",
            number=agreement.number), "success")
    return redirect(url_for("agreements.detail", number=agreement.number))


@bp.post("/agreements/<number>/amendments")
@allow(*STAFF_ROLES)
def propose(number: str):
    agreement = _locked(number)
    form = amendment_form(agreement.obligations)
    changes, mapping = changes_from(form, agreement.obligations) if form.validate_on_submit() else ([], {})
    if not form.errors:
        try:
            services.propose_amendment(agreement, current_user, version=form.version.data,
                                       reason=form.reason.data, changes=changes)
        except ZoneError as error:
            db.session.rollback()
            apply_service_errors(form, error, mapping | {"reason": "reason", "version": "reason"})
            return _detail_page(_visible(number), amend_form=form, status=_page_status(error))
        db.session.commit()
        flash(_("The amendment is proposed; another approver or administrator decides it."), "success")
        return redirect(url_for("agreements.detail", number=agreement.number, _anchor="amendments"))
    db.session.rollback()
    return _detail_page(_visible(number), amend_form=form, status=200)


def _decide(number: str, amendment_number: int, approve: bool):
    agreement = _locked(number)
    amendment = queries.amendment(agreement, amendment_number) or abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            if approve:
                services.approve_amendment(agreement, amendment, current_user, version=form.version.data)
            else:
                services.reject_amendment(agreement, amendment, current_user, version=form.version.data,
                                          reason=form.reason.data)
        except ZoneError as error:
            db.session.rollback()
            apply_service_errors(form, error, {"version": "reason"})
            return _detail_page(_visible(number), decision_form=form, open_amendment=amendment_number,
                                status=_page_status(error))
        db.session.commit()
        flash(_("Amendment No. %(n)s is approved: the new revision is signed by the zone.", n=amendment.number)
              if approve else _("Amendment No. %(n)s is rejected.", n=amendment.number), "success")
        return redirect(url_for("agreements.detail", number=agreement.number, _anchor="amendments"))
    db.session.rollback()
    return _detail_page(_visible(number), decision_form=form, open_amendment=amendment_number, status=200)


@bp.post("/agreements/<number>/amendments/<int:amendment>/approve")
@allow(Role.APPROVER, Role.ADMIN)
def approve(number: str, amendment: int):
    return _decide(number, amendment, approve=True)


@bp.post("/agreements/<number>/amendments/<int:amendment>/reject")
@allow(Role.APPROVER, Role.ADMIN)
def reject(number: str, amendment: int):
    return _decide(number, amendment, approve=False)
