"""Subscriptions and the queue of deliveries: every state change of the notices domain.

Nothing here talks to a receiver (that is :mod:`zone.notices.delivery`); functions work in the caller's
transaction and never commit.
"""

from __future__ import annotations

import base64
import random
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ScalarSelect, Subquery, and_, func, or_, select, union_all, update
from sqlalchemy.orm import contains_eager

from zone.accounts.models import User
from zone.audit.services import record
from zone.calendar import local_date
from zone.calendar.working_days import working_days_after
from zone.database import get_for_update, utcnow
from zone.errors import NotFound, ValidationFailed
from zone.events.models import EVENT_TYPES, Event
from zone.events.services import head_seq
from zone.extensions import db
from zone.notices.models import Delivery, DeliveryStatus, Subscription
from zone.notices.urls import check_subscription_url
from zone.vocabulary import SIDES
from zone.web.text import text_problem

FAN_OUT_BATCH = 1000


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(_l("Some values are not valid."), fields={field: [message]})


def create_subscription(actor: User, *, name: Any, url: Any, events: Any, side: Any = None) -> Subscription:
    """A receiver for ``events`` (of ``side``, or both) from the next event on; 422 naming the field at fault.

    The URL must be one notices may reach (:mod:`zone.notices.urls`); the secret is made here and shown once.
    """
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 120 or text_problem(name):
        raise _invalid("name", _l("Give a name of at most 120 characters."))
    if not isinstance(url, str) or not url.strip() or len(url) > 2000 or text_problem(url):
        raise _invalid("url", _l("Give the receiver's address."))
    if (not isinstance(events, list) or not events
            or any(not isinstance(e, str) or e not in EVENT_TYPES for e in events)):
        raise _invalid("events", _l("Choose one or more of the event types."))
    if side not in (None, "", "KZ", "UZ"):
        raise _invalid("side", _l("Choose KZ or UZ, or leave it empty for both."))
    check_subscription_url(url.strip())
    subscription = Subscription(name=name.strip(), url=url.strip(), side=side or None,
                                events=sorted(set(events), key=EVENT_TYPES.index), secret=new_secret(),
                                active=True, fanned_through=head_seq(), created_by_id=actor.id)
    db.session.add(subscription)
    db.session.flush()
    record("notices.subscription_create", subscription, actor=actor, details={
        "name": subscription.name, "url": subscription.url, "side": subscription.side,
        "events": subscription.events})
    return subscription


def live_subscription(subscription_id: Any) -> Subscription:
    subscription = db.session.get(Subscription, subscription_id) if isinstance(subscription_id, int) else None
    if subscription is None or subscription.deleted_at is not None:
        raise NotFound(_l("No such subscription."))
    return subscription


def delete_subscription(subscription_id: int, actor: User) -> None:
    """Stop delivering to the receiver; its delivery log is kept."""
    subscription = get_for_update(Subscription, subscription_id)
    if subscription is None or subscription.deleted_at is not None:
        raise NotFound(_l("No such subscription."))
    subscription.active = False
    subscription.deleted_at = utcnow()
    record("notices.subscription_delete", subscription, actor=actor, details={"name": subscription.name})


def replay(delivery_id: int, actor: User, *, subscription_id: int | None = None) -> Delivery:
    """Send the delivery again at once, with its original ``webhook-id`` (and then whatever follows it)."""
    delivery = get_for_update(Delivery, delivery_id)
    if (delivery is None or delivery.subscription.deleted_at is not None
            or (subscription_id is not None and delivery.subscription_id != subscription_id)):
        raise NotFound(_l("No such delivery."))
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = utcnow()
    record("notices.replay", delivery, actor=actor, details={"subscription": delivery.subscription_id,
                                                              "event": delivery.event.id})
    return delivery


def deadline(event: Event) -> date:
    """The day the side's authorities must have the notice by: ``NOTICES_DEADLINE_WORKING_DAYS`` working days
    of the side after the day it happened (the Kazakh rule; applied to both sides alike)."""
    days = int(current_app.config.get("NOTICES_DEADLINE_WORKING_DAYS", 2))
    return working_days_after(event.side, local_date(event.occurred_at), days)


def fan_out() -> int:
    """Turn the events each active subscription has not seen yet into its deliveries; returns how many.

    Events are numbered gap-free in commit order, so "every event up to the committed head" is exact: no
    event is skipped and none is queued twice (the unique key would refuse it).
    """
    head = head_seq()
    made = 0
    due: dict[tuple[str, date], date] = {}  # the calendar is walked once per side and day, not per event
    pending = db.session.scalars(select(Subscription.id).where(
        Subscription.active, Subscription.fanned_through < head).order_by(Subscription.id)).all()
    for subscription_id in pending:
        subscription = get_for_update(Subscription, subscription_id)
        while subscription.active and subscription.fanned_through < head:
            events = db.session.scalars(
                select(Event).where(Event.seq > subscription.fanned_through, Event.seq <= head)
                .order_by(Event.seq).limit(FAN_OUT_BATCH)).all()
            for event in events:
                if subscription.takes(event):
                    key = (event.side, local_date(event.occurred_at))
                    if key not in due:
                        due[key] = deadline(event)
                    db.session.add(Delivery(subscription_id=subscription.id, event_seq=event.seq,
                                            status=DeliveryStatus.PENDING, attempts=0,
                                            next_attempt_at=utcnow(), due_on=due[key]))
                    made += 1
            subscription.fanned_through = events[-1].seq if events else head
        db.session.flush()
    return made


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 5 s, 10 s, 20 s … doubling up to ``NOTICES_MAX_BACKOFF``, with jitter (the
    wait is drawn between half and all of it) so receivers coming back are not hit all at once."""
    cap = int(current_app.config.get("NOTICES_MAX_BACKOFF", 600))
    base = min(cap, 5 * 2 ** min(max(attempts - 1, 0), 20))
    return timedelta(seconds=random.uniform(base / 2, base))  # jitter, not a secret


def _failing(now: datetime | None):
    since = (now or utcnow()) - timedelta(days=int(current_app.config.get("NOTICES_FAILING_DAYS", 1)))
    return (Subscription.active, Subscription.failing_since.is_not(None), Subscription.failing_since <= since)


def failing_subscriptions(now: datetime | None = None) -> list[Subscription]:
    """Active subscriptions that have failed for ``NOTICES_FAILING_DAYS`` days or more: shown to staff."""
    return list(db.session.scalars(select(Subscription).where(*_failing(now)).order_by(Subscription.failing_since)))


def _near_deadline(today: date | None):
    """Pending deliveries to an active receiver due by the next working day of their event's side."""
    today = today or local_date()
    due_by_side = or_(*(and_(Event.side == side, Delivery.due_on <= working_days_after(side, today, 1))
                        for side in SIDES))
    return (Delivery.status == DeliveryStatus.PENDING, Subscription.active, due_by_side)


def near_deadline(today: date | None = None, *, limit: int = 500) -> list[Delivery]:
    """Undelivered notices due by the next working day of their side (or overdue), earliest first, at most
    ``limit`` of them: staff send a letter."""
    return list(db.session.scalars(
        select(Delivery).join(Subscription).join(Event, Event.seq == Delivery.event_seq).where(*_near_deadline(today))
        .options(contains_eager(Delivery.event)).order_by(Delivery.due_on, Delivery.id).limit(limit)))


def attention_counts(today: date | None = None) -> tuple[dict[str, int], dict[str | None, int]]:
    """How many notices are near or past their deadline, by side, and how many receivers have failed for
    days, by side filter (``None``: every side): two grouped counts, whatever the backlog."""
    late = dict(db.session.execute(
        select(Event.side, func.count()).select_from(Delivery).join(Subscription)
        .join(Event, Event.seq == Delivery.event_seq).where(*_near_deadline(today)).group_by(Event.side)).all())
    failing = dict(db.session.execute(
        select(Subscription.side, func.count()).where(*_failing(None)).group_by(Subscription.side)).all())
    return late, failing


def _waiting() -> Subquery:
    """When each event an active receiver still waits for happened: an undelivered notice (one row per
    receiver), or an event not yet queued for the receivers (one row per event)."""
    undelivered = (select(Event.occurred_at.label("at")).join(Delivery, Delivery.event_seq == Event.seq)
                   .join(Subscription, Subscription.id == Delivery.subscription_id)
                   .where(Delivery.status == DeliveryStatus.PENDING, Subscription.active))
    fanned = select(func.min(Subscription.fanned_through)).where(Subscription.active).scalar_subquery()
    unqueued = select(Event.occurred_at.label("at")).where(Event.seq > fanned)
    return union_all(undelivered, unqueued).subquery()


def oldest_pending_query() -> ScalarSelect:
    """The SQL for when the oldest event an active receiver still waits for happened: an undelivered notice, or
    an event not yet queued for it (NULL: nothing waits)."""
    waiting = _waiting()
    return select(func.min(waiting.c.at)).scalar_subquery()


def pending_count_query() -> ScalarSelect:
    """The SQL for how many notices wait: undelivered ones, and events not yet queued for the receivers."""
    return select(func.count()).select_from(_waiting()).scalar_subquery()


def oldest_pending() -> datetime | None:
    """When the oldest event an active receiver still waits for happened (None: nothing waits)."""
    return db.session.scalar(select(oldest_pending_query()))


def release_lease(subscription_id: int) -> None:
    db.session.execute(update(Subscription).where(Subscription.id == subscription_id).values(leased_until=None))
