"""Forms of the notices pages. They only parse; the services decide what is valid."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from zone.events.models import EVENT_TYPES
from zone.web.forms import REQUIRED, options, strip

SIDE_CHOICES = {"": _l("Both sides"), "KZ": _l("Kazakhstan (KZ)"), "UZ": _l("Uzbekistan (UZ)")}
EVENT_LABELS = {
    "certificate.issued": _l("Inclusion (certificate issued)"),
    "certificate.suspended": _l("Suspension"),
    "certificate.reinstated": _l("Reinstatement"),
    "certificate.revoked": _l("Revocation"),
    "certificate.expired": _l("Expiry"),
    "certificate.superseded": _l("Certificate replaced by a reissue"),
    "agreement.concluded": _l("Agreement concluded"),
    "agreement.terminated": _l("Agreement terminated"),
    "benefit.year_not_applicable": _l("Benefit lost for a year"),
}
assert set(EVENT_LABELS) == set(EVENT_TYPES)


class SubscriptionForm(FlaskForm):
    name = StringField(_l("Name (the authority)"), filters=[strip],
                       validators=[DataRequired(REQUIRED), Length(max=120)])
    url = StringField(_l("Receiver address (https)"), filters=[strip],
                      validators=[DataRequired(REQUIRED), Length(max=2000)])
    side = SelectField(_l("Side"), choices=options(SIDE_CHOICES.items()), validate_choice=False)
    events = SelectMultipleField(_l("Events"), choices=options(EVENT_LABELS.items()), default=list(EVENT_TYPES),
                                 validate_choice=False)


class EmptyForm(FlaskForm):
    pass


class LetterSentForm(FlaskForm):
    sent_to = StringField(_l("Sent to (authority, and how)"), filters=[strip],
                          validators=[DataRequired(REQUIRED), Length(max=300)])
