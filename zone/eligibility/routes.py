"""Eligibility pages: the public benefits check and the rule-set admin pages."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from zone.accounts.roles import Role
from zone.calendar import today
from zone.errors import ZoneError
from zone.extensions import db
from zone.vocabulary import country_choices
from zone.web.access import PUBLIC, allow
from zone.web.confirm import Confirmation, ask, is_confirmed
from zone.web.forms import apply_service_errors, options

from . import admin, changes, services
from .forms import CheckForm, EmptyForm, UploadForm
from .serialize import rule_set_json

bp = Blueprint("eligibility", __name__)
MAX_UPLOAD_CHARS = 1_000_000


def _locale() -> str:
    return str(get_locale() or "ru")


@bp.route("/eligibility", methods=["GET", "POST"])
@allow(PUBLIC)
def check():
    """Public pre-check: the facts in, admitted or not, each benefit with its periods and reasons."""
    form = CheckForm()
    countries = list(country_choices(_locale()))
    form.registration_country.choices = options([("", _("— choose —")), *countries])
    form.other_country.choices = options([("", "—"), *countries])
    if request.method == "GET" and not form.on_date.data:
        form.on_date.data = today()
    result = None
    if form.validate_on_submit():
        try:
            on_date = form.on_date.data or today()
            result = services.check_facts(form.facts_data(), on_date).to_dict(_locale())
        except ZoneError as error:
            apply_service_errors(form, error, CheckForm.ERROR_FIELDS)
    return render_template("eligibility/check.html", form=form, result=result)


# --- rule-set administration (admin changes, auditor reads) ---------------------------------------


@bp.get("/admin/rule-sets")
@allow(Role.ADMIN, Role.AUDITOR)
def admin_rulesets():
    return render_template("eligibility/rulesets.html", entries=admin.rule_set_entries())


@bp.route("/admin/rule-sets/upload", methods=["GET", "POST"])
@allow(Role.ADMIN)
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        source = _text(form.source_file.data) or (form.source.data or "")
        cases = _text(form.cases_file.data) or (form.cases.data or "")
        if not source.strip():
            form.source.errors.append(_("Paste the rule set or choose its file."))
        else:
            try:
                row = admin.upload_rule_set(source, current_user, cases)
            except ZoneError as error:
                db.session.rollback()
                return render_template("eligibility/upload.html", form=form, error=error), 200
            db.session.commit()
            flash(_("Rule set %(version)s uploaded as a draft.", version=row.version), "success")
            return redirect(url_for("eligibility.admin_ruleset", version=row.version))
    return render_template("eligibility/upload.html", form=form, error=None)


def _text(upload) -> str | None:
    if not upload or not getattr(upload, "filename", None):
        return None
    raw = upload.read(MAX_UPLOAD_CHARS * 4 + 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "\u0000"  # not UTF-8: the validator reports it as unreadable YAML


@bp.get("/admin/rule-sets/<version>")
@allow(Role.ADMIN, Role.AUDITOR)
def admin_ruleset(version: str):
    entry = admin.get_entry(version)
    rule_set = entry.rule_set
    current, differences = admin.diff_against_current(rule_set)
    impact_date, impact_rows = (None, [])
    if entry.origin == "uploaded" and entry.status in ("draft", "pending_activation"):
        impact_date, impact_rows = admin.impact(rule_set)
    return render_template(
        "eligibility/ruleset.html",
        entry=entry,
        data=rule_set_json(rule_set, _locale()),
        current=current,
        changes=changes.for_people(current, rule_set, differences, _locale()) if current else [],
        impact_date=impact_date,
        impact_rows=impact_rows,
        report=entry.row.cases_report if entry.row else None,
        form=EmptyForm(),
    )


@bp.get("/admin/rule-sets/<version>/source.yaml")
@allow(Role.ADMIN, Role.AUDITOR)
def admin_ruleset_source(version: str):
    entry = admin.get_entry(version)
    return Response(entry.rule_set.source, mimetype="text/yaml; charset=utf-8")


def _action(version: str, action, done: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action(version, current_user)
    except ZoneError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("eligibility.admin_ruleset", version=version))


@bp.post("/admin/rule-sets/<version>/request-activation")
@allow(Role.ADMIN)
def request_activation(version: str):
    return _action(version, admin.request_activation, _("Activation requested; another admin must activate it."))


@bp.post("/admin/rule-sets/<version>/activate")
@allow(Role.ADMIN)
def activate(version: str):
    return _action(version, admin.activate, _("The rule set is active."))


@bp.post("/admin/rule-sets/<version>/retire")
@allow(Role.ADMIN)
def retire(version: str):
    if EmptyForm().validate_on_submit() and not is_confirmed():
        admin.get_entry(version)  # 404 for an unknown version
        return ask(Confirmation(
            title=_("Retire rule set %(version)s?", version=version),
            consequences=[
                _("From now on no eligibility check and no decision uses this rule set; where it was in force, the "
                  "rule set before it applies again. Certificates already issued keep the benefits they were "
                  "signed with."),
                _("A retired rule set cannot be activated again: to change the rules, publish a new version."),
            ],
            confirm_label=_("Retire the rule set"),
            back_url=url_for("eligibility.admin_ruleset", version=version)))
    return _action(version, admin.retire, _("The rule set is retired."))
