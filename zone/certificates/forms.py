"""Certificate forms: status changes and reissue (admin), lookup and upload (public)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from zone.certificates.lifecycle import MAX_REASON

REQUIRED = _l("This field is required.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class StatusChangeForm(FlaskForm):
    """Suspend, reinstate or revoke: a reason the company will read and the date it takes effect."""

    reason = TextAreaField(
        _l("Reason (the company will read it)"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=MAX_REASON)],
    )
    effective_date = DateField(_l("Effective date"), validators=[Optional()])


class ReissueForm(FlaskForm):
    """Reissue after an amendment: a new serial with the company's current data."""

    reason = TextAreaField(
        _l("What was amended"), filters=[_strip], validators=[DataRequired(REQUIRED), Length(max=MAX_REASON)]
    )


class LookupForm(FlaskForm):
    """Find a certificate by serial and tax id (a GET form: nothing changes, no CSRF token)."""

    class Meta:
        csrf = False

    serial = StringField(
        _l("Certificate number"), filters=[_strip], validators=[DataRequired(REQUIRED), Length(max=40)]
    )
    tax_id = StringField(
        _l("Tax id of the company (BIN or STIR)"), filters=[_strip], validators=[DataRequired(REQUIRED), Length(max=40)]
    )


class UploadForm(FlaskForm):
    """Upload a PDF to learn whether it is an unaltered original."""

    file = FileField(
        _l("Certificate file (PDF)"), validators=[FileRequired(REQUIRED)], render_kw={"accept": "application/pdf,.pdf"}
    )
