"""Agreement forms. They only parse; the services decide what is valid (one definition of valid).

The amendment and decision forms carry the version of the agreement the user saw, so a change made
meanwhile is refused (409, naming who) instead of overwritten.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

from zone.web.forms import strip


class CountersignForm(FlaskForm):
    """The company uploads the agreement it signed with its qualified electronic signature."""

    file = FileField(_l("The signed PDF"))


class VersionedForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class DecisionForm(VersionedForm):
    """Approve or reject a proposed amendment; a rejection needs a reason."""

    reason = TextAreaField(_l("Reason (for a rejection)"), filters=[strip], validators=[Optional(), Length(max=5000)])


def amendment_form(obligations: list[dict], formdata=None):
    """A form proposing new targets and due dates for ``obligations`` (field ``target-<i>`` and
    ``due-<i>`` for the i-th obligation), with the reason and the version seen."""

    class AmendmentForm(VersionedForm):
        reason = TextAreaField(_l("Reason for the amendment"), filters=[strip],
                               validators=[Optional(), Length(max=5000)])

    for index in range(len(obligations)):
        setattr(AmendmentForm, f"target-{index}", StringField(_l("New target"), filters=[strip],
                                                              validators=[Optional(), Length(max=40)]))
        setattr(AmendmentForm, f"due-{index}", StringField(_l("New due date"), filters=[strip],
                                                           validators=[Optional(), Length(max=20)],
                                                           render_kw={"type": "date"}))
    form = AmendmentForm() if formdata is None else AmendmentForm(formdata=formdata)
    return form


def changes_from(form, obligations: list[dict]) -> tuple[list[dict], dict[str, str]]:
    """The changes typed into an amendment form, as the service takes them (blank = unchanged), and how
    the service's field names (``obligations.<i>.target``) map back to the form's fields."""
    changes, mapping = [], {}
    for index, obligation in enumerate(obligations):
        target = (form[f"target-{index}"].data or "").strip()
        due = (form[f"due-{index}"].data or "").strip()
        change = {"id": obligation["id"]}
        if target and target != str(obligation["target"]):
            change["target"] = target
        if due and due != obligation["due"]:
            change["due"] = due
        if len(change) > 1:
            for name in ("target", "due"):
                mapping[f"obligations.{len(changes)}.{name}"] = f"{name}-{index}"
            mapping[f"obligations.{len(changes)}"] = f"target-{index}"
            changes.append(change)
    return changes, mapping
