"""The sites' lifecycles: one transition table for a site, one for its lease.

    site:  free → reserved (the administration holds it) → free
           free → leased (a lease at admission) → free (the lease lapsed or was released)
    lease: awaiting_signature → signed | lapsed (not signed in time) | released (certificate revoked)
           signed → released

``TRANSITIONS[(status, action)] = next status``; anything not in the table does not happen.
"""

from __future__ import annotations

from enum import StrEnum

from zone.sites.models import LeaseStatus as L
from zone.sites.models import SiteStatus as S


class Action(StrEnum):
    RESERVE = "reserve"
    UNRESERVE = "unreserve"
    LEASE = "lease"
    VACATE = "vacate"


class LeaseAction(StrEnum):
    SIGN = "sign"
    LAPSE = "lapse"
    RELEASE = "release"


TRANSITIONS: dict[tuple[S, Action], S] = {
    (S.FREE, Action.RESERVE): S.RESERVED,
    (S.RESERVED, Action.UNRESERVE): S.FREE,
    (S.FREE, Action.LEASE): S.LEASED,
    (S.LEASED, Action.VACATE): S.FREE,
}

LEASE_TRANSITIONS: dict[tuple[L, LeaseAction], L] = {
    (L.AWAITING_SIGNATURE, LeaseAction.SIGN): L.SIGNED,
    (L.AWAITING_SIGNATURE, LeaseAction.LAPSE): L.LAPSED,
    (L.AWAITING_SIGNATURE, LeaseAction.RELEASE): L.RELEASED,
    (L.SIGNED, LeaseAction.RELEASE): L.RELEASED,
}


def next_status(status: str, action: Action) -> S | None:
    """The site status ``action`` leads to from ``status``, or None when the table does not allow it."""
    return TRANSITIONS.get((S(status), action))


def next_lease_status(status: str, action: LeaseAction) -> L | None:
    """The lease status ``action`` leads to from ``status``, or None when the table does not allow it."""
    return LEASE_TRANSITIONS.get((L(status), action))


def status_change(current: str, wanted: str) -> Action | None:
    """The action an administrator's edit of the status means (free ⇄ reserved only), None if no change.

    Raises KeyError when the change is not one an administrator makes by hand (leasing goes through an
    approval, vacating through the lease)."""
    if current == wanted:
        return None
    for (status, action), target in TRANSITIONS.items():
        if status == current and target == wanted and action in (Action.RESERVE, Action.UNRESERVE):
            return action
    raise KeyError((current, wanted))
