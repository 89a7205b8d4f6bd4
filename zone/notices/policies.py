"""Who may read what of the notices. The only place these decisions are made.

- Admins manage subscriptions and deliveries; staff and auditors read the notices pages and letters.
- The events feed is read by auditors and admins (every side) and by the tax and customs authorities, each
  account only the events of its own side: a KZ authority never learns of a UZ resident, and the reverse.
"""

from __future__ import annotations

from zone.accounts.roles import Role
from zone.vocabulary import SIDES

FEED_ROLES = (Role.AUDITOR, Role.ADMIN, Role.AUTHORITY)


def feed_sides(user) -> frozenset[str]:
    """The sides whose events ``user`` reads in the feed: both for auditors and admins, its own for an
    authority, none for anyone else (an authority without a side, which the database refuses, reads
    nothing rather than everything)."""
    if user.role in (Role.AUDITOR, Role.ADMIN):
        return frozenset(SIDES)
    if user.role == Role.AUTHORITY and user.side in SIDES:
        return frozenset({user.side})
    return frozenset()
