"""The transition table is the spec: every (state, action) pair, the forbidden ones too."""

from __future__ import annotations

import pytest

from tests.reports.conftest import QUARTER
from zone.reports.workflow import TRANSITIONS, Action, Status

ENDPOINT = {Action.SUBMIT: "submit", Action.RETURN: "return", Action.RESUBMIT: "resubmit", Action.ACCEPT: "accept"}
BODY = {Action.SUBMIT: {}, Action.RETURN: {"question": "Why?"}, Action.RESUBMIT: {"answer": "Because."},
        Action.ACCEPT: {}}
# How to bring a fresh draft into each state (as the company, then staff).
PATH = {Status.DRAFT: [], Status.SUBMITTED: [Action.SUBMIT], Status.RETURNED: [Action.SUBMIT, Action.RETURN],
        Status.ACCEPTED: [Action.SUBMIT, Action.ACCEPT]}


def _act(client, resident, report_id, action):
    headers = resident.company if action in (Action.SUBMIT, Action.RESUBMIT) else resident.reviewer
    return client.post(f"/api/v1/reports/{report_id}/{ENDPOINT[action]}", headers=headers, json=BODY[action])


@pytest.mark.parametrize("state", list(Status))
@pytest.mark.parametrize("action", list(Action))
def test_every_state_and_action(client, resident, new_report, state, action):
    report = new_report("2026-Q1", **QUARTER)
    for step in PATH[state]:
        assert _act(client, resident, report["id"], step).status_code == 200
    response = _act(client, resident, report["id"], action)
    allowed = (state, action) in TRANSITIONS
    assert response.status_code == (200 if allowed else 409), response.get_json()
    after = client.get(f"/api/v1/reports/{report['id']}", headers=resident.company).get_json()["status"]
    assert after == (TRANSITIONS[(state, action)][0] if allowed else state)
