"""One page per section of the application form, each saved on its own.

Works without JavaScript: "add rows" and the OKED search are buttons of the same form that re-render the
page with everything typed (nothing is saved until "Save"). Every form carries the version it was opened
at; a stale save is refused, the user sees who changed what and keeps what they typed.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import FieldList

from zone.accounts.roles import Role
from zone.applications import assessment, fields, policies, presenters, services
from zone.applications.blueprint import bp, load_application, parse_version
from zone.applications.forms import SECTION_FORMS, add_rows, fill_form, form_data, row_lists
from zone.applications.models import Application
from zone.applications.values import parse_codes
from zone.errors import StaleVersion, ZoneError
from zone.extensions import db
from zone.vocabulary import country_choices, country_name, is_oked_code
from zone.web.access import allow

SECTION_ORDER = list(fields.SECTIONS)


def _attach(form, errors: dict[str, list], positions: dict[str, list[int]]) -> tuple[list[dict], list]:
    """Put each error next to its field (row errors on the row the user typed in). Returns the summary
    for the top of the page (the field's id to link to, its label, the message) and the errors about
    a table of rows as a whole."""
    summary: list[dict] = []
    table_errors: list[str] = []
    for path, messages in errors.items():
        parts = path.split(".")
        texts = [str(m) for m in messages]
        head = parts[0]
        form_field = form._fields.get(head) if head != "version" else None
        if isinstance(form_field, FieldList):
            entries = form_field.entries
            sent = positions.get(head, [])
            if len(parts) == 3 and parts[1].isdigit():
                index = int(parts[1])
                row = sent[index] if index < len(sent) else index
                cell = entries[row].form._fields.get(parts[2]) if row < len(entries) else None
                if cell is not None:
                    cell.errors = [*(cell.errors or []), *texts]
                    summary.extend({"id": cell.id, "label": fields.label_of(f"{head}.{row}.{parts[2]}"),
                                    "message": t} for t in texts)
                    continue
            table_errors.extend(texts)
            summary.extend({"id": head, "label": fields.label_of(path), "message": t} for t in texts)
        elif form_field is not None:
            form_field.errors = [*(form_field.errors or []), *texts]
            summary.extend({"id": form_field.id, "label": fields.label_of(path), "message": t} for t in texts)
        else:
            summary.extend({"id": "", "label": fields.label_of(path), "message": t} for t in texts)
    return summary, table_errors


def _saved_values(application: Application, names: list[str], locale: str) -> dict[str, str]:
    """The values now saved, for the fields someone else changed (shown next to what the user typed)."""
    values = fields.values_of(application)
    return {name: "—" if values.get(name) in (None, [], {}) else
            fields.FIELDS[name].kind.display(values[name], values, locale) for name in names}


@bp.route("/applications/<int:application_id>/edit/<section>", methods=["GET", "POST"])
@allow(Role.APPLICANT)
def edit_section(application_id: int, section: str):
    if section not in fields.SECTIONS:
        abort(404)
    application = load_application(application_id, lock=request.method == "POST")
    if not policies.can_edit(current_user, application):
        if policies.is_member(current_user, application):
            flash(_("The application can be changed only while it is a draft or while information is requested."),
                  "error")
            return redirect(url_for("applications.view", application_id=application.id))
        abort(404)
    locale = str(get_locale())
    form = SECTION_FORMS[section]()
    summary: list[dict] = []
    table_errors: list[str] = []
    conflict = None
    unsaved = False
    search_results: list[dict] = []
    if request.method == "GET":
        fill_form(form, application)
        form.version.data = str(application.version)
    else:
        if not form.validate_on_submit():
            abort(400)
        if "more_rows" in request.form and row_lists(form):
            for rows in row_lists(form):
                add_rows(rows)
            unsaved = True
        elif "search_codes" in request.form or "add_code" in request.form:
            unsaved = True
            if "add_code" in request.form:
                code = request.form["add_code"].strip()
                codes = parse_codes(form.activity_codes.data or "") or []
                if code and code not in codes:
                    form.activity_codes.data = ", ".join([*codes, code])
            search_results = assessment.search_activities(form.activity_query.data or "", locale)
        else:
            data, positions = form_data(form)
            try:
                services.update_application(application, current_user, data, parse_version(form.version.data))
            except StaleVersion as error:
                db.session.rollback()
                application = load_application(application_id)
                changed = sorted({f for c in error.details.get("changes", []) for f in (c.get("fields") or [])
                                  if f in data})
                conflict = {"message": str(error.message), "changes": error.details.get("changes", []),
                            "saved": _saved_values(application, changed, locale)}
                form.version.data = str(application.version)  # the next save is a deliberate choice
            except ZoneError as error:
                db.session.rollback()
                application = load_application(application_id)
                summary, table_errors = _attach(form, error.fields, positions)
                if not error.fields:
                    flash(str(error.message), "error")
            else:
                db.session.commit()
                flash(_("Section “%(title)s” is saved.", title=fields.SECTIONS[section].title), "success")
                position = SECTION_ORDER.index(section)
                if "save_next" in request.form:
                    if position + 1 < len(SECTION_ORDER):
                        return redirect(url_for("applications.edit_section", application_id=application.id,
                                                section=SECTION_ORDER[position + 1]))
                    return redirect(url_for("applications.documents", application_id=application.id))
                return redirect(url_for("applications.edit_section", application_id=application.id, section=section))
    codes = parse_codes(form.activity_codes.data or "") if "activity_codes" in form._fields else []
    chosen_codes = [{"code": c, "name": assessment.activity_name(c, locale),
                     "manufacturing": assessment.is_manufacturing(c)}
                    for c in codes or [] if isinstance(c, str) and is_oked_code(c)]
    problems = services.submission_problems(application)
    position = SECTION_ORDER.index(section)
    return render_template(
        "applications/section.html", application=application, form=form, section=fields.SECTIONS[section],
        fields=fields, summary_items=summary, table_errors=table_errors, conflict=conflict,
        unsaved=unsaved, countries=country_choices(locale),
        search_results=search_results, chosen_codes=chosen_codes,
        sections=presenters.section_states(problems), side=application.side,
        foreign=bool(application.side and application.company.registration_country != application.side),
        previous_section=SECTION_ORDER[position - 1] if position else None,
        next_section=SECTION_ORDER[position + 1] if position + 1 < len(SECTION_ORDER) else None,
        country=application.company.registration_country,
        country_name=country_name, locale=locale)
