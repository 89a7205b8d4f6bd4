"""Account forms. Field rules call the same checks as the services (one definition of "valid")."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from zone.accounts.passwords import password_problem
from zone.accounts.roles import Role
from zone.companies.taxid import normalise_tax_id, tax_id_error
from zone.vocabulary import SIDE_LABELS
from zone.web.forms import REQUIRED, options, strip


class StrongPassword:
    def __init__(self, email_field: str | None = "email"):
        self.email_field = email_field

    def __call__(self, form, field):
        email = form[self.email_field].data if self.email_field and self.email_field in form else None
        if problem := password_problem(field.data, email):
            raise ValidationError(problem)


class RegistrationForm(FlaskForm):
    company_name = StringField(_l("Company legal name"), filters=[strip],
                               validators=[DataRequired(REQUIRED), Length(max=300)])
    registration_country = SelectField(_l("Country of registration"), validators=[DataRequired(REQUIRED)],
                                       validate_choice=True)
    tax_id = StringField(_l("Tax identification number (BIN, STIR…)"), filters=[strip],
                         validators=[DataRequired(REQUIRED), Length(max=40)])
    full_name = StringField(_l("Your full name"), filters=[strip], validators=[Optional(), Length(max=200)])
    email = EmailField(_l("Work email"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), StrongPassword()])
    password_confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("The passwords do not match."))])

    def validate_tax_id(self, field):
        if problem := tax_id_error(self.registration_country.data, normalise_tax_id(field.data)):
            raise ValidationError(problem)


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=256)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED), StrongPassword(None)])
    new_password_confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(REQUIRED), EqualTo("new_password", message=_l("The passwords do not match."))])


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED), StrongPassword(None)])
    password_confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("The passwords do not match."))])


STAFF_ROLE_CHOICES = [
    (Role.REVIEWER.value, _l("Reviewer")),
    (Role.APPROVER.value, _l("Approver")),
    (Role.AUDITOR.value, _l("Auditor")),
    (Role.ADMIN.value, _l("Administrator")),
]


# An admin also makes the accounts of the tax and customs services, which read the events feed only.
NEW_ACCOUNT_ROLE_CHOICES = [*STAFF_ROLE_CHOICES, (Role.AUTHORITY.value, _l("Tax or customs authority"))]
SIDE_CHOICES = [("", _l("— none (staff) —")), *((side, label) for side, label in SIDE_LABELS.items())]


class StaffForm(FlaskForm):
    """A new account made by an admin: staff, or an authority of one side (the service checks the pair)."""

    email = EmailField(_l("Email"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=254)])
    full_name = StringField(_l("Full name"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)])
    role = SelectField(_l("Role"), choices=options(NEW_ACCOUNT_ROLE_CHOICES), validators=[DataRequired(REQUIRED)])
    side = SelectField(_l("Side (authorities only)"), choices=options(SIDE_CHOICES), default="")


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=options(STAFF_ROLE_CHOICES), validators=[DataRequired(REQUIRED)])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""
