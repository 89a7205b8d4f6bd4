"""How agreements are shown: the API's JSON and the pages' labels."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from zone.agreements import queries
from zone.agreements.models import Agreement, AgreementAmendment, AgreementEvent, AgreementRevision
from zone.api.common import iso


def status_label(status: str) -> str:
    return {
        "awaiting_company_signature": _("Awaiting the company's signature"),
        "concluded": _("Concluded"),
        "terminated": _("Terminated"),
    }.get(status, status)


def amendment_status_label(status: str) -> str:
    return {"proposed": _("Proposed"), "approved": _("Approved"), "rejected": _("Rejected")}.get(status, status)


def obligation_label(kind: str) -> str:
    return {
        "investment": _("Investment"),
        "jobs_total": _("Jobs, total"),
        "jobs_local": _("Jobs for local citizens"),
        "construction_start": _("Start of construction"),
        "production_start": _("Start of production"),
        "priority_income_share": _("Share of income from priority activities (yearly), at least"),
    }.get(kind, kind)


def unit_label(unit: str) -> str:
    return {"jobs": _("jobs"), "percent": "%", "date": ""}.get(unit, unit)


# The steps of an agreement's history its company sees (proposals and rejections stay internal).
COMPANY_SEES = ("create", "countersign", "approve", "terminate")


def event_label(action: str) -> str:
    return {
        "create": _("Made and signed by the zone"),
        "countersign": _("Countersigned by the company"),
        "propose": _("Amendment proposed"),
        "approve": _("Amendment approved: new revision signed by the zone"),
        "reject": _("Amendment rejected"),
        "terminate": _("Terminated: the certificate was revoked"),
    }.get(action, action)


def _person(user) -> dict | None:
    return None if user is None else {"id": user.id, "name": user.display_name}


def amendment_json(amendment: AgreementAmendment, *, staff: bool = True) -> dict:
    """An amendment; the company sees no staff names (as in the review) and no internal comment."""
    return {
        "number": amendment.number, "status": amendment.status, "reason": amendment.reason,
        "changes": amendment.changes, "obligations": amendment.obligations,
        "base_revision": amendment.base_revision, "revision": amendment.revision_number,
        "proposed_by": _person(amendment.proposed_by) if staff else None, "proposed_at": iso(amendment.proposed_at),
        "decided_by": _person(amendment.decided_by) if staff else None, "decided_at": iso(amendment.decided_at),
        "decision_comment": amendment.decision_comment if staff else None,
    }


def revision_json(agreement: Agreement, revision: AgreementRevision) -> dict:
    return {
        "revision": revision.number,
        "amendment": revision.amendment.number if revision.amendment is not None else None,
        "zone_signed_at": iso(revision.zone_signed_at), "zone_sha256": revision.zone_sha256,
        "company_signed_at": iso(revision.company_signed_at), "concluded_sha256": revision.concluded_sha256,
        "company_signer": revision.company_signer,
        "pdf_url": url_for("agreements_api.revision_pdf", number=agreement.number, revision=revision.number),
    }


def agreement_json(agreement: Agreement, *, full: bool = True, staff: bool = True) -> dict:
    """The agreement as API.md describes it; ``full`` adds amendments and revisions (one query each).
    A company (``staff`` false) sees the approved amendments only: proposals are internal until decided."""
    data = {
        "number": agreement.number, "side": agreement.side, "status": agreement.status,
        "version": agreement.version, "revision": agreement.revision,
        "certificate": {"serial": agreement.certificate.serial},
        "company": {"name": agreement.company_name, "tax_id": agreement.company_tax_id},
        "application": {"id": agreement.application_id},
        "decided_on": iso(agreement.decided_on),
        "zone_signed_at": iso(agreement.zone_signed_at), "company_signed_at": iso(agreement.company_signed_at),
        "countersign_due": iso(agreement.countersign_due), "rule_set": {"version": agreement.rule_set_version},
        "sha256": agreement.sha256, "size": agreement.size,
        "obligations": agreement.obligations,
        "pdf_url": url_for("agreements_api.agreement_pdf", number=agreement.number),
    }
    if full:
        data["amendments"] = [amendment_json(a, staff=staff) for a in queries.amendments(agreement)
                              if staff or a.status == "approved"]
        data["revisions"] = [revision_json(agreement, r) for r in queries.revisions(agreement)]
    return data


def event_by(event: AgreementEvent, *, staff: bool) -> str | None:
    """Who took a step; the company sees its own people by name and the zone's staff as the administration."""
    actor = event.actor
    if actor is None:
        return None
    return actor.display_name if staff or actor.company_id is not None else _("ICIC administration")


def event_json(event: AgreementEvent, *, staff: bool = True) -> dict:
    return {"action": event.action, "at": iso(event.at), "version": event.version,
            "by": event_by(event, staff=staff), "comment": event.comment if staff else None,
            "details": (event.details or {}) if staff else {
                k: v for k, v in (event.details or {}).items() if k in ("revision", "amendment", "sha256")}}
