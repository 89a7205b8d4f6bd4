"""Report endpoints of the JSON API (API.md "Reports")."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from zone.accounts.roles import STAFF_ROLES, Role
from zone.agreements import queries as agreement_queries
from zone.api.common import ListOf, json_body, page_limit
from zone.applications import documents as stored_files
from zone.applications.api import send_document
from zone.database import writes
from zone.errors import NotFound, ValidationFailed
from zone.extensions import db
from zone.reports import figures, policies, presenters, queries, services
from zone.reports.models import Report
from zone.web.access import AUTHENTICATED, allow
from zone.web.text import MULTI_LINE_FIELDS

api_bp = Blueprint("reports_api", __name__, url_prefix="/api/v1")
MAX_VERSION = 2**31 - 1
MULTILINE = MULTI_LINE_FIELDS | {"question", "answer", "reason", "comment"}
TEXT_FIELDS = {"agreement": str, "period": str, "currency": str, "auditor_name": str, "audit_opinion": str,
               "reason": str, "question": str, "answer": str, "comment": str, "version": int,
               "benefits_used": dict, "output": ListOf(dict, label=_l("a list of objects"))}


def _visible(report_id: int) -> Report:
    report = queries.by_id(report_id)
    if report is None or not policies.can_view(current_user, report):
        raise NotFound(_("There is no such report."))
    return report


def _locked(report_id: int) -> Report:
    _visible(report_id)
    report = queries.for_update(report_id)
    if report is None:
        raise NotFound(_("There is no such report."))
    return report


def _body(extra: set[str]) -> dict:
    return json_body(allowed=set(figures.FIGURES) | extra, types=TEXT_FIELDS, multiline=MULTILINE)


def _optional_body(allowed: set[str]) -> dict:
    if not request.get_data(cache=True).strip():
        return {}
    return json_body(allowed=allowed, types=TEXT_FIELDS, multiline=MULTILINE)


def _version(body: dict) -> int | None:
    version = body.pop("version", None)
    if version is not None and not 1 <= version <= MAX_VERSION:
        raise ValidationFailed(_("Some values are not valid."),
                               fields={"version": [_("Must be the report's current version.")]})
    return version


def _json(report: Report, status: int = 200):
    return jsonify(presenters.report_json(report, queries.documents(report))), status


@api_bp.get("/reports")
@allow(AUTHENTICATED)
def list_reports():
    f = queries.filter_from_args(request.args)
    if f.errors:
        raise ValidationFailed(_("Some values are not valid."),
                               fields={name: [_("Not a valid value.")] for name in f.errors})
    f.tab = "all"
    if not policies.can_list_all(current_user):
        if current_user.role != Role.APPLICANT or current_user.company_id is None:
            return jsonify({"items": [], "next_cursor": None})
        f.company_id = current_user.company_id
    rows, next_cursor = queries.page(queries.filtered(f), page_limit(), request.args.get("cursor"))
    return jsonify({"items": [presenters.report_json(r) for r in rows], "next_cursor": next_cursor})


@api_bp.post("/reports")
@allow(Role.APPLICANT)
def create_report():
    body = _body({"agreement", "period"})
    number, period = body.pop("agreement", None), body.pop("period", None)
    agreement = agreement_queries.by_number(number) if isinstance(number, str) and number else None
    if agreement is None or not policies.can_start(current_user, agreement):
        message = _("This field is required.") if not number else _("There is no such agreement of your company.")
        raise ValidationFailed(_("Some values are not valid."), fields={"agreement": [message]})
    report = services.start(agreement, current_user, period, body)
    db.session.commit()
    return _json(report, 201)


@api_bp.get("/reports/<int:report_id>")
@allow(AUTHENTICATED)
def get_report(report_id: int):
    return _json(_visible(report_id))


@api_bp.patch("/reports/<int:report_id>")
@allow(Role.APPLICANT)
def update_report(report_id: int):
    body = _body({"version"})
    version = _version(body)
    report = _locked(report_id)
    if not policies.owns(current_user, report):
        raise NotFound(_("There is no such report."))
    services.update(report, current_user, body, version)
    db.session.commit()
    return _json(report)


def _company_step(report_id: int, allowed: set[str], run):
    body = _optional_body(allowed | {"version"})
    version = _version(body)
    report = _locked(report_id)
    if not policies.owns(current_user, report):
        raise NotFound(_("There is no such report."))
    result = run(report, body, version)
    db.session.commit()
    return result


@api_bp.post("/reports/<int:report_id>/submit")
@allow(Role.APPLICANT)
def submit_report(report_id: int):
    def run(report, _body, version):
        services.submit(report, current_user, version)
        return _json(report)

    return _company_step(report_id, set(), run)


@api_bp.post("/reports/<int:report_id>/resubmit")
@allow(Role.APPLICANT)
def resubmit_report(report_id: int):
    def run(report, body, version):
        services.resubmit(report, current_user, body.get("answer"), version)
        return _json(report)

    return _company_step(report_id, {"answer"}, run)


@api_bp.post("/reports/<int:report_id>/corrections")
@allow(Role.APPLICANT)
def correct_report(report_id: int):
    body = _body({"reason", "version"})
    reason = body.pop("reason", None)
    body.pop("version", None)
    report = _locked(report_id)
    if not policies.owns(current_user, report):
        raise NotFound(_("There is no such report."))
    new = services.correct(report, current_user, reason, body)
    db.session.commit()
    return _json(new, 201)


@api_bp.post("/reports/<int:report_id>/return")
@allow(*STAFF_ROLES)
def return_report(report_id: int):
    body = _optional_body({"question", "version"})
    version = _version(body)
    report = _locked(report_id)
    services.return_with_question(report, current_user, body.get("question"), version)
    db.session.commit()
    return _json(report)


@api_bp.post("/reports/<int:report_id>/accept")
@allow(*STAFF_ROLES)
def accept_report(report_id: int):
    body = _optional_body({"comment", "version"})
    version = _version(body)
    report = _locked(report_id)
    services.accept(report, current_user, version, body.get("comment"))
    db.session.commit()
    return _json(report)


@api_bp.get("/reports/<int:report_id>/history")
@allow(AUTHENTICATED)
def report_history(report_id: int):
    report = _visible(report_id)
    return jsonify({"items": [presenters.event_json(e, current_user) for e in queries.history(report)],
                    "versions": [{"id": v.id, "revision": v.revision, "status": v.status,
                                  "current": bool(v.head), "reason": v.correction_reason}
                                 for v in queries.versions(report)]})


@api_bp.post("/reports/<int:report_id>/documents")
@allow(Role.APPLICANT)
def upload_document(report_id: int):
    report = _locked(report_id)
    if not policies.owns(current_user, report):
        raise NotFound(_("There is no such report."))
    upload = request.files.get("file")
    document = services.add_document(report, current_user, request.form.get("kind"),
                                     upload.stream if upload is not None else None,
                                     upload.filename if upload is not None else None)
    db.session.commit()
    return jsonify(presenters.document_json(document)), 201


@api_bp.get("/reports/<int:report_id>/documents/<int:file_id>")
@allow(AUTHENTICATED)
@writes
def download_document(report_id: int, file_id: int):
    report = _visible(report_id)
    document = queries.document(report, file_id)
    if document is None:
        raise NotFound(_("There is no such document."))
    data = stored_files.open_document(document)
    with stored_files.closed_on_error(data):
        services.record_download(document, current_user)
        db.session.commit()
    return send_document(document, data)
