"""Certificate forms: status changes (admin), reissue proposals and decisions (approver, admin), lookup
and upload (public)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from zone.certificates.lifecycle import MAX_REASON
from zone.web.forms import REQUIRED, options, strip


class StatusChangeForm(FlaskForm):
    """Suspend, reinstate or revoke: a reason the company will read and the date it takes effect."""

    reason = TextAreaField(
        _l("Reason (the company will read it)"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=MAX_REASON)],
    )
    effective_date = DateField(_l("Effective date"), validators=[Optional()])


class BenefitRow(Form):
    """One benefit of the certificate: keep it, and optionally end it earlier."""

    code = HiddenField()
    granted = BooleanField(_l("Keep"))
    until = DateField(_l("Ends on (only earlier)"), validators=[Optional()])


class ReissueForm(FlaskForm):
    """Propose a reissue after an amendment: a new serial with the company's current data, the benefits
    from the rules. A second approver or admin confirms it."""

    reason = TextAreaField(
        _l("What was amended"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=MAX_REASON)]
    )
    basis = RadioField(
        _l("Benefits"),
        choices=options([
            ("decision", _l("As decided at approval (or fewer, or shorter)")),
            ("amendment", _l("A new evaluation under the rules in force today")),
        ]),
        default="decision",
        validate_choice=False,
    )
    benefits = FieldList(FormField(BenefitRow))


class ReissueDecisionForm(FlaskForm):
    """A second person's decision on a pending reissue proposal (the proposer may only withdraw it)."""

    proposal = IntegerField(widget=HiddenInput(), validators=[Optional()])
    decision = HiddenField()
    reason = TextAreaField(_l("Comment (optional)"), filters=[strip], validators=[Optional(), Length(max=MAX_REASON)])


class LookupForm(FlaskForm):
    """Find a certificate by serial and tax id (a GET form: nothing changes, no CSRF token)."""

    class Meta:
        csrf = False

    serial = StringField(
        _l("Certificate number"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=40)]
    )
    tax_id = StringField(
        _l("Tax id of the company (BIN or STIR)"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=40)]
    )


class UploadForm(FlaskForm):
    """Upload a PDF to learn whether it is an unaltered original."""

    file = FileField(
        _l("Certificate file (PDF)"), validators=[FileRequired(REQUIRED)], render_kw={"accept": "application/pdf,.pdf"}
    )
