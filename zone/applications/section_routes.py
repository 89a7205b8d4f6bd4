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

from zone.accounts.roles import Role
from zone.applications import assessment, fields, policies, presenters, services
from zone.applications.blueprint import bp, load_application, parse_version
from zone.applications.forms import MORE_ROWS, SECTION_FORMS, RowTable, fill_form, form_data, saved_table, typed_table
from zone.applications.models import Application
from zone.applications.values import parse_codes
from zone.errors import StaleVersion, ZoneError
from zone.extensions import db
from zone.vocabulary import country_choices, country_name, is_oked_code
from zone.web.access import allow

SECTION_ORDER = list(fields.SECTIONS)


def _attach(form, table: RowTable | None, errors: dict[str, list], row_map: list[int]) -> tuple[list[dict], list]:
    """Put each error next to its field (row errors on the row the user typed in). Returns the summary
    for the top of the page (the field's id to link to, its label, the message) and the errors about
    the row table as a whole."""
    summary: list[dict] = []
    table_errors: list[str] = []
    for path, messages in errors.items():
        parts = path.split(".")
        texts = [str(m) for m in messages]
        head = parts[0]
        if table is not None and head == table.name:
            if len(parts) == 3 and parts[1].isdigit() and parts[2] in table.parts:
                index = int(parts[1])
                row = row_map[index] if index < len(row_map) else index
                table.errors.setdefault((row, parts[2]), []).extend(texts)
                summary.extend({"id": table.id(row, parts[2]), "label": fields.label_of(f"{head}.{row}.{parts[2]}"),
                                "message": t} for t in texts)
            else:
                table_errors.extend(texts)
                summary.extend({"id": head, "label": fields.label_of(path), "message": t} for t in texts)
            continue
        form_field = form._fields.get(head)
        if form_field is not None and head != "version":
            form_field.errors = [*(form_field.errors or []), *texts]
            summary.extend({"id": form_field.id, "label": fields.label_of(path), "message": t} for t in texts)
        else:
            summary.extend({"id": "", "label": fields.label_of(path), "message": t} for t in texts)
    return summary, table_errors


def _saved_values(application: Application, names: list[str], locale: str) -> dict[str, str]:
    """The values now saved, for the fields someone else changed (shown next to what the user typed)."""
    shown = {}
    for name in names:
        value = getattr(application, name, None)
        if name == "products":
            shown[name] = "; ".join(f"{p.get('name') or '—'} ({p.get('hs_code') or '—'})" for p in value or [])
        elif name == "capital_shares":
            shown[name] = ", ".join(f"{country_name(k, locale)} {v} %" for k, v in (value or {}).items())
        elif isinstance(value, bool):
            shown[name] = _("Yes") if value else _("No")
        elif name == "sector":
            shown[name] = str(fields.SECTOR_LABELS.get(value, value or "—"))
        elif name == "side":
            shown[name] = str(fields.SIDE_LABELS.get(value, value or "—"))
        elif isinstance(value, list):
            shown[name] = ", ".join(value)
        else:
            shown[name] = "—" if value is None else str(value)
    return shown


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
    table: RowTable | None = None
    summary: list[dict] = []
    table_errors: list[str] = []
    conflict = None
    unsaved = False
    search_results: list[dict] = []
    if request.method == "GET":
        fill_form(form, application)
        form.version.data = str(application.version)
        table = saved_table(section, application)
    else:
        if not form.validate_on_submit():
            abort(400)
        table = typed_table(section, request.form)
        if "more_rows" in request.form and table is not None:
            table.pad(MORE_ROWS)
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
            data, row_maps = form_data(form, table)
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
                summary, table_errors = _attach(form, table, error.fields,
                                                row_maps.get(table.name, []) if table else [])
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
        fields=fields, summary_items=summary, table=table, table_errors=table_errors, conflict=conflict,
        unsaved=unsaved, countries=country_choices(locale),
        search_results=search_results, chosen_codes=chosen_codes,
        sections=presenters.section_states(problems), side=application.side,
        foreign=bool(application.side and application.company.registration_country != application.side),
        previous_section=SECTION_ORDER[position - 1] if position else None,
        next_section=SECTION_ORDER[position + 1] if position + 1 < len(SECTION_ORDER) else None,
        country=application.company.registration_country,
        country_name=country_name, locale=locale)
