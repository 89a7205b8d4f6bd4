"""The documents page: the checklist for this side and company, uploads with history, audited downloads."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from zone.applications import documents, fields, policies
from zone.applications.api import send_document
from zone.applications.blueprint import bp, load_application
from zone.applications.forms import UploadForm
from zone.applications.models import Application
from zone.database import writes
from zone.errors import TooLarge, ZoneError
from zone.extensions import db
from zone.web.access import AUTHENTICATED, allow
from zone.web.errors import error_response


def render_documents(application: Application, form: UploadForm, *, file_errors: list[str] | None = None,
                     status: int = 200):
    history = documents.documents_of(application.id)
    by_kind: dict[str, list] = {kind: [] for kind in fields.DOCUMENT_KINDS}
    for doc in history:
        by_kind.setdefault(doc.kind, []).append(doc)  # newest first: [0] is the current version
    foreign = bool(application.side and application.company.registration_country != application.side)
    html = render_template(
        "applications/documents.html", application=application, form=form, by_kind=by_kind,
        labels=fields.DOCUMENT_LABELS, required=set(fields.REQUIRED_DOCUMENTS), foreign=foreign,
        can_upload=policies.can_edit(current_user, application), file_errors=file_errors or [],
        max_mb=documents.max_upload_bytes() // (1024 * 1024), download_name=documents.download_name)
    return html, status


@bp.route("/applications/<int:application_id>/documents", methods=["GET", "POST"], endpoint="documents")
@allow(AUTHENTICATED)
def documents_page(application_id: int):
    application = load_application(application_id, lock=request.method == "POST")
    form = UploadForm()
    if request.method == "GET":
        return render_documents(application, form)
    if not policies.can_edit(current_user, application):
        if policies.is_member(current_user, application):
            flash(_("Documents can be added only while the application is a draft or while information is "
                    "requested."), "error")
            return redirect(url_for("applications.view", application_id=application.id))
        abort(403)  # staff and auditors see the documents but never add any
    if not form.validate_on_submit():
        abort(400)
    upload = request.files.get("file")
    has_file = upload is not None and bool(upload.filename)
    try:
        document = documents.add_document(application, current_user, form.kind.data,
                                          upload.stream if has_file else None, upload.filename if has_file else None,
                                          apostilled=bool(form.apostilled.data))
    except ZoneError as error:
        db.session.rollback()
        application = load_application(application_id)
        if "kind" in error.fields:
            form.kind.errors = [str(m) for m in error.fields["kind"]]
        file_errors = [str(m) for m in error.fields.get("file", [])]
        if not error.fields:
            flash(str(error.message), "error")
        return render_documents(application, form, file_errors=file_errors,
                                status=413 if isinstance(error, TooLarge) else 200)
    db.session.commit()
    flash(_("“%(name)s” is uploaded as: %(kind)s.", name=document.filename,
            kind=fields.DOCUMENT_LABELS[document.kind]), "success")
    return redirect(url_for("applications.documents", application_id=application.id))


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error):
    """A request bigger than MAX_CONTENT_LENGTH: on the upload page, say so next to the file field."""
    if request.endpoint == "applications.documents" and request.view_args:
        db.session.rollback()
        try:
            application = load_application(request.view_args["application_id"])
        except NotFound:  # someone else's application: the same 404 as for any other request to it
            return error_response(404)
        return render_documents(application, UploadForm(formdata=None, meta={"csrf": False}),
                                file_errors=[str(documents.too_large_error().message)], status=413)
    return error_response(413)


@bp.get("/applications/<int:application_id>/documents/<int:document_id>")
@allow(AUTHENTICATED)
@writes
def download(application_id: int, document_id: int):
    application = load_application(application_id)
    document = documents.find_document(application.id, document_id)
    if document is None or not policies.can_download(current_user, document, application):
        abort(404)
    data = documents.open_document(document)
    with documents.closed_on_error(data):
        documents.record_download(document, current_user)
        db.session.commit()
    return send_document(document, data)
