"""Certificate pages for companies and staff. The public pages (verify, register) are in
:mod:`zone.certificates.public`; both hang on the blueprint of :mod:`zone.certificates.blueprints`."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from zone.accounts.roles import READER_ROLES, Role
from zone.api.common import actor_name
from zone.calendar import today as zone_today
from zone.certificates import policies, presenters, queries, services
from zone.certificates import reissue as reissue_flow
from zone.certificates.blueprints import bp, pdf_response
from zone.certificates.forms import ReissueDecisionForm, ReissueForm, StatusChangeForm
from zone.certificates.models import Certificate, CertificateStatus
from zone.certificates.workflow import ACTION_LABELS, Action
from zone.database import writes
from zone.errors import ZoneError
from zone.extensions import db
from zone.web.access import AUTHENTICATED, allow
from zone.web.confirm import Confirmation, ask, is_confirmed
from zone.web.formatting import fmt_date
from zone.web.forms import apply_service_errors

STATUS_ACTIONS = {
    Action.SUSPEND: services.suspend,
    Action.REINSTATE: services.reinstate,
    Action.REVOKE: services.revoke,
}
PAGE_SIZE = 50


@bp.context_processor
def _helpers():
    return {
        "status_label": presenters.status_label,
        "cert_date": presenters.cert_date,
        "side_label": presenters.side_label,
        "sector_label": presenters.sector_label,
        "status_sentence": presenters.status_sentence,
        "benefits_of": presenters.benefits_view,
        "action_label": lambda action: str(ACTION_LABELS[Action(action)]),
        "actor_name": lambda actor: actor_name(actor, current_user) or _("system"),
        "proposal_benefits": presenters.proposal_benefits_view,
        "benefits_by_code": lambda certificate: {b["code"]: b for b in presenters.benefits_view(certificate)},
        "today": zone_today(),
    }


def _visible(serial: str) -> Certificate:
    certificate = queries.by_serial(serial)
    if certificate is None or not policies.can_view(current_user, certificate):
        abort(404)  # also for certificates the user may not know exist
    return certificate


def _reissue_form(certificate: Certificate) -> ReissueForm:
    """A fresh proposal form: one row per benefit the certificate carries, kept, ending as it does."""
    form = ReissueForm(formdata=None)
    for benefit in certificate.benefits:
        row = form.benefits.append_entry().form
        row.code.data, row.granted.data = benefit["code"], True
    return form


def _detail_page(certificate: Certificate, *, status_form=None, reissue_form=None, decision_form=None,
                 open_action=None, status: int = 200):
    """The certificate's page; after a refused change the forms keep what the user typed."""
    actions = list(policies.actions_for(current_user, certificate))
    refused = Action.SUPERSEDE if open_action == "reissue" else open_action
    if refused in set(Action) and refused not in actions:
        # The change was refused because the status moved on: still show what was typed, with the reason.
        actions.append(Action(refused))
    proposal = reissue_flow.pending_proposal(certificate) if policies.can_list_all(current_user) else None
    if decision_form is None and proposal is not None:
        decision_form = ReissueDecisionForm(formdata=None, prefix="decide")
        decision_form.proposal.data = proposal.id
    page = render_template(
        "certificates/detail.html",
        certificate=certificate,
        events=queries.history(certificate),
        actions=actions,
        status_form=status_form or StatusChangeForm(formdata=None),
        reissue_form=reissue_form or _reissue_form(certificate),
        proposal=proposal,
        decision_form=decision_form,
        can_decide=policies.can_decide_reissue(current_user, proposal) if proposal is not None else False,
        open_action=open_action,
        verify_url=presenters.public_verify_url(certificate),
    )
    return page, status


@bp.get("/certificates/mine")
@allow(Role.APPLICANT)
def mine():
    certificates = db.session.scalars(
        queries.filtered(queries.CertificateFilter(company_id=current_user.company_id), zone_today()).options(
            selectinload(Certificate.superseded_by)
        )
    ).all()
    return render_template("certificates/mine.html", certificates=certificates)


@bp.get("/certificates")
@allow(*READER_ROLES)
def staff_list():
    f, errors = queries.filter_from_args(request.args)
    if errors:
        flash(_("Some filters were not understood and were ignored."), "warning")
    after = request.args.get("after", type=int)
    stmt = queries.filtered(f, zone_today()).options(selectinload(Certificate.superseded_by))
    certificates, next_after = queries.page(stmt, PAGE_SIZE, after)
    return render_template(
        "certificates/list.html",
        certificates=certificates,
        f=f,
        next_after=next_after,
        statuses=list(CertificateStatus),
    )


@bp.get("/certificates/<serial>")
@allow(AUTHENTICATED)
def detail(serial: str):
    return _detail_page(_visible(serial))


@bp.get("/certificates/<serial>/pdf")
@allow(AUTHENTICATED)
@writes
def download(serial: str):
    certificate = _visible(serial)
    return pdf_response(certificate)


def _revocation_confirmation(certificate: Certificate, form: StatusChangeForm) -> Confirmation:
    """What revoking does, stated before it is done: it cannot be reinstated."""
    effective = form.effective_date.data or zone_today()
    return Confirmation(
        title=_("Revoke certificate %(serial)s?", serial=certificate.serial),
        consequences=[
            _("From %(date)s the company is no longer a resident: the certificate's benefits end that day, its "
              "activity agreement ends, the verification page shows it revoked and the tax and customs services "
              "are notified.", date=fmt_date(effective)),
            _("A revoked certificate cannot be reinstated; the company would have to apply again. To stop the "
              "benefits for a while, suspend it instead."),
        ],
        facts=[(_("Company"), certificate.company_name), (_("Reason (the company will read it)"), form.reason.data)],
        confirm_label=_("Revoke the certificate"),
        back_url=url_for("certificates.detail", serial=certificate.serial))


@bp.post("/certificates/<serial>/status/<action>")
@allow(Role.ADMIN, Role.APPROVER)
def change_status(serial: str, action: str):
    if action not in {a.value for a in STATUS_ACTIONS}:
        abort(404)
    certificate = queries.certificate_for_update(serial) or abort(404)
    form = StatusChangeForm()
    if form.validate_on_submit() and action == Action.REVOKE and not is_confirmed():
        db.session.rollback()
        return ask(_revocation_confirmation(certificate, form))
    if form.validate_on_submit():
        try:
            STATUS_ACTIONS[Action(action)](
                certificate, current_user, reason=form.reason.data, effective_date=form.effective_date.data
            )
        except ZoneError as error:
            db.session.rollback()
            apply_service_errors(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "The certificate %(serial)s is now: %(status)s.",
                    serial=certificate.serial,
                    status=presenters.status_label(certificate.status),
                ),
                "success",
            )
            return redirect(url_for("certificates.detail", serial=certificate.serial))
    else:
        db.session.rollback()
    return _detail_page(_visible(serial), status_form=form, open_action=action)


def _benefit_choice(form: ReissueForm, certificate: Certificate) -> list[dict] | None:
    """The proposer's choice as the service reads it: None when the rows are the certificate's benefits
    untouched, else the kept codes, with an end date where one was given."""
    rows = [entry.form for entry in form.benefits.entries]
    current = {b["code"]: b["periods"] for b in certificate.benefits}
    untouched = sorted(r.code.data or "" for r in rows) == sorted(current) and all(
        r.granted.data and (r.until.data is None or r.until.data.isoformat() == _last_until(current[r.code.data]))
        for r in rows)
    if untouched:
        return None
    chosen = []
    for row in rows:
        if not row.granted.data:
            continue
        item = {"code": row.code.data or ""}
        if row.until.data is not None and row.until.data.isoformat() != _last_until(current.get(row.code.data)):
            item["until"] = row.until.data.isoformat()
        chosen.append(item)
    return chosen


def _last_until(periods: list[dict] | None) -> str | None:
    return periods[-1]["until"] if periods else None


def _place_benefit_errors(form: ReissueForm, error: ZoneError) -> ZoneError:
    """Show each benefit's problem next to its row; the rest go to the form as usual."""
    fields = dict(error.fields or {})
    for entry in form.benefits.entries:
        messages = fields.pop(f"benefits.{entry.form.code.data}", None)
        if messages:
            entry.form.until.errors = list(entry.form.until.errors or []) + [str(m) for m in messages]
    placed = ZoneError(error.message, fields=fields)
    placed.status = error.status
    return placed


@bp.post("/certificates/<serial>/reissue")
@allow(Role.ADMIN, Role.APPROVER)
def reissue(serial: str):
    """Propose a reissue, or (a second person) confirm or decline the pending proposal."""
    certificate = queries.certificate_for_update(serial) or abort(404)
    if "decide-proposal" in request.form:
        return _decide_reissue(certificate)
    form = ReissueForm()
    if not form.validate_on_submit():
        db.session.rollback()
        return _detail_page(_visible(serial), reissue_form=form, open_action="reissue", status=422)
    try:
        reissue_flow.propose(certificate, current_user, reason=form.reason.data, basis=form.basis.data,
                             benefits=_benefit_choice(form, certificate))
    except ZoneError as error:
        db.session.rollback()
        apply_service_errors(form, _place_benefit_errors(form, error))
        return _detail_page(_visible(serial), reissue_form=form, open_action="reissue", status=error.status)
    db.session.commit()
    flash(_("The reissue is proposed. Another approver or administrator must confirm it before the new "
            "certificate is signed."), "success")
    return redirect(url_for("certificates.detail", serial=certificate.serial))


def _decide_reissue(certificate: Certificate):
    form = ReissueDecisionForm(prefix="decide")
    if not form.validate_on_submit():
        db.session.rollback()
        return _detail_page(_visible(certificate.serial), decision_form=form, status=422)
    try:
        _proposal, replacement = reissue_flow.decide(certificate, current_user, proposal_id=form.proposal.data,
                                                     decision=form.decision.data, reason=form.reason.data)
    except ZoneError as error:
        db.session.rollback()
        apply_service_errors(form, error)
        return _detail_page(_visible(certificate.serial), decision_form=form, status=error.status)
    db.session.commit()
    if replacement is None:
        flash(_("The reissue proposal is closed; nothing was signed."), "success")
        return redirect(url_for("certificates.detail", serial=certificate.serial))
    flash(_("Certificate %(old)s was superseded by %(new)s.", old=certificate.serial, new=replacement.serial),
          "success")
    return redirect(url_for("certificates.detail", serial=replacement.serial))

