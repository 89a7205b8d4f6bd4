"""The working-calendar page (administrators): each side's official days off and the overrides.

Thin: parse → policy → service → commit → redirect. A refused change re-renders the page with what the
admin typed and the reason.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from zone.calendar import services
from zone.calendar.clock import today
from zone.calendar.forms import KIND_LABELS, SIDE_LABELS, EmptyForm, OverrideForm
from zone.calendar.models import CalendarOverride
from zone.calendar.policies import CALENDAR_MANAGERS
from zone.calendar.working_days import public_year
from zone.errors import ZoneError
from zone.extensions import db
from zone.vocabulary import SIDES
from zone.web.access import allow
from zone.web.forms import apply_service_errors

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

MIN_YEAR, MAX_YEAR = 2000, 2100
HOLIDAY_LANGUAGES = {"en": "en_US", "kk": "kk", "uz": "uz"}
OWN_LANGUAGE = {"KZ": "kk", "UZ": "uz"}


def _side() -> str:
    side = request.args.get("side", "KZ")
    return side if side in SIDES else "KZ"


def _year() -> int:
    try:
        year = int(request.args.get("year", ""))
    except ValueError:
        return today().year
    return year if MIN_YEAR <= year <= MAX_YEAR else today().year


def _holiday_language(side: str) -> str:
    """Holiday names in the reader's language where the official calendar has it, else in the side's own
    (the language its decrees are published in)."""
    wanted = HOLIDAY_LANGUAGES.get(str(get_locale() or ""))
    return wanted if wanted in ("en_US", OWN_LANGUAGE[side]) else OWN_LANGUAGE[side]


def _render(form: OverrideForm, side: str, year: int, status: int = 200):
    official = public_year(side, year, _holiday_language(side))
    rows = db.session.scalars(select(CalendarOverride).where(
        CalendarOverride.side == side, CalendarOverride.day >= date(year, 1, 1),
        CalendarOverride.day < date(year + 1, 1, 1)).order_by(CalendarOverride.day)).all()
    return render_template("calendar/index.html", form=form, side=side, year=year, official=official,
                           overrides=rows, sides=SIDE_LABELS, kinds=KIND_LABELS, delete_form=EmptyForm(),
                           years=(year - 1, year + 1) if MIN_YEAR < year < MAX_YEAR else ()), status


@bp.get("")
@allow(*CALENDAR_MANAGERS)
def index():
    side = _side()
    form = OverrideForm(formdata=None, side=side)
    return _render(form, side, _year())


@bp.post("")
@allow(*CALENDAR_MANAGERS)
def add():
    form = OverrideForm()
    side = form.side.data if form.side.data in SIDES else _side()
    year = form.day.data.year if form.day.data else _year()
    if not form.validate_on_submit():
        return _render(form, side, year)
    try:
        services.add_override(form.side.data, form.day.data, form.kind.data, form.name.data, current_user)
    except ZoneError as error:
        db.session.rollback()
        apply_service_errors(form, error)
        return _render(form, side, year, error.status if error.status == 409 else 200)
    db.session.commit()
    flash(_("Saved. Deadlines computed from now on count the change."), "success")
    return redirect(url_for("calendar.index", side=side, year=year))


@bp.post("/overrides/<int:override_id>/delete")
@allow(*CALENDAR_MANAGERS)
def delete(override_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    override = db.session.get(CalendarOverride, override_id)
    if override is None:
        abort(404)
    side, year = override.side, override.day.year
    services.remove_override(override, current_user)
    db.session.commit()
    flash(_("The change is removed: the day follows the official calendar again."), "success")
    return redirect(url_for("calendar.index", side=side, year=year))
