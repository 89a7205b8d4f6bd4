"""Who may change the working calendar. The only place this is decided."""

from __future__ import annotations

from zone.accounts.roles import Role

# Administrators keep the overrides; everyone else reads the deadlines computed from them.
CALENDAR_MANAGERS = (Role.ADMIN,)
