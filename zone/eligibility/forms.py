"""Forms of the public benefits check and the rule-set admin pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from zone.web.forms import options

YES_NO = [("", "—"), ("yes", _l("Yes")), ("no", _l("No"))]


class CheckForm(FlaskForm):
    """Every fact of the check. Values are validated by ``validate_facts`` (one set of rules for the
    page and the API), so the fields here only collect text."""

    side = SelectField(
        _l("Part of the zone"),
        choices=options([("KZ", _l("Kazakh part (KZ)")), ("UZ", _l("Uzbek part (UZ)"))]),
        validate_choice=False,
    )
    registration_country = SelectField(_l("Country of registration"), choices=[], validate_choice=False)
    is_legal_entity = SelectField(_l("The applicant is a legal entity"), choices=options(YES_NO), validate_choice=False)
    activity_codes = StringField(_l("Activity codes (OKED)"))
    investment_amount = StringField(_l("Investment amount"))
    investment_currency = SelectField(
        _l("Currency"), choices=options([("USD", "USD"), ("KZT", "KZT"), ("UZS", "UZS")]), validate_choice=False
    )
    priority_income_share = StringField(_l("Share of income from priority activities, % (KZ)"))
    has_branches_outside_zone = SelectField(
        _l("Branches or offices outside the zone (KZ)"), choices=options(YES_NO), validate_choice=False
    )
    share_kz = StringField(_l("Kazakh capital, %"))
    share_uz = StringField(_l("Uzbek capital, %"))
    other_country = SelectField(_l("Other country"), choices=[], validate_choice=False)
    share_other = StringField(_l("Capital from that country, %"))
    on_date = DateField(_l("Date of the check"), validators=[Optional()])

    #: validate_facts field -> form field that shows its errors
    ERROR_FIELDS = {"capital_shares": "share_kz", "_": "side"}

    def facts_data(self) -> dict:
        """The facts as ``validate_facts`` reads them (empty fields left out, so they are "required")."""

        def yes_no(value):
            return {"yes": True, "no": False}.get(value)

        codes = [c for c in (self.activity_codes.data or "").replace(";", ",").replace(" ", ",").split(",") if c]
        shares = {}
        for country, field in (
            ("KZ", self.share_kz),
            ("UZ", self.share_uz),
            (self.other_country.data, self.share_other),
        ):
            raw = (field.data or "").strip().replace(",", ".")
            if country and raw:
                shares[country] = raw
        data = {
            "side": self.side.data,
            "registration_country": self.registration_country.data,
            "is_legal_entity": yes_no(self.is_legal_entity.data),
            "activity_codes": codes or None,
            "investment_amount": (self.investment_amount.data or "")
            .replace(" ", "")
            .replace("\u00a0", "")
            .replace(",", "."),
            "investment_currency": self.investment_currency.data,
            "priority_income_share": (self.priority_income_share.data or "").strip().replace(",", "."),
            "has_branches_outside_zone": yes_no(self.has_branches_outside_zone.data),
            "capital_shares": shares or None,
        }
        return {k: v for k, v in data.items() if v not in (None, "")}


class UploadForm(FlaskForm):
    source = TextAreaField(_l("Rule set (YAML)"))
    source_file = FileField(_l("…or a YAML file"))
    cases = TextAreaField(_l("Test cases (YAML)"))
    cases_file = FileField(_l("…or a case file"))


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for the action buttons."""
