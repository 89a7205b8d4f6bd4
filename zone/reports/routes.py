"""Report pages: the company's cabinet (progress, reports due, history), the long report form, and the
staff queue with return-with-question and accept. Thin: parse → policy → service → render/redirect."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from zone.accounts.roles import READER_ROLES, STAFF_ROLES, Role
from zone.agreements import queries as agreement_queries
from zone.agreements.presenters import obligation_label, unit_label
from zone.applications import documents as stored_files
from zone.applications.api import send_document
from zone.calendar import today as zone_today
from zone.database import writes
from zone.errors import ZoneError
from zone.extensions import db
from zone.reports import figures, forms, policies, presenters, progress, queries, services
from zone.reports.models import Report
from zone.web.access import AUTHENTICATED, allow
from zone.web.forms import apply_service_errors

bp = Blueprint("reports", __name__)
PAGE_SIZE = 50


@bp.context_processor
def _helpers():
    return {"report_status": presenters.status_label, "report_kind": presenters.kind_label,
            "report_step": presenters.action_label, "figure_label": figures.label_of, "figures": figures,
            "is_overdue": presenters.is_overdue, "today": zone_today(), "obligation_label": obligation_label,
            "unit_label": unit_label}


def _page_status(error: ZoneError) -> int:
    return error.status if error.status in (403, 409) else 200


def _visible(report_id: int) -> Report:
    report = queries.by_id(report_id)
    if report is None or not policies.can_view(current_user, report):
        abort(404)
    return report


def _locked(report_id: int) -> Report:
    _visible(report_id)
    return queries.for_update(report_id) or abort(404)


def _owned(report_id: int) -> Report:
    report = _locked(report_id)
    if not policies.owns(current_user, report):
        abort(404 if not policies.can_view(current_user, report) else 403)
    return report


def _granted(report: Report) -> list[str]:
    return sorted(services.granted_benefits(report.agreement))


def _report_page(report: Report, *, typed=None, errors=None, conflict=None, form=None, upload_form=None,
                 question_form=None, answer_form=None, accept_form=None, correcting: bool = False,
                 status: int = 200):
    granted = _granted(report)
    shown = typed if typed is not None else forms.saved_figures(report, granted)
    rows = list(shown.get("output", []))
    rows += [dict.fromkeys(figures.OUTPUT_PARTS, "") for _ in range(forms.OUTPUT_ROWS_EXTRA)]
    version_form = form or forms.VersionedForm(formdata=None, data={"version": report.version})
    return render_template(
        "reports/report.html", report=report, typed=shown, output_rows=rows[: figures.MAX_OUTPUT_ROWS],
        errors=errors or {}, conflict=conflict, form=version_form, granted=granted,
        upload_form=upload_form or forms.UploadForm(formdata=None), kind_labels=figures.DOCUMENT_LABELS,
        question_form=question_form or forms.QuestionForm(formdata=None, data={"version": report.version}),
        answer_form=answer_form or forms.AnswerForm(formdata=None, data={"version": report.version}),
        accept_form=accept_form or forms.AcceptForm(formdata=None, data={"version": report.version}),
        documents=queries.documents(report), events=queries.history(report), versions=queries.versions(report),
        can_edit=policies.can_edit(current_user, report), can_submit=policies.can_submit(current_user, report),
        can_correct=policies.can_correct(current_user, report), correcting=correcting,
        editable=policies.can_edit(current_user, report) or (correcting and policies.can_correct(current_user, report)),
        can_decide=policies.can_decide(current_user, report), owner=policies.owns(current_user, report),
        staff=policies.can_list_all(current_user),
        problems=services.submission_problems(report) if policies.can_submit(current_user, report) else {},
        event_by=lambda e: presenters.actor_name(e.actor, current_user),
    ), status


# --- the company's cabinet --------------------------------------------------------------------------

@bp.get("/reports/mine")
@allow(Role.APPLICANT)
def mine():
    cabinet = progress.cabinet(current_user.company_id, zone_today()) if current_user.company_id else []
    return render_template("reports/mine.html", cabinet=cabinet, start_form=forms.StartForm(formdata=None))


@bp.post("/reports/new")
@allow(Role.APPLICANT)
def start():
    form = forms.StartForm()
    if not form.validate_on_submit():
        flash(_("The page was open too long; try again."), "error")
        return redirect(url_for("reports.mine"))
    agreement = agreement_queries.by_number(form.agreement.data or "")
    if agreement is None or not policies.can_start(current_user, agreement):
        abort(404)
    try:
        report = services.start(agreement, current_user, form.period.data, {})
    except ZoneError as error:
        db.session.rollback()
        existing = queries.head(agreement.id, (form.period.data or "").upper())
        if error.status == 409 and existing is not None:
            return redirect(url_for("reports.view", report_id=existing.id))
        flash(" ".join(str(m) for messages in error.fields.values() for m in messages) or str(error.message),
              "error")
        return redirect(url_for("reports.mine"))
    db.session.commit()
    return redirect(url_for("reports.view", report_id=report.id))


@bp.get("/reports/<int:report_id>")
@allow(AUTHENTICATED)
def view(report_id: int):
    return _report_page(_visible(report_id), correcting=request.args.get("correct") == "1")


@bp.post("/reports/<int:report_id>")
@allow(Role.APPLICANT)
def save(report_id: int):
    report = _owned(report_id)
    form = forms.VersionedForm()
    typed = forms.typed_figures(request.form, _granted(report))
    if not form.validate_on_submit():
        db.session.rollback()
        flash(_("The page was open too long; your values are below, press “Save” again."), "error")
        return _report_page(_visible(report_id), typed=typed, form=form)
    data, places = forms.figures_data(typed)
    try:
        services.update(report, current_user, data, form.version.data)
    except ZoneError as error:
        db.session.rollback()
        conflict = error if error.status == 409 else None
        return _report_page(_visible(report_id), typed=typed, errors=forms.errors_on_page(error.fields, places),
                            conflict=conflict, form=form, status=_page_status(error))
    db.session.commit()
    if request.form.get("submit"):
        try:
            services.submit(report, current_user, report.version)
        except ZoneError as error:
            db.session.rollback()
            flash(ngettext("Saved, but not submitted: %(num)s item is missing or not valid (marked below).",
                           "Saved, but not submitted: %(num)s items are missing or not valid (marked below).",
                           len(error.fields) or 1), "warning")
            return _report_page(_visible(report_id), errors=error.fields, status=_page_status(error))
        db.session.commit()
        flash(_("Thank you: the report for %(period)s is submitted.", period=report.period), "success")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("reports.view", report_id=report.id))


@bp.post("/reports/<int:report_id>/correct")
@allow(Role.APPLICANT)
def correct(report_id: int):
    report = _owned(report_id)
    form = forms.VersionedForm()
    typed = forms.typed_figures(request.form, _granted(report))
    reason = request.form.get("reason") if isinstance(request.form.get("reason"), str) else ""
    typed_with_reason = {**typed, "reason": reason}
    if not form.validate_on_submit():
        db.session.rollback()
        return _report_page(_visible(report_id), typed=typed_with_reason, form=form, correcting=True)
    data, places = forms.figures_data(typed)
    try:
        new = services.correct(report, current_user, reason, data)
    except ZoneError as error:
        db.session.rollback()
        return _report_page(_visible(report_id), typed=typed_with_reason,
                            errors=forms.errors_on_page(error.fields, places), form=form,
                            correcting=True, conflict=error if error.status == 409 else None,
                            status=_page_status(error))
    db.session.commit()
    flash(_("The correction is submitted as version %(n)s; the previous version is kept.", n=new.revision),
          "success")
    return redirect(url_for("reports.view", report_id=new.id))


@bp.post("/reports/<int:report_id>/documents")
@allow(Role.APPLICANT)
def upload(report_id: int):
    report = _owned(report_id)
    form = forms.UploadForm()
    upload_file = form.file.data if form.validate_on_submit() else None
    try:
        services.add_document(report, current_user, form.kind.data,
                              upload_file.stream if hasattr(upload_file, "stream") else None,
                              getattr(upload_file, "filename", None))
    except ZoneError as error:
        db.session.rollback()
        apply_service_errors(form, error)
        return _report_page(_visible(report_id), upload_form=form, status=_page_status(error))
    db.session.commit()
    flash(_("The document is uploaded."), "success")
    return redirect(url_for("reports.view", report_id=report.id, _anchor="documents"))


@bp.get("/reports/<int:report_id>/documents/<int:file_id>")
@allow(AUTHENTICATED)
@writes
def download(report_id: int, file_id: int):
    report = _visible(report_id)
    document = queries.document(report, file_id) or abort(404)
    data = stored_files.open_document(document)
    with stored_files.closed_on_error(data):
        services.record_download(document, current_user)
        db.session.commit()
    return send_document(document, data)


@bp.post("/reports/<int:report_id>/resubmit")
@allow(Role.APPLICANT)
def resubmit(report_id: int):
    report = _owned(report_id)
    form = forms.AnswerForm()
    if form.validate_on_submit():
        try:
            services.resubmit(report, current_user, form.answer.data, form.version.data)
        except ZoneError as error:
            db.session.rollback()
            apply_service_errors(form, error, {"version": "answer"})
            return _report_page(_visible(report_id), answer_form=form, errors=error.fields,
                                status=_page_status(error))
        db.session.commit()
        flash(_("Thank you: your answer is sent and the report is submitted again."), "success")
        return redirect(url_for("reports.view", report_id=report.id))
    db.session.rollback()
    return _report_page(_visible(report_id), answer_form=form)


# --- staff --------------------------------------------------------------------------------------------

@bp.get("/reports")
@allow(*READER_ROLES)
def queue():
    f = queries.filter_from_args(request.args)
    if f.errors:
        flash(_("Some filters were not understood and were ignored."), "warning")
    today = zone_today()
    try:
        rows, next_cursor = queries.page(queries.filtered(f, today), PAGE_SIZE, request.args.get("cursor"))
    except ZoneError:
        flash(_("The cursor is not valid; start again from the first page."), "warning")
        rows, next_cursor = queries.page(queries.filtered(f, today), PAGE_SIZE, None)
    args = {k: v for k, v in (("tab", f.tab), ("agreement", f.agreement), ("period", f.period)) if v}
    next_url = url_for("reports.queue", cursor=next_cursor, **args) if next_cursor else None
    missing = queries.not_started_overdue() if f.tab == "overdue" else []
    return render_template("reports/queue.html", rows=rows, f=f, next_url=next_url, missing=missing,
                           counts=queries.tab_counts(today), count_cap=queries.COUNT_CAP,
                           tabs=queries.QUEUE_TABS)


def _staff_step(report_id: int, form_class, run, done: str, form_name: str):
    report = _locked(report_id)
    form = form_class()
    if form.validate_on_submit():
        try:
            run(report, form)
        except ZoneError as error:
            db.session.rollback()
            field = "question" if form_name == "question_form" else "comment"
            apply_service_errors(form, error, {"version": field})
            return _report_page(_visible(report_id), status=_page_status(error), **{form_name: form})
        db.session.commit()
        flash(done, "success")
        return redirect(url_for("reports.view", report_id=report.id))
    db.session.rollback()
    return _report_page(_visible(report_id), **{form_name: form})


@bp.post("/reports/<int:report_id>/return")
@allow(*STAFF_ROLES)
def return_report(report_id: int):
    return _staff_step(report_id, forms.QuestionForm,
                       lambda r, f: services.return_with_question(r, current_user, f.question.data, f.version.data),
                       _("The report is returned to the company with your question."), "question_form")


@bp.post("/reports/<int:report_id>/accept")
@allow(*STAFF_ROLES)
def accept(report_id: int):
    return _staff_step(report_id, forms.AcceptForm,
                       lambda r, f: services.accept(r, current_user, f.version.data, f.comment.data),
                       _("The report is accepted."), "accept_form")


