"""Who may change the working calendar. The only place this is decided."""

from __future__ import annotations

from zone.accounts.roles import Role


def can_manage_calendar(user) -> bool:
    """Administrators keep the overrides; everyone else reads deadlines computed from them."""
    return user is not None and user.is_authenticated and user.role == Role.ADMIN
