"""Site forms. They only parse; :mod:`zone.sites.values` decides what is valid (one definition of valid)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from zone.sites.models import SiteStatus
from zone.sites.presenters import KIND_LABELS, STATUS_LABELS
from zone.vocabulary import CURRENCIES, SIDE_LABELS, SIDES
from zone.web.forms import options, strip

NUMBER_FIELDS = ("area_m2", "power_kw", "water_m3_day", "gas_m3_h", "rent_per_m2_year")


class SiteForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    code = StringField(_l("Code"), filters=[strip])
    side = SelectField(_l("Part of the centre"), choices=options((s, SIDE_LABELS[s]) for s in SIDES),
                       validate_choice=False)
    kind = SelectField(_l("Kind"), choices=options(KIND_LABELS.items()), validate_choice=False)
    name = StringField(_l("Name (optional)"), filters=[strip])
    area_m2 = StringField(_l("Area, m²"), filters=[strip])
    power_kw = StringField(_l("Electric power, kW"), filters=[strip])
    water_m3_day = StringField(_l("Water, m³ a day"), filters=[strip])
    gas_m3_h = StringField(_l("Gas, m³ an hour"), filters=[strip])
    rent_per_m2_year = StringField(_l("Base rent per m² a year"), filters=[strip])
    currency = SelectField(_l("Currency"), choices=options((c, c) for c in CURRENCIES), validate_choice=False)
    status = SelectField(_l("Status"), choices=options((s.value, STATUS_LABELS[s]) for s in
                                                       (SiteStatus.FREE, SiteStatus.RESERVED)),
                         validate_choice=False)
    outline = TextAreaField(_l("Outline on the plan (points “x y” in metres, separated by semicolons)"),
                            filters=[strip])

    def values(self) -> dict:
        return {name: self._fields[name].data for name in
                ("code", "side", "kind", "name", *NUMBER_FIELDS, "currency", "status", "outline")}


class ImportForm(FlaskForm):
    file = FileField(_l("The surveyor's CSV file"))


class SignLeaseForm(FlaskForm):
    """The company confirms it signed the lease."""
