"""Review forms. They only parse; the services decide what is valid (one definition of valid).

Every action form carries the version of the application the user saw, so a change made meanwhile
is refused instead of overwritten.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from zone.review.checklist import CHECKLIST_ITEMS
from zone.review.decision import REJECTION_GROUNDS
from zone.web.forms import REQUIRED, options, strip


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _grounds_field(label):
    return MultiCheckboxField(label, choices=options(REJECTION_GROUNDS.items()),
                              validate_choice=False)


class VersionedForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class StartReviewForm(VersionedForm):
    comment = TextAreaField(_l("Comment (optional, the company sees it)"), filters=[strip],
                            validators=[Optional(), Length(max=5000)])


class RequestInfoForm(VersionedForm):
    comment = TextAreaField(_l("What should the company send or explain?"), filters=[strip],
                            validators=[Length(max=5000)])
    deadline = DateField(_l("Answer by"), validators=[Optional()])


class RecommendApprovalForm(VersionedForm):
    comment = TextAreaField(_l("Reasoning for the approver (internal)"), filters=[strip],
                            validators=[Optional(), Length(max=5000)])


class RecommendRejectionForm(VersionedForm):
    grounds = _grounds_field(_l("Grounds for rejection"))
    comment = TextAreaField(_l("Reasoning for the approver (internal)"), filters=[strip],
                            validators=[Length(max=5000)])


class BenefitChoiceForm(Form):
    code = HiddenField()
    granted = BooleanField(_l("Grant"))
    until = DateField(_l("Ends on"), validators=[Optional()])


class ApproveForm(VersionedForm):
    benefits = FieldList(FormField(BenefitChoiceForm))
    site = SelectField(_l("Site to lease (optional; best fits first)"), validate_choice=False)
    comment = TextAreaField(_l("Decision comment (the company sees it; required when you change a benefit)"),
                            filters=[strip], validators=[Optional(), Length(max=5000)])


class RejectForm(VersionedForm):
    grounds = _grounds_field(_l("Grounds for rejection (the company sees them)"))
    comment = TextAreaField(_l("Explanation to the company"), filters=[strip], validators=[Length(max=5000)])


class ReassignForm(VersionedForm):
    assignee = SelectField(_l("Reviewer"), coerce=int, validate_choice=False)


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Internal note (staff only)"), filters=[strip],
                         validators=[DataRequired(REQUIRED), Length(max=5000)])


class MessageForm(FlaskForm):
    text = TextAreaField(_l("Message to the company"), filters=[strip],
                         validators=[DataRequired(REQUIRED), Length(max=5000)])


class ChecklistForm(FlaskForm):
    items = MultiCheckboxField(_l("Checklist"), choices=options(CHECKLIST_ITEMS.items()), validate_choice=False)


ACTION_FORMS = {
    "start_review": StartReviewForm,
    "request_info": RequestInfoForm,
    "recommend_approval": RecommendApprovalForm,
    "recommend_rejection": RecommendRejectionForm,
    "approve": ApproveForm,
    "reject": RejectForm,
}
