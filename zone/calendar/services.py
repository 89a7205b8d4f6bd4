"""Changes to the working calendar: adding and removing an administrator's override, audited.

Callers (the admin page and the CLI) own the transaction.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.audit.services import record
from zone.calendar.models import CalendarOverride
from zone.calendar.working_days import (
    DAY_OFF,
    OVERRIDE_KINDS,
    SIDES,
    WORKING_DAY,
    forget_overrides,
    is_working_day,
)
from zone.errors import Conflict, ValidationFailed
from zone.extensions import db

MAX_NAME = 200


def add_override(side: str, day: date, kind: str, name: str, actor, *, actor_label: str | None = None
                 ) -> CalendarOverride:
    """Make ``day`` a day off (``day_off``) or a working day (``working_day``) on ``side``.

    422 when a value is missing or the day already is what is asked; 409 when the side already has an
    override on that day (remove it first).
    """
    errors: dict[str, list] = {}
    if side not in SIDES:
        errors["side"] = [_l("Choose the part of the centre.")]
    if kind not in OVERRIDE_KINDS:
        errors["kind"] = [_l("Choose a day off or a working day.")]
    if not isinstance(day, date):
        errors["day"] = [_l("Enter a date (YYYY-MM-DD).")]
    name = (name or "").strip()
    if not name:
        errors["name"] = [_l("Say why, e.g. the decree that moves the day.")]
    elif len(name) > MAX_NAME:
        errors["name"] = [_l("At most %(n)s characters.", n=MAX_NAME)]
    if errors:
        raise ValidationFailed(_l("Some values are missing or not valid."), fields=errors)
    existing = db.session.scalar(select(CalendarOverride).where(CalendarOverride.side == side,
                                                                CalendarOverride.day == day))
    if existing is not None:
        raise Conflict(_l("%(day)s already has a change on this side; remove it first.", day=day.isoformat()),
                       code="duplicate", fields={"day": [_l("This day already has a change.")]})
    working = is_working_day(side, day)
    if kind == DAY_OFF and not working:
        raise ValidationFailed(_l("%(day)s is already a day off.", day=day.isoformat()),
                               fields={"day": [_l("This day is already a day off.")]})
    if kind == WORKING_DAY and working:
        raise ValidationFailed(_l("%(day)s is already a working day.", day=day.isoformat()),
                               fields={"day": [_l("This day is already a working day.")]})
    override = CalendarOverride(side=side, day=day, kind=kind, name=name,
                                created_by_id=getattr(actor, "id", None))
    db.session.add(override)
    db.session.flush()
    record("calendar.override_add", override, actor=actor, actor_label=actor_label,
           details={"side": side, "day": day, "kind": kind, "name": name})
    forget_overrides()
    return override


def remove_override(override: CalendarOverride, actor, *, actor_label: str | None = None) -> None:
    """Return the day to the official calendar of its side."""
    record("calendar.override_remove", override, actor=actor, actor_label=actor_label,
           details={"side": override.side, "day": override.day, "kind": override.kind, "name": override.name})
    db.session.delete(override)
    db.session.flush()
    forget_overrides()


def find_override(side: str, day: date) -> CalendarOverride | None:
    return db.session.scalar(select(CalendarOverride).where(CalendarOverride.side == side,
                                                            CalendarOverride.day == day))
