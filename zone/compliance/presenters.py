"""Compliance as JSON and as the pages show it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from zone.api.common import iso
from zone.calendar import today
from zone.certificates.models import LIVE_STATUSES
from zone.compliance import queries
from zone.compliance.models import ComplianceCase
from zone.compliance.workflow import STAGE_LABELS, STATUS_LABELS, Stage


def stage_label(stage: str) -> str:
    return str(STAGE_LABELS.get(Stage(stage), stage))


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def condition_names(language: str) -> dict[str, str]:
    """Every condition of every rule set by id, named in ``language`` (the newest rule set's name wins)."""
    from zone.compliance.ruleset import registry

    names: dict[str, str] = {}
    for rule_set in registry().rule_sets:
        for condition in rule_set.conditions:
            names[condition.id] = condition.name.get(language) or condition.name.get("en") or condition.id
    return names


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


@dataclass
class Summary:
    """A resident's compliance as the certificate page shows it: the engine's verdict today (live
    certificates only) and the open cases' stages."""

    status: str | None
    status_label: str | None
    cases: list[tuple[str, str]]  # (condition, stage label) of each open case
    url: str


def summary(certificate) -> Summary:
    """Evaluate ``certificate`` as of today (a few queries) and list its open cases."""
    status = None
    if certificate.status in LIVE_STATUSES:
        status = queries.evaluation(certificate, today()).status
    cases = [(c.condition_id, stage_label(c.stage)) for c in queries.cases_of(certificate.id) if c.open]
    return Summary(status, status_label(status) if status else None, cases,
                   url_for("compliance.certificate_page", serial=certificate.serial))
