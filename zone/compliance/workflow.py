"""A compliance case's stages and the one transition table: the sanction ladder of DOMAIN.md.

    warned → suspension_due → suspension_proposed → suspended → revocation_due → revocation_proposed → revoked
    cured (before a suspension) → closed;  cured after one → reinstatement_proposed → closed (reinstated)

The daily run (the system, no user) opens a case with a warning, escalates it when the cure deadline or
the suspension term passes, and follows the certificate once a person decided a proposal. People
(reviewer, approver, admin) prepare the suspension and revocation proposals; a second person decides
them through the certificate's own actions. Nothing here suspends or revokes.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from zone.accounts.roles import Role


class Stage(StrEnum):
    WARNED = "warned"
    SUSPENSION_DUE = "suspension_due"
    SUSPENSION_PROPOSED = "suspension_proposed"
    SUSPENDED = "suspended"
    REVOCATION_DUE = "revocation_due"
    REVOCATION_PROPOSED = "revocation_proposed"
    REINSTATEMENT_PROPOSED = "reinstatement_proposed"
    REVOKED = "revoked"
    CLOSED = "closed"


class Action(StrEnum):
    ESCALATE = "escalate"  # the run: the cure deadline or the suspension term passed
    PROPOSE = "propose"  # a person prepares the sanction proposal
    DECIDED = "decided"  # the run: a second person took the certificate action
    DECLINED = "declined"  # a second person declined the proposal
    CURE = "cure"  # the run: the condition holds again
    END = "end"  # the run: the certificate is no longer live (revoked, expired, superseded)


PREPARERS = frozenset({Role.REVIEWER, Role.APPROVER, Role.ADMIN})
DECIDERS = frozenset({Role.APPROVER, Role.ADMIN})
SYSTEM: frozenset[Role] = frozenset()
S = Stage

# (from, action) → (to, roles that may do it; empty = the daily run)
TRANSITIONS: dict[tuple[Stage, Action], tuple[Stage, frozenset[Role]]] = {
    (S.WARNED, Action.ESCALATE): (S.SUSPENSION_DUE, SYSTEM),
    (S.SUSPENSION_DUE, Action.PROPOSE): (S.SUSPENSION_PROPOSED, PREPARERS),
    (S.SUSPENSION_PROPOSED, Action.DECIDED): (S.SUSPENDED, SYSTEM),
    (S.SUSPENSION_PROPOSED, Action.DECLINED): (S.SUSPENSION_DUE, DECIDERS),
    (S.WARNED, Action.DECIDED): (S.SUSPENDED, SYSTEM),  # an admin suspended at once
    (S.SUSPENSION_DUE, Action.DECIDED): (S.SUSPENDED, SYSTEM),
    (S.SUSPENDED, Action.ESCALATE): (S.REVOCATION_DUE, SYSTEM),
    (S.REVOCATION_DUE, Action.PROPOSE): (S.REVOCATION_PROPOSED, PREPARERS),
    (S.REVOCATION_PROPOSED, Action.DECLINED): (S.REVOCATION_DUE, DECIDERS),
    (S.WARNED, Action.CURE): (S.CLOSED, SYSTEM),
    (S.SUSPENSION_DUE, Action.CURE): (S.CLOSED, SYSTEM),
    (S.SUSPENSION_PROPOSED, Action.CURE): (S.CLOSED, SYSTEM),
    (S.SUSPENDED, Action.CURE): (S.REINSTATEMENT_PROPOSED, SYSTEM),
    (S.REVOCATION_DUE, Action.CURE): (S.REINSTATEMENT_PROPOSED, SYSTEM),
    (S.REVOCATION_PROPOSED, Action.CURE): (S.REINSTATEMENT_PROPOSED, SYSTEM),
    (S.REINSTATEMENT_PROPOSED, Action.DECIDED): (S.CLOSED, SYSTEM),
    **{(stage, Action.END): (S.REVOKED, SYSTEM) for stage in S if stage not in (S.REVOKED, S.CLOSED)},
}

OPEN_STAGES = frozenset(S) - {S.REVOKED, S.CLOSED}
PROPOSED = {S.SUSPENSION_PROPOSED: "suspend", S.REVOCATION_PROPOSED: "revoke", S.REINSTATEMENT_PROPOSED: "reinstate"}
DUE = {S.SUSPENSION_DUE: "suspend", S.REVOCATION_DUE: "revoke"}

STAGE_LABELS = {
    S.WARNED: _l("Warned"),
    S.SUSPENSION_DUE: _l("Suspension to propose"),
    S.SUSPENSION_PROPOSED: _l("Suspension proposed"),
    S.SUSPENDED: _l("Suspended"),
    S.REVOCATION_DUE: _l("Revocation to propose"),
    S.REVOCATION_PROPOSED: _l("Revocation proposed"),
    S.REINSTATEMENT_PROPOSED: _l("Reinstatement proposed"),
    S.REVOKED: _l("Revoked"),
    S.CLOSED: _l("Closed"),
}
STATUS_LABELS = {
    "met": _l("Met"), "pending": _l("Pending"), "at_risk": _l("At risk"), "breached": _l("Breached"),
    "compliant": _l("Compliant"), "breach": _l("Breach"),
}


def target(stage: Stage | str, action: Action, role: str | None) -> Stage | None:
    """The stage ``action`` leads to from ``stage`` for ``role`` (None: the system); None if not allowed."""
    found = TRANSITIONS.get((Stage(stage), action))
    if found is None:
        return None
    to, roles = found
    allowed = role is None if not roles else role in roles
    return to if allowed else None
