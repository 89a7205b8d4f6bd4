"""Who may read the audit trail: auditors and administrators; nobody may change it."""

from __future__ import annotations

from zone.accounts.roles import Role

TRAIL_READERS = (Role.AUDITOR, Role.ADMIN)
