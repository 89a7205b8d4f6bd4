"""Forms of the calendar page. They only parse; the services decide what is valid."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from zone.calendar.working_days import DAY_OFF, WORKING_DAY
from zone.web.forms import REQUIRED, options, strip

SIDE_LABELS = {"KZ": _l("Kazakhstan (KZ)"), "UZ": _l("Uzbekistan (UZ)")}
KIND_LABELS = {DAY_OFF: _l("An extra day off"), WORKING_DAY: _l("A working day (e.g. a transferred Saturday)")}


class OverrideForm(FlaskForm):
    side = SelectField(_l("Part of the centre"), choices=options(SIDE_LABELS.items()), validate_choice=False)
    day = DateField(_l("Date"), validators=[DataRequired(REQUIRED)])
    kind = SelectField(_l("The day becomes"), choices=options(KIND_LABELS.items()), validate_choice=False)
    name = StringField(_l("Reason (e.g. the decree)"), filters=[strip],
                       validators=[DataRequired(REQUIRED), Length(max=200)])


class EmptyForm(FlaskForm):
    pass
