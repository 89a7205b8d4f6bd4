"""Who may read the audit trail: auditors and administrators; nobody may change it."""

from __future__ import annotations

from zone.accounts.roles import Role

TRAIL_READERS = (Role.AUDITOR, Role.ADMIN)


def can_read_trail(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.role in TRAIL_READERS)
