"""Forms of the audit pages: the trail's filters (a GET form) and the anchor upload."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional


class EventFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a search form sent with GET changes nothing

    actor = StringField(_l("Who"), validators=[Optional(), Length(max=254)],
                        description=_l("Email, or the user's number"))
    # Shown as menus of labelled codes (vocabulary.py); any code or prefix (``auth.*``) still filters.
    action = StringField(_l("Action"), validators=[Optional(), Length(max=80)])
    object_type = StringField(_l("Object type"), validators=[Optional(), Length(max=40)])
    object_id = StringField(_l("Object id"), validators=[Optional(), Length(max=80)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To (inclusive)"), validators=[Optional()])


class AnchorForm(FlaskForm):
    anchor = FileField(_l("Anchor file (JSON)"), validators=[FileRequired(_l("Choose the anchor file."))])
