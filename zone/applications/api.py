"""Applications and documents in the JSON API (API.md "Applications"). Same services as the pages."""

from __future__ import annotations

from typing import BinaryIO

from flask import Blueprint, jsonify, request, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from zone.accounts.roles import Role
from zone.api.common import decode_cursor, encode_cursor, iso, json_body, page_limit
from zone.applications import assessment, documents, fields, policies, services
from zone.applications.models import Application, Document
from zone.applications.values import plain_decimal
from zone.applications.workflow import Status
from zone.database import get_for_update, writes
from zone.errors import NotFound, ValidationFailed, ZoneError
from zone.extensions import db
from zone.web.access import AUTHENTICATED, allow
from zone.web.security import CSP

api_bp = Blueprint("applications_api", __name__, url_prefix="/api/v1")

WRITABLE = frozenset(fields.FIELDS)


def document_json(document: Document) -> dict:
    return {"id": document.id, "kind": document.kind, "filename": document.filename, "size": document.size,
            "sha256": document.sha256, "content_type": document.content_type, "apostilled": document.apostilled,
            "uploaded_at": iso(document.uploaded_at)}


def application_json(application: Application, *, full: bool = True) -> dict:
    """The application as API.md describes it; ``full`` adds documents, what is missing and eligibility."""
    data: dict = {
        "id": application.id, "number": application.number, "status": application.status,
        "version": application.version,
        "company": {"id": application.company.id, "name": application.company.name,
                    "tax_id": application.company.tax_id,
                    "registration_country": application.company.registration_country},
    }
    for name, field in fields.FIELDS.items():
        value = getattr(application, name)
        data[name] = None if value is None else field.kind.to_json(value)
    data.update({
        "investment_usd": plain_decimal(application.investment_usd),
        "submitted_at": iso(application.submitted_at), "review_deadline": iso(application.review_deadline),
        "info_deadline": iso(application.info_deadline), "decided_at": iso(application.decided_at),
        "created_at": iso(application.created_at), "updated_at": iso(application.updated_at),
    })
    if full:
        history = documents.documents_of(application.id)
        current = {}
        for doc in reversed(history):
            current[doc.kind] = doc
        data["documents"] = [document_json(d) for d in current.values()]
        data["document_history"] = [document_json(d) for d in history]
        problems = services.submission_problems(application, set(current), fields.ADDED_AFTER_CONTRACT)
        data["missing"] = {k: [str(m) for m in v] for k, v in problems.items()}
        data["eligibility"] = assessment.current_eligibility(application, str(get_locale()))
    return data


def _load(application_id: int, *, lock: bool = False) -> Application:
    application = get_for_update(Application, application_id) if lock else db.session.get(Application, application_id)
    if application is None or not policies.can_view(current_user, application):
        raise NotFound(_("There is no such application."))
    return application


def _version(body: dict) -> int | None:
    version = body.pop("version", None)
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ValidationFailed(_("Some values are not valid."), fields={"version": [_("Must be a whole number.")]})
    return version


def _optional_body(allowed: set[str]) -> dict:
    if not request.get_data(cache=True).strip():
        return {}
    return json_body(allowed=allowed)


@api_bp.post("/applications")
@allow(Role.APPLICANT)
def create():
    body = json_body(allowed=set(WRITABLE))
    application = services.create_application(current_user.company, current_user, body)
    db.session.commit()
    return jsonify(application_json(application)), 201


@api_bp.get("/applications")
@allow(AUTHENTICATED)
def index():
    limit = page_limit()
    stmt = select(Application).order_by(Application.id.desc())
    status = request.args.get("status")
    if status:
        if status not in set(Status):
            raise ValidationFailed(_("Some values are not valid."),
                                   fields={"status": [_("Unknown status: use one of %(s)s.", s=", ".join(Status))]})
        stmt = stmt.where(Application.status == status)
    if current_user.role == Role.APPLICANT:
        stmt = stmt.where(Application.company_id == current_user.company_id)
    after = decode_cursor(request.args.get("cursor"), 1)
    if after is not None:
        if not isinstance(after[0], int):
            raise ValidationFailed(_("Some values are not valid."),
                                   fields={"cursor": [_("Start from the first page.")]})
        stmt = stmt.where(Application.id < after[0])
    rows = db.session.scalars(stmt.limit(limit + 1)).all()
    items = [application_json(a, full=False) for a in rows[:limit]]
    next_cursor = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
    return jsonify({"items": items, "next_cursor": next_cursor})


@api_bp.get("/applications/<int:application_id>")
@allow(AUTHENTICATED)
def show(application_id: int):
    return jsonify(application_json(_load(application_id)))


@api_bp.patch("/applications/<int:application_id>")
@allow(Role.APPLICANT)
def update(application_id: int):
    body = json_body(allowed=set(WRITABLE) | {"version"})
    version = _version(body)
    application = _load(application_id, lock=True)
    services.update_application(application, current_user, body, version)
    db.session.commit()
    return jsonify(application_json(application))


@api_bp.post("/applications/<int:application_id>/documents")
@allow(Role.APPLICANT)
def upload(application_id: int):
    try:
        names = set(request.form) | set(request.files)
    except (ValueError, UnicodeError) as error:  # a multipart body werkzeug cannot read at all
        raise ZoneError(_("Send the file as multipart/form-data with the fields kind and file."),
                        code="malformed_form") from error
    unknown = sorted(names - {"kind", "file", "apostilled"})
    if unknown:
        raise ValidationFailed(_("Unknown fields."), fields={k: [_("Unknown field.")] for k in unknown})
    application = _load(application_id, lock=True)
    upload_file = request.files.get("file")
    apostilled = (request.form.get("apostilled") or "").strip().lower() in {"1", "true", "yes", "on"}
    document = documents.add_document(application, current_user, request.form.get("kind"),
                                      upload_file.stream if upload_file else None,
                                      upload_file.filename if upload_file else None, apostilled=apostilled)
    db.session.commit()
    return jsonify(document_json(document)), 201


@api_bp.get("/applications/<int:application_id>/documents/<int:document_id>")
@allow(AUTHENTICATED)
@writes
def download(application_id: int, document_id: int):
    application = _load(application_id)
    document = documents.find_document(application.id, document_id)
    if document is None or not policies.can_download(current_user, document, application):
        raise NotFound(_("There is no such document."))
    data = documents.open_document(document)
    with documents.closed_on_error(data):
        documents.record_download(document, current_user)
        db.session.commit()
    return send_document(document, data)


def send_document(document: Document, data: BinaryIO):
    """The stored file (opened and checked by ``documents.open_document``) as an attachment that no browser
    will render or sniff; streamed, and closed when the response is."""
    response = send_file(data, mimetype=document.content_type, as_attachment=True,
                         download_name=documents.download_name(document), max_age=0, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = f"{CSP}; sandbox"  # never run as a page, even if opened
    return response


def _transition(application_id: int, run):
    body = _optional_body({"version", "comment"})
    version = _version(body)
    comment = body.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise ValidationFailed(_("Some values are not valid."), fields={"comment": [_("Must be text.")]})
    application = _load(application_id, lock=True)
    if not policies.can_act(current_user, application):
        raise NotFound(_("There is no such application."))
    run(application, version, comment)
    db.session.commit()
    return jsonify(application_json(application))


@api_bp.post("/applications/<int:application_id>/submit")
@allow(Role.APPLICANT)
def submit(application_id: int):
    return _transition(application_id, lambda app, version, _c: services.submit(
        app, current_user, version, optional=fields.ADDED_AFTER_CONTRACT))


@api_bp.post("/applications/<int:application_id>/withdraw")
@allow(Role.APPLICANT)
def withdraw(application_id: int):
    return _transition(application_id, lambda app, version, comment: services.withdraw(app, current_user, version,
                                                                                      comment))


@api_bp.post("/applications/<int:application_id>/resubmit")
@allow(Role.APPLICANT)
def resubmit(application_id: int):
    return _transition(application_id, lambda app, version, comment: services.resubmit(
        app, current_user, version, comment, optional=fields.ADDED_AFTER_CONTRACT))
