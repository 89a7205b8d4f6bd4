"""Company pages: the profile, the members and their invitations, accepting an invitation, and the
administrators' pages for disputed tax ids."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user

from zone.accounts.roles import Role
from zone.applications.models import Application
from zone.applications.workflow import STATUS_LABELS
from zone.companies import claims, policies, proofs, services
from zone.companies.forms import (
    AcceptInvitationForm,
    ClaimProofForm,
    EmptyForm,
    InviteForm,
    ProfileForm,
    ResolveClaimForm,
)
from zone.companies.models import ClaimStatus, Company
from zone.companies.records import Invitation
from zone.database import get_for_update, utcnow
from zone.errors import ZoneError
from zone.extensions import db
from zone.vocabulary import country_choices, country_name
from zone.web.access import PUBLIC, allow
from zone.web.forms import apply_service_errors, options

bp = Blueprint("companies", __name__)


def _own_company(lock: bool = False):
    company = get_for_update(Company, current_user.company_id) if lock else current_user.company
    if company is None or not policies.can_edit(current_user, company):
        abort(404)
    return company


def _application_to_return_to(company: Company):
    """The company's own application whose checklist linked here (``?application=<id>``), or None."""
    raw = request.args.get("application", "")
    application = db.session.get(Application, int(raw)) if raw.isdigit() and len(raw) < 12 else None
    return application if application is not None and application.company_id == company.id else None


@bp.route("/company", methods=["GET", "POST"])
@allow(Role.APPLICANT)
def profile():
    company = _own_company(lock=request.method == "POST")
    back_to = _application_to_return_to(company)
    form = ProfileForm(obj=company if request.method == "GET" else None)
    form.registration_country.choices = options([("", _("— choose —")), *country_choices(str(get_locale()))])
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            changes = services.update_profile(company, current_user, form.data)
        except ZoneError as error:
            db.session.rollback()
            apply_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("The company profile is saved.") if changes else _("Nothing was changed."), "success")
            if back_to is not None:
                return redirect(url_for("applications.view", application_id=back_to.id))
            return redirect(url_for("companies.profile"))
    return render_template("companies/profile.html", form=form, company=company, back_to=back_to,
                           identity_locked=services.has_submitted_application(company.id))


@bp.route("/company/members", methods=["GET", "POST"])
@allow(Role.APPLICANT)
def members():
    company = _own_company(lock=request.method == "POST")
    form = InviteForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            invitation = services.invite_member(company, current_user, form.email.data)
        except ZoneError as error:
            db.session.rollback()
            apply_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s. The link is valid for %(hours)s hours.", email=invitation.email,
                    hours=services.invitation_hours()), "success")
            return redirect(url_for("companies.members"))
    return render_template("companies/members.html", form=form, company=company,
                           members=services.members(company.id), invitations=services.invitations(company.id),
                           now=utcnow(), action_form=EmptyForm())


@bp.post("/company/invitations/<int:invitation_id>/revoke")
@allow(Role.APPLICANT)
def revoke_invitation(invitation_id: int):
    invitation = get_for_update(Invitation, invitation_id)
    if invitation is None or not policies.can_manage_invitation(current_user, invitation):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.revoke_invitation(invitation, current_user)
    except ZoneError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The invitation to %(email)s is withdrawn.", email=invitation.email), "success")
    return redirect(url_for("companies.members"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def accept_invitation(token: str):
    if current_user.is_authenticated:
        flash(_("You are signed in already. Sign out first to accept an invitation for another account."), "info")
        return redirect(url_for("web.index"))
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render_template("companies/invitation_invalid.html"), 404
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token, full_name=form.full_name.data, password=form.password.data,
                                              locale=str(get_locale()))
        except ZoneError as error:
            db.session.rollback()
            apply_service_errors(form, error)
        else:
            db.session.commit()
            lang = session.get("lang")
            session.clear()  # a fresh session at sign-in; only the chosen language survives
            if lang:
                session["lang"] = lang
            login_user(user)
            session.permanent = True
            flash(_("Welcome! You have joined %(company)s.", company=user.company.name), "success")
            return redirect(url_for("applications.dashboard"))
    return render_template("companies/accept.html", form=form, invitation=invitation,
                           country_name=country_name(invitation.company.registration_country, str(get_locale())))


# --- proof of the tax id by the company's qualified e-signature ---------------------------------------

def _proof_page(company: Company, form: ClaimProofForm | None = None, status: int = 200):
    return render_template("companies/claim_proof.html", company=company, proof=proofs.proof_of(company),
                           statement=proofs.open_statement(company), form=form or ClaimProofForm(formdata=None),
                           button=EmptyForm(formdata=None), open_claim=company.claim_status == ClaimStatus.OPEN,
                           country_name=country_name(company.registration_country, str(get_locale()))), status


@bp.get("/company/claim")
@allow(Role.APPLICANT)
def claim_proof():
    return _proof_page(_own_company())


@bp.post("/company/claim/statement")
@allow(Role.APPLICANT)
def claim_statement():
    company = _own_company(lock=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        proofs.issue_statement(company, current_user)
    except ZoneError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("companies.claim_proof"))
    db.session.commit()
    return redirect(url_for("companies.claim_proof", _anchor="sign"))


@bp.get("/company/claim/statements/<reference>.pdf")
@allow(Role.APPLICANT)
def claim_statement_pdf(reference: str):
    statement = proofs.statement(_own_company(), reference) or abort(404)
    response = Response(statement.statement, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{statement.reference}.pdf"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(statement.statement_sha256)
    return response.make_conditional(request)


@bp.post("/company/claim")
@allow(Role.APPLICANT)
def prove_claim():
    company = _own_company(lock=True)
    form = ClaimProofForm()
    upload = form.file.data
    if not form.validate_on_submit() or upload is None or not hasattr(upload, "stream"):
        db.session.rollback()
        form.file.errors = [*(form.file.errors or []), _("Attach the signed PDF.")]
        return _proof_page(_own_company(), form)
    try:
        proofs.prove(company, current_user, upload.stream.read(proofs.upload_limit() + 1))
    except ZoneError as error:
        db.session.rollback()
        apply_service_errors(form, error)
        return _proof_page(_own_company(), form, status=error.status if error.status in (403, 409) else 200)
    db.session.commit()
    flash(_("Thank you: your company's tax id is proven by its electronic signature."), "success")
    return redirect(url_for("companies.claim_proof"))


# --- disputed tax ids (administrators) --------------------------------------------------------------

def _claims_admin() -> None:
    if not policies.can_resolve_claims(current_user):
        abort(403)


@bp.get("/admin/claims")
@allow(Role.ADMIN)
def disputes():
    _claims_admin()
    return render_template("companies/disputes.html", disputes=claims.disputes(),
                           resolutions=claims.recent_resolutions(), action_labels=claims.ACTION_LABELS)


def _claim_form(company: Company, rivals: list[Company], *, sent: bool = False) -> ResolveClaimForm:
    """The decision form of one claim: empty, or (``sent``) read from the request."""
    prefix = f"claim-{company.id}"
    form = ResolveClaimForm(prefix=prefix) if sent else ResolveClaimForm(formdata=None, prefix=prefix)
    form.target.choices = options([("", _("— choose —")), *[(str(c.id), f"{c.name} (№ {c.id})") for c in rivals]])
    return form


def _claim_page(company: Company, submitted: ResolveClaimForm | None = None):
    every = claims.claims_of(company)
    open_claims = [c for c in every if c.claim_status == ClaimStatus.OPEN]
    forms = {c.id: _claim_form(c, [o for o in open_claims if o.id != c.id]) for c in open_claims}
    if submitted is not None and company.id in forms:
        submitted.target.choices = forms[company.id].target.choices
        forms[company.id] = submitted
    return render_template("companies/claim.html", company=company, claims=every, forms=forms,
                           members={c.id: services.members(c.id) for c in every},
                           proofs=proofs.proofs_of(every),
                           records={c.id: claims.records_of(c) for c in every},
                           resolutions=claims.resolutions_of(every), claim_labels=claims.STATUS_LABELS,
                           action_labels=claims.ACTION_LABELS, application_labels=STATUS_LABELS)


@bp.route("/admin/companies/<int:company_id>/claim", methods=["GET", "POST"])
@allow(Role.ADMIN)
def claim(company_id: int):
    _claims_admin()
    company = db.session.get(Company, company_id)
    if company is None:
        abort(404)
    if request.method == "GET":
        return _claim_page(company)
    form = _claim_form(company, [], sent=True)
    if not form.validate_on_submit():
        abort(400)
    try:
        resolution = claims.resolve(company.id, current_user, action=form.action.data, target=form.target.data,
                                    reason=form.reason.data)
    except ZoneError as error:
        db.session.rollback()
        apply_service_errors(form, error)
        return _claim_page(db.session.get(Company, company_id), submitted=form), error.status
    db.session.commit()
    flash(_("The claim of %(company)s is resolved.", company=company.name), "success")
    return redirect(url_for("companies.claim", company_id=resolution.target_id or company.id))
