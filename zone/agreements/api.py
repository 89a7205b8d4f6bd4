"""Agreement endpoints of the JSON API (API.md "Agreements")."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from zone.accounts.roles import STAFF_ROLES, Role
from zone.agreements import policies, presenters, queries, services
from zone.agreements.models import Agreement, AgreementAmendment
from zone.api.common import decode_cursor, encode_cursor, json_body, page_limit
from zone.audit.services import record
from zone.database import writes
from zone.errors import NotFound, ValidationFailed, ZoneError
from zone.extensions import db
from zone.web.access import AUTHENTICATED, allow

api_bp = Blueprint("agreements_api", __name__, url_prefix="/api/v1")
MAX_VERSION = 2**31 - 1
STAGES = ("zone", "concluded")


def _visible(number: str) -> Agreement:
    agreement = queries.by_number(number)
    if agreement is None or not policies.can_view(current_user, agreement):
        raise NotFound(_("There is no such agreement."))
    return agreement


def _locked(number: str) -> Agreement:
    """The agreement row-locked for a change, if the caller may see it at all (else 404)."""
    _visible(number)
    agreement = queries.for_update(number)
    if agreement is None:
        raise NotFound(_("There is no such agreement."))
    return agreement


def _amendment(agreement: Agreement, number: int) -> AgreementAmendment:
    amendment = queries.amendment(agreement, number)
    if amendment is None:
        raise NotFound(_("There is no such amendment."))
    return amendment


def _version(body: dict):
    version = body.get("version")
    if version is None:
        raise ValidationFailed(_("Some values are missing or of the wrong type."),
                               fields={"version": [_("This field is required.")]})
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= MAX_VERSION:
        raise ValidationFailed(_("Some values are not valid."),
                               fields={"version": [_("Must be the agreement's current version.")]})
    return version


def _json(agreement: Agreement):
    return presenters.agreement_json(agreement, staff=policies.can_list_all(current_user))


def pdf_response(agreement: Agreement, data: bytes, digest: str, filename: str) -> Response:
    """Stored bytes as they are, with the SHA-256 as ETag; an actual download is audited."""
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(digest)
    response = response.make_conditional(request)
    if response.status_code == 200:
        record("agreement.download", agreement, details={"number": agreement.number, "sha256": digest})
        db.session.commit()
    return response


def current_pdf(agreement: Agreement) -> tuple[bytes, str, str]:
    """The current PDF: the latest revision, with both signatures once the company signed it."""
    revision = queries.revision(agreement)
    if revision.concluded:
        return revision.concluded_pdf, revision.concluded_sha256, f"{agreement.number}-r{revision.number}-signed.pdf"
    return revision.zone_pdf, revision.zone_sha256, f"{agreement.number}-r{revision.number}.pdf"


def revision_pdf_data(agreement: Agreement, number: int, stage: str | None) -> tuple[bytes, str, str]:
    """A revision's zone-signed or concluded PDF (default: the latest of the two)."""
    if stage not in (None, "", *STAGES):
        raise ValidationFailed(_("Some values are not valid."), fields={"stage": [_("Use zone or concluded.")]})
    revision = queries.revision(agreement, number) if 1 <= number <= MAX_VERSION else None
    if revision is None:
        raise NotFound(_("There is no such revision."))
    if stage == "concluded" or (not stage and revision.concluded):
        if not revision.concluded:
            raise NotFound(_("The company has not signed this revision."))
        return (revision.concluded_pdf, revision.concluded_sha256,
                f"{agreement.number}-r{revision.number}-signed.pdf")
    return revision.zone_pdf, revision.zone_sha256, f"{agreement.number}-r{revision.number}.pdf"


@api_bp.get("/agreements")
@allow(AUTHENTICATED)
def list_agreements():
    f, errors = queries.filter_from_args(request.args)
    if errors:
        raise ValidationFailed(_("Some values are not valid."),
                               fields={name: [_("Not a valid value.")] for name in errors})
    if not policies.can_list_all(current_user):
        if current_user.role != Role.APPLICANT or current_user.company_id is None:
            return jsonify({"items": [], "next_cursor": None})
        f.company_id = current_user.company_id
    limit = page_limit()
    cursor = decode_cursor(request.args.get("cursor"), 1)
    if cursor and (isinstance(cursor[0], bool) or not isinstance(cursor[0], int)):
        raise ZoneError(_("The cursor is not valid; start again from the first page."), code="bad_cursor")
    rows, last_id = queries.page(queries.filtered(f), limit, cursor[0] if cursor else None)
    return jsonify({"items": [presenters.agreement_json(a, full=False) for a in rows],
                    "next_cursor": encode_cursor([last_id]) if last_id else None})


@api_bp.get("/agreements/<number>")
@allow(AUTHENTICATED)
def get_agreement(number: str):
    return jsonify(_json(_visible(number)))


@api_bp.get("/agreements/<number>/history")
@allow(AUTHENTICATED)
def agreement_history(number: str):
    agreement = _visible(number)
    staff = policies.can_list_all(current_user)
    events = [e for e in queries.history(agreement) if staff or e.action in presenters.COMPANY_SEES]
    return jsonify({"items": [presenters.event_json(e, staff=staff) for e in events]})


@api_bp.get("/agreements/<number>/pdf")
@allow(AUTHENTICATED)
@writes
def agreement_pdf(number: str):
    agreement = _visible(number)
    return pdf_response(agreement, *current_pdf(agreement))


@api_bp.get("/agreements/<number>/revisions/<int:revision>/pdf")
@allow(AUTHENTICATED)
@writes
def revision_pdf(number: str, revision: int):
    agreement = _visible(number)
    return pdf_response(agreement, *revision_pdf_data(agreement, revision, request.args.get("stage")))


@api_bp.post("/agreements/<number>/countersign")
@allow(Role.APPLICANT)
def countersign(number: str):
    agreement = _locked(number)
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(_("Attach the signed PDF."), fields={"file": [_("Attach the signed PDF.")]})
    data = upload.stream.read(services.upload_limit() + 1)
    services.countersign(agreement, current_user, data)
    db.session.commit()
    return jsonify(_json(agreement))


@api_bp.post("/agreements/<number>/amendments")
@allow(*STAFF_ROLES)
def propose_amendment(number: str):
    body = json_body(allowed={"version", "reason", "obligations"})
    version = _version(body)
    agreement = _locked(number)
    services.propose_amendment(agreement, current_user, version=version, reason=body.get("reason"),
                               changes=body.get("obligations"))
    db.session.commit()
    return jsonify(_json(agreement)), 201


@api_bp.post("/agreements/<number>/amendments/<int:amendment>/approve")
@allow(Role.APPROVER, Role.ADMIN)
def approve_amendment(number: str, amendment: int):
    body = json_body(allowed={"version"})
    version = _version(body)
    agreement = _locked(number)
    services.approve_amendment(agreement, _amendment(agreement, amendment), current_user, version=version)
    db.session.commit()
    return jsonify(_json(agreement))


@api_bp.post("/agreements/<number>/amendments/<int:amendment>/reject")
@allow(Role.APPROVER, Role.ADMIN)
def reject_amendment(number: str, amendment: int):
    body = json_body(allowed={"version", "reason"})
    version = _version(body)
    agreement = _locked(number)
    services.reject_amendment(agreement, _amendment(agreement, amendment), current_user, version=version,
                              reason=body.get("reason"))
    db.session.commit()
    return jsonify(_json(agreement))
