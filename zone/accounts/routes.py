"""Account pages: register, sign in and out, passwords, and staff administration."""

from __future__ import annotations

import time

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from zone.accounts import services
from zone.accounts.forms import (
    ChangePasswordForm,
    EmptyForm,
    LoginForm,
    RegistrationForm,
    ResetPasswordForm,
    ResetRequestForm,
    RoleForm,
    StaffForm,
)
from zone.accounts.models import User
from zone.accounts.roles import Role, role_label
from zone.accounts.throttle import registration_throttled, reset_throttled, sign_in_throttled
from zone.companies import registration
from zone.errors import ZoneError
from zone.extensions import db
from zone.vocabulary import country_choices
from zone.web.access import OWN_ACCOUNT, PUBLIC, allow
from zone.web.confirm import Confirmation, ask, is_confirmed
from zone.web.forms import apply_service_errors, options
from zone.web.navigation import home_for
from zone.web.security import safe_next

bp = Blueprint("accounts", __name__)


def _start_session(user: User) -> None:
    """Renew the session at sign-in: nothing from before survives except the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)
    session.permanent = True
    session["last_seen"] = time.time()


@bp.route("/register", methods=["GET", "POST"])
@allow(PUBLIC)
@registration_throttled
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = RegistrationForm()
    form.registration_country.choices = options([("", _("— choose —")), *country_choices(str(get_locale()))])
    if form.validate_on_submit():
        try:
            user = registration.register_company(
                email=form.email.data, password=form.password.data, company_name=form.company_name.data,
                tax_id=form.tax_id.data, country=form.registration_country.data,
                full_name=form.full_name.data, locale=str(get_locale()))
        except ZoneError as error:
            db.session.rollback()
            apply_service_errors(form, error, {"company.tax_id": "tax_id", "company.name": "company_name",
                                               "company.registration_country": "registration_country"})
        else:
            db.session.commit()
            _start_session(user)
            flash(_("Welcome! Your company account is ready. You can now fill in an application."), "success")
            return redirect(home_for(user))
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
@sign_in_throttled
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        db.session.commit()  # failed attempts are audited too
        if user is not None:
            _start_session(user)
            return redirect(safe_next(request.args.get("next"), home_for(user)))
        form.password.errors.append(_("The email or password is not right, or the account is disabled."))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@allow(OWN_ACCOUNT)
def logout():
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    services.sign_out(current_user._get_current_object())
    db.session.commit()
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have signed out."), "info")
    return redirect(url_for("web.index"))


@bp.route("/account", methods=["GET", "POST"])
@allow(OWN_ACCOUNT)
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except ZoneError as error:
            db.session.rollback()
            apply_service_errors(form, error)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # keep this session; every other one has ended
            flash(_("Your password has been changed. Other sessions were signed out."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form, role_label=role_label)


@bp.route("/password/forgot", methods=["GET", "POST"])
@allow(PUBLIC)
@reset_throttled
def forgot_password():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account exists for this address, we have sent a link to set a new password. "
                "Check your inbox."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def reset_password(token: str):
    if services.user_for_reset_token(token) is None:
        flash(_("This link has expired or was already used. Ask for a new one."), "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except ZoneError as error:
            db.session.rollback()
            apply_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("Your password is set. Sign in with it."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


# --- staff administration -------------------------------------------------------------------------

def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/admin/users")
@allow(Role.ADMIN)
def users():
    role = request.args.get("role")
    stmt = select(User).order_by(User.role, User.email)
    if role in set(Role):
        stmt = stmt.where(User.role == role)
    else:
        stmt = stmt.where(User.role != Role.APPLICANT)
    rows = db.session.scalars(stmt.limit(500)).all()
    return render_template("accounts/users.html", users=rows, role_label=role_label, form=EmptyForm(),
                           role_form=RoleForm(), roles=list(Role), selected_role=role)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def new_user():
    form = StaffForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(email=form.email.data, role=form.role.data, full_name=form.full_name.data,
                                        side=form.side.data or None, actor=current_user, locale=str(get_locale()))
        except ZoneError as error:
            db.session.rollback()
            apply_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("Account %(email)s created. A link to set the password was sent to it.", email=user.email),
                  "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_new.html", form=form)


@bp.post("/admin/users/<int:user_id>/active")
@allow(Role.ADMIN)
def set_user_active(user_id: int):
    user = _user_or_404(user_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    if not active and user.active and not is_confirmed():
        return ask(Confirmation(
            title=_("Disable the account of %(name)s?", name=user.display_name),
            consequences=[
                _("%(email)s can no longer sign in or use the API: every session and API token of the account ends "
                  "now. What the account did stays in the records under its name.", email=user.email),
                _("An administrator can enable the account again later."),
            ],
            facts=[(_("Role"), str(role_label(user.role)))],
            confirm_label=_("Disable the account"), back_url=url_for("accounts.users")))
    try:
        services.set_active(user, active, current_user)
    except ZoneError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Account enabled.") if active else _("Account disabled; its sessions have ended."), "success")
    return redirect(url_for("accounts.users"))


@bp.post("/admin/users/<int:user_id>/role")
@allow(Role.ADMIN)
def set_user_role(user_id: int):
    user = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a role."), "error")
        return redirect(url_for("accounts.users"))
    try:
        services.change_role(user, form.role.data, current_user)
    except ZoneError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Role changed."), "success")
    return redirect(url_for("accounts.users"))
