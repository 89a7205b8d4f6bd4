"""The agreement's transition table, every (status, action) pair, the forbidden ones too."""

from __future__ import annotations

import pytest

from zone.agreements.models import AgreementStatus as S
from zone.agreements.workflow import Action, next_status

EXPECTED = {
    (S.AWAITING_COMPANY_SIGNATURE, Action.CONCLUDE): S.CONCLUDED,
    (S.AWAITING_COMPANY_SIGNATURE, Action.TERMINATE): S.TERMINATED,
    (S.CONCLUDED, Action.TERMINATE): S.TERMINATED,
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(Action))
def test_every_status_and_action(status, action):
    assert next_status(status, action) == EXPECTED.get((status, action))
