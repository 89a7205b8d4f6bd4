"""The delivery worker: each receiver's notices, in order, signed, retried until it answers 2xx.

A round (:func:`deliver_due`) first queues the new events for every subscription (``fan_out``), then
serves the receivers that have something due, several at once in a small thread pool: one receiver per
thread at a time, so a receiver that hangs holds one thread for at most ``NOTICES_TIMEOUT`` and never delays
the others. Per receiver only the oldest undelivered notice is tried; the next follows once it is accepted,
so a receiver sees the events in order. No transaction is open while a request is in flight. Every try is
logged (:class:`~zone.notices.models.DeliveryAttempt`) and carries the event's id as ``webhook-id``, the
same on every retry and replay.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import exists, func, insert, or_, select, update

from zone.database import utcnow, write_intent
from zone.events.models import Event
from zone.extensions import db
from zone.notices import services
from zone.notices.models import Delivery, DeliveryAttempt, DeliveryStatus, Subscription
from zone.notices.transport import Outcome, Sender, signed_headers
from zone.notices.urls import UnsafeTarget, resolve

log = logging.getLogger(__name__)


@dataclass
class Round:
    queued: int = 0
    delivered: int = 0
    failed: int = 0
    receivers: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Round) -> None:
        self.delivered += other.delivered
        self.failed += other.failed
        self.errors += other.errors


def body_of(event: Event) -> str:
    """The JSON body of ``event``'s notice: built the same way every time, so a retry sends the same bytes."""
    return json.dumps(event.payload(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def due_receivers() -> list[int]:
    """Active subscriptions with a notice due and no other worker serving them, oldest first."""
    now = utcnow()
    due = exists().where(Delivery.subscription_id == Subscription.id, Delivery.status == DeliveryStatus.PENDING,
                         Delivery.next_attempt_at <= now)
    return list(db.session.scalars(select(Subscription.id).where(
        Subscription.active, due, or_(Subscription.leased_until.is_(None), Subscription.leased_until < now))
        .order_by(Subscription.id)))


def deliver_due() -> Round:
    """One round: queue new events, then serve every receiver with something due. Returns the counts."""
    result = Round()
    with write_intent():
        result.queued = services.fan_out()
        db.session.commit()
        receivers = due_receivers()
        db.session.commit()
    result.receivers = len(receivers)
    if not receivers:
        return result
    app = current_app._get_current_object()
    workers = max(1, min(int(current_app.config.get("NOTICES_WORKERS", 8)), len(receivers)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notices") as pool:
        for served in pool.map(lambda sid: _serve_in_context(app, sid), receivers):
            result.add(served)
    return result


def _serve_in_context(app: Flask, subscription_id: int) -> Round:
    with app.app_context():
        try:
            return serve(subscription_id)
        except Exception as error:  # one receiver's trouble (or the database's) must not end the round
            log.exception("Notices to subscription %s failed this round", subscription_id)
            db.session.rollback()
            return Round(errors=[f"{subscription_id}: {type(error).__name__}: {error}"])
        finally:
            db.session.remove()


def _take_lease(subscription_id: int, seconds: float) -> bool:
    now = utcnow()
    with write_intent():
        taken = db.session.execute(update(Subscription).where(
            Subscription.id == subscription_id, Subscription.active,
            or_(Subscription.leased_until.is_(None), Subscription.leased_until < now))
            .values(leased_until=now + timedelta(seconds=seconds))).rowcount
        db.session.commit()
    return bool(taken)


def serve(subscription_id: int) -> Round:
    """Deliver ``subscription_id``'s due notices in order until one fails or the batch is done."""
    result = Round()
    cfg = current_app.config
    timeout = float(cfg.get("NOTICES_TIMEOUT", 10))
    batch = int(cfg.get("NOTICES_BATCH", 200))
    if not _take_lease(subscription_id, timeout * batch + 60):
        return result
    sender = Sender(timeout=timeout, max_bytes=int(cfg.get("NOTICES_MAX_RESPONSE_BYTES", 4096)))
    accepted: list[tuple[int, Outcome]] = []
    try:
        left = batch
        while left > 0:
            queue = _queue(subscription_id, min(left, PREFETCH))
            if not queue:
                break
            for item in queue:
                if not item.due:
                    return result
                outcome = attempt(sender, item.url, item.secret, item.event_id, item.body)
                left -= 1
                if not outcome.ok:
                    _record(subscription_id, accepted, item.delivery_id, outcome)
                    accepted = []
                    result.failed += 1
                    return result
                accepted.append((item.delivery_id, outcome))
                result.delivered += 1
            # Accepted notices are recorded a queue at a time: should the worker die before, they are sent
            # again with the same webhook-id, which receivers already treat as one notice.
            _record(subscription_id, accepted)
            accepted = []
            if len(queue) < PREFETCH:
                break
    finally:
        sender.close()
        if accepted:
            _record(subscription_id, accepted)
        with write_intent():
            services.release_lease(subscription_id)
            db.session.commit()
    return result


@dataclass(frozen=True)
class _Item:
    delivery_id: int
    due: bool
    url: str
    secret: str
    event_id: str
    body: str


PREFETCH = 50


def _queue(subscription_id: int, limit: int) -> list[_Item]:
    """The next undelivered notices of the receiver, oldest event first, read in one short transaction."""
    rows = db.session.execute(
        select(Delivery.id, (Delivery.next_attempt_at <= utcnow()).label("due"), Subscription.url,
               Subscription.secret, Event)
        .join(Subscription, Subscription.id == Delivery.subscription_id)
        .join(Event, Event.seq == Delivery.event_seq)
        .where(Delivery.subscription_id == subscription_id, Delivery.status == DeliveryStatus.PENDING)
        .order_by(Delivery.event_seq).limit(limit)).all()
    items = [_Item(row.id, bool(row.due), row.url, row.secret, row.Event.id, body_of(row.Event)) for row in rows]
    db.session.commit()  # no transaction stays open while a receiver is called
    return items


def attempt(sender: Sender, url: str, secret: str, message_id: str, body: str) -> Outcome:
    """Check the receiver's address again (it may resolve elsewhere now) and POST the signed notice."""
    try:
        target = resolve(url)
    except UnsafeTarget as error:
        return Outcome(None, f"refused: {error}"[:500], 0)
    headers = signed_headers(secret, message_id, utcnow(), body)
    return sender.post(target, headers, body.encode())


def _record(subscription_id: int, accepted: list[tuple[int, Outcome]], failed_id: int | None = None,
            failure: Outcome | None = None) -> None:
    """Log the tries and move the deliveries on: the accepted ones delivered, a failed one due again after a
    back-off; one short write."""
    now = utcnow()
    with write_intent():
        for delivery_id, outcome in accepted:
            before = db.session.execute(
                update(Delivery).where(Delivery.id == delivery_id)
                .values(attempts=Delivery.attempts + 1, last_status_code=outcome.status_code,
                        status=DeliveryStatus.DELIVERED, last_error=None,
                        delivered_at=func.coalesce(Delivery.delivered_at, now))
                .returning(Delivery.delivered_at)).scalar_one()
            db.session.execute(insert(DeliveryAttempt).values(
                delivery_id=delivery_id, at=now, status_code=outcome.status_code, error=None,
                duration_ms=outcome.duration_ms, replay=_is_aware_before(before, now)))
        if accepted:
            db.session.execute(update(Subscription).where(Subscription.id == subscription_id).values(
                last_success_at=now, failing_since=None))
        if failed_id is not None and failure is not None:
            error = failure.error or f"HTTP {failure.status_code}"
            attempts = db.session.execute(
                update(Delivery).where(Delivery.id == failed_id)
                .values(attempts=Delivery.attempts + 1, last_status_code=failure.status_code, last_error=error)
                .returning(Delivery.attempts, Delivery.delivered_at)).one()
            db.session.execute(update(Delivery).where(Delivery.id == failed_id).values(
                next_attempt_at=now + services.backoff(attempts.attempts)))
            db.session.execute(insert(DeliveryAttempt).values(
                delivery_id=failed_id, at=now, status_code=failure.status_code, error=failure.error,
                duration_ms=failure.duration_ms, replay=attempts.delivered_at is not None))
            db.session.execute(update(Subscription).where(Subscription.id == subscription_id).values(
                failing_since=func.coalesce(Subscription.failing_since, now)))
            log.warning("Notice delivery %s to subscription %s failed (attempt %s): %s", failed_id,
                        subscription_id, attempts.attempts, error)
        db.session.commit()


def _is_aware_before(moment, now) -> bool:
    """Whether the delivery had been delivered before this try (a replay); SQLite returns naive UTC times."""
    if moment is None:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=now.tzinfo)
    return moment < now
