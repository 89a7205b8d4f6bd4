"""Report forms. They only parse what was typed; the services decide what is valid.

The long figure form is read field by field from the request (a row table for the output, one amount per
benefit granted on the certificate), so every typed value can be shown again, unchanged, next to its
message. The forms carry the version of the report the user saw: a save from a stale tab gets 409.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from zone.applications.values import plain_decimal
from zone.reports import figures
from zone.web.forms import options, strip

OUTPUT_ROWS_EXTRA = 3
SCALARS = tuple(n for n in figures.FIGURES if n not in ("benefits_used", "output"))


class VersionedForm(FlaskForm):
    """CSRF and the version seen; the figures are read by :func:`typed_figures`."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class StartForm(FlaskForm):
    agreement = StringField(widget=HiddenInput(), filters=[strip])
    period = StringField(widget=HiddenInput(), filters=[strip])


class QuestionForm(VersionedForm):
    question = TextAreaField(_l("Question to the company"), filters=[strip])


class AnswerForm(VersionedForm):
    answer = TextAreaField(_l("Your answer"), filters=[strip])


class AcceptForm(VersionedForm):
    comment = TextAreaField(_l("Comment (optional)"), filters=[strip])


class UploadForm(FlaskForm):
    kind = SelectField(_l("Document"), choices=options(list(figures.DOCUMENT_LABELS.items())), validate_choice=False)
    file = FileField(_l("File (PDF, PNG or JPEG)"))


def _one(formdata, name: str) -> str:
    value = formdata.get(name)
    return value if isinstance(value, str) else ""


def typed_figures(formdata, granted: list[str]) -> dict[str, Any]:
    """What the person typed, as text, keyed like the API (``output`` rows, ``benefits_used`` codes)."""
    typed: dict[str, Any] = {name: _one(formdata, name) for name in SCALARS if name in formdata}
    typed["benefits_used"] = {code: _one(formdata, f"benefit-{code}") for code in granted}
    # Rows keep their place on the page (a gap stays a blank row), so a message lands next to its row.
    present = [index for index in range(figures.MAX_OUTPUT_ROWS)
               if any(f"output-{index}-{part}" in formdata for part in figures.OUTPUT_PARTS)]
    typed["output"] = [{part: _one(formdata, f"output-{index}-{part}") for part in figures.OUTPUT_PARTS}
                       for index in range(max(present) + 1 if present else 0)]
    return typed


def figures_data(typed: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
    """The typed figures as the services take them (blank benefits and empty output rows left out), and
    for each output row sent the place of its row on the page (see :func:`errors_on_page`)."""
    data = {k: v for k, v in typed.items() if k not in ("benefits_used", "output")}
    data["benefits_used"] = {code: amount for code, amount in typed.get("benefits_used", {}).items()
                             if amount.strip()}
    places = [i for i, row in enumerate(typed.get("output", [])) if any(v.strip() for v in row.values())]
    data["output"] = [typed["output"][i] for i in places]
    return data, places


def errors_on_page(errors: dict, places: list[int]) -> dict:
    """Service errors with output row numbers turned back into the rows' places on the page."""
    result = {}
    for path, messages in (errors or {}).items():
        parts = path.split(".")
        if parts[0] == "output" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(places):
            parts[1] = str(places[int(parts[1])])
        result[".".join(parts)] = messages
    return result


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return str(value)
    try:
        return plain_decimal(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, AttributeError):
        return str(value)


def saved_figures(report, granted: list[str]) -> dict[str, Any]:
    """The stored figures as the form shows them."""
    typed: dict[str, Any] = {name: _shown(getattr(report, name)) if name not in ("currency", "auditor_name",
                                                                               "audit_opinion")
                             else (getattr(report, name) or "") for name in SCALARS}
    used = report.benefits_used or {}
    typed["benefits_used"] = {code: str(used.get(code, "")) for code in sorted(set(granted) | set(used))}
    typed["output"] = [{part: str(row.get(part, "")) for part in figures.OUTPUT_PARTS} for row in (report.output or [])]
    return typed
