"""Company forms. They carry what the user typed; the rules are in ``zone.companies.services``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo

REQUIRED = _l("This field is required.")


class ProfileForm(FlaskForm):
    class Meta:
        text_rules_in_service = True  # clean_profile applies the text rules, with the other profile rules

    name = StringField(_l("Legal name (in Russian or as registered)"))
    name_en = StringField(_l("Legal name in English"))
    legal_form = StringField(_l("Legal form"))
    registration_country = SelectField(_l("Country of registration"), validate_choice=False)
    tax_id = StringField(_l("Tax identification number (BIN, STIR…)"))
    address = TextAreaField(_l("Registered address"))
    director_name = StringField(_l("Director (full name)"))
    contact_person = StringField(_l("Contact person"))
    phone = StringField(_l("Phone"))
    email = EmailField(_l("Company email"))


class InviteForm(FlaskForm):
    class Meta:
        text_rules_in_service = True  # invite_member checks the address

    email = EmailField(_l("Colleague's work email"))


class AcceptInvitationForm(FlaskForm):
    full_name = StringField(_l("Your full name"))
    password = PasswordField(_l("Password"))
    password_confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("The passwords do not match."))])


class EmptyForm(FlaskForm):
    """Only the CSRF token, for buttons that change something."""
