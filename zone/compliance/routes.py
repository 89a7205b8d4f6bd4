"""Compliance pages: a resident's conditions with a what-if date (company and staff), the staff queue of
cases with the chart of stages, the signed letters, and the staff's proposals and declines."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from zone.accounts.roles import READER_ROLES, Role
from zone.api.common import page_limit
from zone.audit.services import record
from zone.calendar import today as zone_today
from zone.certificates import queries as certificate_queries
from zone.compliance import chart, exports, policies, presenters, queries, services
from zone.compliance.api import language, on_date_arg
from zone.compliance.forms import ReasonForm
from zone.compliance.models import ComplianceCase
from zone.compliance.workflow import Stage
from zone.database import writes
from zone.errors import ValidationFailed, ZoneError
from zone.extensions import db
from zone.web.access import AUTHENTICATED, allow
from zone.web.export_columns import wants_machine_names

bp = Blueprint("compliance", __name__)


def _certificate(serial: str):
    certificate = certificate_queries.by_serial(serial)
    if certificate is None or not policies.can_view_certificate(current_user, certificate):
        abort(404)
    return certificate


@bp.get("/certificates/<serial>/compliance")
@allow(AUTHENTICATED)
def certificate_page(serial: str):
    certificate = _certificate(serial)
    problem = None
    try:
        on_date = on_date_arg(request.args)
    except ValidationFailed:
        on_date, problem = zone_today(), _("Enter a date as YYYY-MM-DD.")
    evaluation = queries.evaluation(certificate, on_date)
    cases = queries.cases_of(certificate.id)
    return render_template("compliance/certificate.html", certificate=certificate, on_date=on_date,
                           today=zone_today(), problem=problem, result=evaluation.to_dict(language()),
                           cases=cases, notices=queries.notices_of([c.id for c in cases]),
                           status_label=presenters.status_label, stage_label=presenters.stage_label,
                           form=ReasonForm(), can_propose=lambda c: policies.can_propose(current_user, c),
                           can_decline=lambda c: policies.can_decline(current_user, c))


@bp.get("/compliance/cases")
@allow(*READER_ROLES)
def queue():
    f = queries.filter_from_args(request.args)
    cursor = request.args.get("cursor")
    try:
        rows, next_cursor = queries.page(queries.filtered(f), page_limit(), cursor)
    except ZoneError:
        rows, next_cursor = queries.page(queries.filtered(f), page_limit(), None)
    args = {k: v for k, v in request.args.items() if k != "cursor"}
    conditions = presenters.condition_names(language())
    return render_template("compliance/queue.html", rows=rows, f=f, chart=chart.stage_chart(),
                           stages=[s.value for s in Stage], stage_label=presenters.stage_label,
                           conditions=sorted(conditions.items(), key=lambda item: item[1]),
                           condition_name=lambda code: conditions.get(code, code),
                           next_url=url_for("compliance.queue", cursor=next_cursor, **args) if next_cursor else None)


@bp.get("/compliance/cases/export.csv")
@allow(*READER_ROLES)
def export_cases():
    """Every compliance case as CSV, from the queue and the register pages (signed in, no API token)."""
    try:
        return exports.cases_csv(request.args, machine_header=wants_machine_names(request.args))
    except ValidationFailed:
        abort(400)


@bp.get("/compliance/notices/<int:notice_id>.pdf")
@allow(AUTHENTICATED)
@writes
def notice_pdf(notice_id: int):
    notice = queries.notice(notice_id)
    if notice is None or notice.pdf is None or not policies.can_view_case(current_user, notice.case):
        abort(404)
    record("compliance.notice_download", notice, details={"case": notice.case_id, "sha256": notice.sha256})
    db.session.commit()
    response = make_response(notice.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="compliance-notice-{notice.id}.pdf"'
    return response


def _case_action(case_id: int, step):
    case = db.session.get(ComplianceCase, case_id)
    if case is None or not policies.can_view_case(current_user, case):
        abort(404)
    form = ReasonForm()
    serial = case.certificate.serial
    if form.validate_on_submit():
        try:
            step(services.case_for_update(case_id), current_user, form.reason.data, zone_today())
        except ZoneError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The compliance case is now: %(stage)s.", stage=presenters.stage_label(case.stage)), "success")
    else:
        db.session.rollback()
        flash(_("Give the reason; the company will be told."), "error")
    return redirect(url_for("compliance.certificate_page", serial=serial))


@bp.post("/compliance/cases/<int:case_id>/propose")
@allow(Role.REVIEWER, Role.APPROVER, Role.ADMIN)
def propose(case_id: int):
    return _case_action(case_id, services.propose)


@bp.post("/compliance/cases/<int:case_id>/decline")
@allow(Role.APPROVER, Role.ADMIN)
def decline(case_id: int):
    return _case_action(case_id, services.decline)
