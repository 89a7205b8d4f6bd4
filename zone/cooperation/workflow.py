"""A contact request's states and the one transition table.

    sent → accepted | declined (the recipient) | withdrawn (the sender)
    accepted → met (a meeting took place) → contracted | no_deal
    accepted → contracted | no_deal

Either party records the outcome once the request is accepted. Parties, not roles, act: the sender is
the company that wrote, the recipient the company written to; staff read every request and change none.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class State(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    MET = "met"
    CONTRACTED = "contracted"
    NO_DEAL = "no_deal"


class Action(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    RECORD_MEETING = "record_meeting"
    RECORD_CONTRACT = "record_contract"
    RECORD_NO_DEAL = "record_no_deal"


SENDER = "sender"
RECIPIENT = "recipient"
BOTH = frozenset({SENDER, RECIPIENT})
S = State

# (from, action) → (to, parties that may do it)
TRANSITIONS: dict[tuple[State, Action], tuple[State, frozenset[str]]] = {
    (S.SENT, Action.ACCEPT): (S.ACCEPTED, frozenset({RECIPIENT})),
    (S.SENT, Action.DECLINE): (S.DECLINED, frozenset({RECIPIENT})),
    (S.SENT, Action.WITHDRAW): (S.WITHDRAWN, frozenset({SENDER})),
    (S.ACCEPTED, Action.RECORD_MEETING): (S.MET, BOTH),
    (S.ACCEPTED, Action.RECORD_CONTRACT): (S.CONTRACTED, BOTH),
    (S.ACCEPTED, Action.RECORD_NO_DEAL): (S.NO_DEAL, BOTH),
    (S.MET, Action.RECORD_CONTRACT): (S.CONTRACTED, BOTH),
    (S.MET, Action.RECORD_NO_DEAL): (S.NO_DEAL, BOTH),
}

OPEN_STATES = frozenset({S.SENT, S.ACCEPTED, S.MET})
CONTACT_STATES = frozenset({S.ACCEPTED, S.MET, S.CONTRACTED, S.NO_DEAL})  # the companies are in touch

STATE_LABELS = {
    S.SENT: _l("Sent, awaiting an answer"),
    S.ACCEPTED: _l("Accepted"),
    S.DECLINED: _l("Declined"),
    S.WITHDRAWN: _l("Withdrawn"),
    S.MET: _l("Meeting held"),
    S.CONTRACTED: _l("Contract signed"),
    S.NO_DEAL: _l("Closed without a contract"),
}
ACTION_LABELS = {
    Action.ACCEPT: _l("Accept"),
    Action.DECLINE: _l("Decline"),
    Action.WITHDRAW: _l("Withdraw"),
    Action.RECORD_MEETING: _l("Record a meeting"),
    Action.RECORD_CONTRACT: _l("Record a contract"),
    Action.RECORD_NO_DEAL: _l("Close without a contract"),
}


def target(state: State | str, action: Action | str, party: str | None) -> State | None:
    """The state ``action`` by ``party`` leads to from ``state``; None if the table does not allow it."""
    try:
        found = TRANSITIONS.get((State(state), Action(action)))
    except ValueError:
        return None
    if found is None or party not in found[1]:
        return None
    return found[0]


def actions_for(state: State | str, party: str | None) -> list[Action]:
    return [action for (from_, action), (_to, parties) in TRANSITIONS.items() if from_ == state and party in parties]
