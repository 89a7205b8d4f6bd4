"""Company forms. They carry what the user typed; the rules are in ``zone.companies.services``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo

from zone.applications.fields import COMPANY_PROFILE
from zone.web.forms import REQUIRED, options


class ProfileForm(FlaskForm):
    class Meta:
        text_rules_in_service = True  # clean_profile applies the text rules, with the other profile rules

    name = StringField(_l("Legal name (in Russian or as registered)"))
    name_en = StringField(_l("Legal name in English"))
    legal_form = StringField(_l("Legal form"))
    registration_country = SelectField(_l("Country of registration"), validate_choice=False)
    tax_id = StringField(_l("Tax identification number (BIN, STIR…)"))
    address = TextAreaField(COMPANY_PROFILE["address"])
    director_name = StringField(COMPANY_PROFILE["director_name"])
    contact_person = StringField(_l("Contact person"))
    phone = StringField(COMPANY_PROFILE["phone"])
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


class ClaimProofForm(FlaskForm):
    """The company uploads the statement it signed with its qualified electronic signature."""

    file = FileField(_l("The signed PDF"))


class ResolveClaimForm(FlaskForm):
    """An administrator's decision on one claim of a disputed tax id (prefixed by the claim: one per claim)."""

    action = RadioField(_l("Decision"), validate_choice=False, choices=options([
        ("merge", _l("Merge: the same company; its people and records join the claim chosen below")),
        ("transfer", _l("Transfer: its records go to the claim chosen below; its people lose access")),
        ("disable", _l("Disable: a false claim; its people lose access, its records stay and are never approved")),
    ]))
    target = SelectField(_l("Receiving claim (for merge and transfer)"), validate_choice=False)
    reason = TextAreaField(_l("Reason (kept in the audit trail)"))
