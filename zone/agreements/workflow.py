"""The agreement's lifecycle: one transition table.

    awaiting_company_signature → concluded (the company's first countersignature)
    awaiting_company_signature | concluded → terminated (its certificate is revoked)

``TRANSITIONS[(status, action)] = next status``; anything not in the table does not happen. Amendments and
later countersignatures change the text of a live agreement, not its status.
"""

from __future__ import annotations

from enum import StrEnum

from zone.agreements.models import AgreementStatus as S


class Action(StrEnum):
    CONCLUDE = "conclude"
    TERMINATE = "terminate"


TRANSITIONS: dict[tuple[S, Action], S] = {
    (S.AWAITING_COMPANY_SIGNATURE, Action.CONCLUDE): S.CONCLUDED,
    (S.AWAITING_COMPANY_SIGNATURE, Action.TERMINATE): S.TERMINATED,
    (S.CONCLUDED, Action.TERMINATE): S.TERMINATED,
}


def next_status(status: str, action: Action) -> S | None:
    """The status ``action`` leads to from ``status``, or None when the table does not allow it."""
    return TRANSITIONS.get((S(status), action))
