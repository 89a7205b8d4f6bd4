"""The certificate lifecycle: one transition table.

    issue → active ⇄ suspended;  active | suspended → revoked | expired;  active → superseded (reissue)

``TRANSITIONS[(status, action)] = (next status, roles allowed)``; an empty role set means the system
alone (the expiry command). Anything not in the table is refused with 409.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from zone.accounts.roles import Role
from zone.certificates.models import CertificateStatus as S


class Action(StrEnum):
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"
    EXPIRE = "expire"
    SUPERSEDE = "supersede"


ADMIN = frozenset({Role.ADMIN})
SYSTEM: frozenset[Role] = frozenset()
REISSUERS = frozenset({Role.ADMIN, Role.APPROVER})
# An approver takes these only to decide someone else's proposal (zone.certificates.sanctions).
SANCTIONERS = frozenset({Role.ADMIN, Role.APPROVER})

TRANSITIONS: dict[tuple[S, Action], tuple[S, frozenset[Role]]] = {
    (S.ACTIVE, Action.SUSPEND): (S.SUSPENDED, SANCTIONERS),
    (S.SUSPENDED, Action.REINSTATE): (S.ACTIVE, SANCTIONERS),
    (S.ACTIVE, Action.REVOKE): (S.REVOKED, SANCTIONERS),
    (S.SUSPENDED, Action.REVOKE): (S.REVOKED, SANCTIONERS),
    (S.ACTIVE, Action.EXPIRE): (S.EXPIRED, SYSTEM),
    (S.SUSPENDED, Action.EXPIRE): (S.EXPIRED, SYSTEM),
    (S.ACTIVE, Action.SUPERSEDE): (S.SUPERSEDED, REISSUERS),
}

# Actions whose reason the admin must give (and the company is told).
REASON_REQUIRED = frozenset({Action.SUSPEND, Action.REINSTATE, Action.REVOKE, Action.SUPERSEDE})

STATUS_LABELS = {
    S.ACTIVE: _l("Valid"),
    S.SUSPENDED: _l("Suspended"),
    S.REVOKED: _l("Revoked"),
    S.EXPIRED: _l("Expired"),
    S.SUPERSEDED: _l("Superseded"),
}

ACTION_LABELS = {
    Action.SUSPEND: _l("Suspend"),
    Action.REINSTATE: _l("Reinstate"),
    Action.REVOKE: _l("Revoke"),
    Action.EXPIRE: _l("Expire"),
    Action.SUPERSEDE: _l("Reissue"),
}


def allowed_actions(status: str, role: str) -> list[Action]:
    """Actions the table allows from ``status`` for ``role``, in table order."""
    return [action for (state, action), (_next, roles) in TRANSITIONS.items() if state == status and role in roles]
