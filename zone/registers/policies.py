"""Who may read the certificate register and download its exports: staff and auditors."""

from __future__ import annotations

from zone.accounts.roles import READER_ROLES, Role

REGISTER_READERS = tuple(sorted(READER_ROLES))


def can_read_history(user) -> bool:
    """The audit history of a certificate is linked for auditors and admins (readers of the trail)."""
    return bool(user is not None and user.is_authenticated and user.role in (Role.AUDITOR, Role.ADMIN))
