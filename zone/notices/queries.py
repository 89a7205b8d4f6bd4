"""Reading notices: the feed of events and a subscription's delivery log, in keyset pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.errors import ValidationFailed
from zone.events.models import EVENT_TYPES, Event
from zone.extensions import db
from zone.notices.models import Delivery, DeliveryAttempt


def feed(after: str | None, type_: str | None, limit: int, sides: frozenset[str]) -> list[Event]:
    """Events of ``sides`` after the one with id ``after`` (exclusive; from the first when None), oldest first.

    Numbers are gap-free and handed out in commit order, so a poller that resumes from the last id it saw
    never misses an event that committed later with a smaller number. ``after`` must be an event the reader
    may see: the id of another side's event is "no such event", as if it did not exist.
    """
    if type_ is not None and type_ not in EVENT_TYPES:
        raise ValidationFailed(_l("Some values are not valid."), fields={"type": [_l("Not a valid event type.")]})
    start = 0
    if after:
        start = db.session.scalar(select(Event.seq).where(Event.id == after, Event.side.in_(sorted(sides))))
        if start is None:
            raise ValidationFailed(_l("Some values are not valid."), fields={"after": [_l("No such event.")]})
    stmt = select(Event).where(Event.seq > start, Event.side.in_(sorted(sides)))
    if type_ is not None:
        stmt = stmt.where(Event.type == type_)
    return list(db.session.scalars(stmt.order_by(Event.seq).limit(limit)))


def deliveries(subscription_id: int, after_id: int, limit: int) -> tuple[list[Delivery], dict[int, list]]:
    """A subscription's deliveries, newest first (ids below ``after_id`` when given), with their attempts."""
    stmt = select(Delivery).where(Delivery.subscription_id == subscription_id)
    if after_id:
        stmt = stmt.where(Delivery.id < after_id)
    rows = list(db.session.scalars(stmt.order_by(Delivery.id.desc()).limit(limit)))
    attempts: dict[int, list] = {d.id: [] for d in rows}
    if rows:
        for attempt in db.session.scalars(select(DeliveryAttempt).where(
                DeliveryAttempt.delivery_id.in_(list(attempts))).order_by(DeliveryAttempt.id)):
            attempts[attempt.delivery_id].append(attempt)
    return rows, attempts
