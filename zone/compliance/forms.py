"""Compliance forms: the what-if date, and a staff member's proposal or a second person's decline."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from zone.certificates.lifecycle import MAX_REASON
from zone.web.forms import strip


class ReasonForm(FlaskForm):
    """Propose the suspension or revocation a case is due for, or decline a proposal: a reason."""

    reason = TextAreaField(_l("Reason (the company will read it)"), filters=[strip],
                           validators=[DataRequired(_l("This field is required.")), Length(max=MAX_REASON)])
