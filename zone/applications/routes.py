"""The company's application pages: dashboard, new application, overview with timeline, transitions.

Section forms are in :mod:`zone.applications.section_routes`, documents in
:mod:`zone.applications.document_routes`; all on this blueprint.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from zone.accounts.roles import Role
from zone.api.common import decode_cursor, encode_cursor
from zone.applications import assessment, documents, fields, policies, presenters, services
from zone.applications.blueprint import bp, load_application, parse_version
from zone.applications.forms import NewApplicationForm, TransitionForm
from zone.applications.models import Application
from zone.applications.workflow import STATUS_LABELS, TRANSITIONS, Action, Status
from zone.database import writes
from zone.errors import ZoneError
from zone.extensions import db
from zone.web.access import AUTHENTICATED, allow

PAGE_SIZE = 20


@bp.get("/applications")
@allow(Role.APPLICANT)
def dashboard():
    try:
        after = decode_cursor(request.args.get("after"), 1)
    except ZoneError:
        after = None
    after_id = after[0] if after and isinstance(after[0], int) else None
    rows, next_id = presenters.dashboard_rows(current_user.company_id, current_user.id, after_id, PAGE_SIZE)
    return render_template("applications/dashboard.html", rows=rows, status_labels=STATUS_LABELS,
                           side_labels=fields.SIDE_LABELS, first_page=after_id is None,
                           next_cursor=encode_cursor([next_id]) if next_id else None, form=NewApplicationForm())


@bp.route("/applications/new", methods=["GET", "POST"])
@allow(Role.APPLICANT)
def new():
    form = NewApplicationForm()
    if request.method == "POST" and form.validate_on_submit() and not form.side.data:
        form.side.errors = [_("Choose the part of the centre where you will produce.")]
    elif request.method == "POST" and form.validate_on_submit():
        try:
            application = services.create_application(current_user.company, current_user, {"side": form.side.data})
        except ZoneError as error:
            db.session.rollback()
            form.side.errors = [str(m) for m in error.fields.get("side", [error.message])]
        else:
            db.session.commit()
            flash(_("The draft is created. Fill in the sections in any order; every section is saved on its own."),
                  "success")
            return redirect(url_for("applications.edit_section", application_id=application.id, section="project"))
    return render_template("applications/new.html", form=form, side_labels=fields.SIDE_LABELS)


def render_overview(application: Application, *, error: ZoneError | None = None, status: int = 200):
    """The overview page: state, what is missing, actions, documents, eligibility preview and timeline."""
    current = services.current_documents(application.id)
    problems = services.submission_problems(application, set(current)) \
        if application.status in (Status.DRAFT, Status.INFO_REQUESTED) else {}
    submit_problems = presenters.problem_list(application.id, error.fields) \
        if error is not None and error.code == "incomplete" else []
    role = current_user.role
    actions = [a for (state, a), (_next, roles) in TRANSITIONS.items()
               if state == application.status and role in roles] if policies.can_act(current_user, application) else []
    request_event = presenters.open_information_request(application.id) \
        if application.status == Status.INFO_REQUESTED else None
    html = render_template(
        "applications/view.html", application=application, problems=presenters.problem_list(application.id, problems),
        submit_problems=submit_problems, sections=presenters.section_states(problems), documents=current,
        timeline=presenters.timeline(application.id, policies.sees_internal(current_user), current_user),
        next_step=presenters.next_step(application, problems), deadline=presenters.deadline_of(application),
        actions=actions, Action=Action, status_labels=STATUS_LABELS, fields=fields, form=TransitionForm(),
        can_edit=policies.can_edit(current_user, application), request_event=request_event,
        eligibility=assessment.current_eligibility(application, str(get_locale())),
        section_url=presenters.section_url, download_name=documents.download_name,
        display=lambda app, name: presenters.display_value(app, name, str(get_locale())), error=error)
    return html, status


@bp.get("/applications/<int:application_id>")
@allow(AUTHENTICATED)
@writes
def view(application_id: int):
    application = load_application(application_id)
    response = render_overview(application)
    if policies.is_member(current_user, application):
        services.mark_read(application, current_user)
        db.session.commit()
    return response


def _transition(application_id: int, run, success: str):
    application = load_application(application_id, lock=True)
    if not policies.can_act(current_user, application):
        abort(404)
    form = TransitionForm()
    if not form.validate_on_submit():
        abort(400)
    version = parse_version(form.version.data)
    try:
        run(application, version, form.comment.data)
    except ZoneError as error:
        db.session.rollback()
        application = load_application(application_id)
        if error.code == "incomplete":  # a form-like refusal: the page lists what to complete (200)
            return render_overview(application, error=error)
        flash(str(error.message), "error")
        return render_overview(application, error=error, status=error.status)  # 409 illegal or stale
    db.session.commit()
    flash(success, "success")
    return redirect(url_for("applications.view", application_id=application.id))


@bp.post("/applications/<int:application_id>/submit")
@allow(Role.APPLICANT)
def submit(application_id: int):
    return _transition(application_id, lambda app, version, _comment: services.submit(app, current_user, version),
                       _("The application is submitted. We have sent a confirmation by email."))


@bp.post("/applications/<int:application_id>/withdraw")
@allow(Role.APPLICANT)
def withdraw(application_id: int):
    return _transition(application_id,
                       lambda app, version, comment: services.withdraw(app, current_user, version, comment),
                       _("The application is withdrawn."))


@bp.post("/applications/<int:application_id>/resubmit")
@allow(Role.APPLICANT)
def resubmit(application_id: int):
    return _transition(application_id,
                       lambda app, version, comment: services.resubmit(app, current_user, version, comment),
                       _("Your answer is sent. The review continues."))

