"""Compliance as JSON and as the pages show it."""

from __future__ import annotations

from zone.api.common import iso
from zone.compliance.models import ComplianceCase
from zone.compliance.workflow import STAGE_LABELS, STATUS_LABELS, Stage


def stage_label(stage: str) -> str:
    return str(STAGE_LABELS.get(Stage(stage), stage))


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def case_json(case: ComplianceCase) -> dict:
    proposal = case.proposal
    return {
        "id": case.id, "serial": case.certificate.serial, "side": case.side, "condition": case.condition_id,
        "stage": case.stage, "open": bool(case.open), "version": case.version, "opened_on": iso(case.opened_on),
        "cure_due": iso(case.cure_due), "next_step_on": iso(case.next_step_on),
        "suspended_on": iso(case.suspended_on), "closed_on": iso(case.closed_on),
        "closed_reason": case.closed_reason, "rule_set": {"version": case.rule_set_version},
        "snapshot": case.snapshot_id,
        "proposal": None if proposal is None else {
            "id": proposal.id, "action": proposal.action, "status": proposal.status, "reason": proposal.reason,
            "proposed_by_id": proposal.proposed_by_id, "proposed_at": iso(proposal.proposed_at),
            "decided_by_id": proposal.decided_by_id, "decided_at": iso(proposal.decided_at)},
    }
