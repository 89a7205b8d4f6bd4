"""The JSON shapes of the notices API."""

from __future__ import annotations

from zone.api.common import iso
from zone.notices.models import Delivery, DeliveryAttempt, Subscription


def subscription_json(subscription: Subscription) -> dict:
    """A subscription as listed (the secret is shown only when it is made)."""
    return {"id": subscription.id, "name": subscription.name, "url": subscription.url, "side": subscription.side,
            "events": list(subscription.events), "active": subscription.active,
            "created_at": iso(subscription.created_at), "last_success_at": iso(subscription.last_success_at),
            "failing_since": iso(subscription.failing_since)}


def attempt_json(attempt: DeliveryAttempt) -> dict:
    return {"at": iso(attempt.at), "status_code": attempt.status_code, "error": attempt.error,
            "duration_ms": attempt.duration_ms}


def delivery_json(delivery: Delivery, attempts: list[DeliveryAttempt]) -> dict:
    """A delivery with its attempts (status code, time) and when it is tried next."""
    pending = delivery.status == "pending"
    return {"id": delivery.id, "event": {"id": delivery.event.id, "type": delivery.event.type,
                                         "seq": delivery.event_seq},
            "status": delivery.status, "attempts": [attempt_json(a) for a in attempts],
            "last_status_code": delivery.last_status_code, "last_error": delivery.last_error,
            "next_retry_at": iso(delivery.next_attempt_at) if pending else None,
            "delivered_at": iso(delivery.delivered_at), "due_on": iso(delivery.due_on)}
