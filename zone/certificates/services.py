"""Issuing certificates and changing their status: the domain's state changes.

Every function works inside the caller's transaction (flush, never commit). Status changes go
through :func:`zone.certificates.lifecycle.apply_action`; this module adds issuance. Reissue, which
two people sign off, is in :mod:`zone.certificates.reissue`.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.accounts.models import User
from zone.applications.models import Application
from zone.audit.services import record
from zone.calendar import local_date
from zone.certificates import grants, sanctions
from zone.certificates.benefits import validity
from zone.certificates.document import render_and_sign
from zone.certificates.grants import Grant, signed_summary
from zone.certificates.lifecycle import add_event, apply_action
from zone.certificates.models import LIVE_STATUSES, Certificate
from zone.certificates.models import CertificateStatus as S
from zone.certificates.periods import benefits_half_open, ends_on, to_stored
from zone.certificates.serials import next_serial
from zone.certificates.workflow import Action
from zone.errors import Conflict
from zone.extensions import db


def live_certificate(application_id: int) -> Certificate | None:
    """The application's active or suspended certificate, if any."""
    return db.session.scalars(
        select(Certificate).where(
            Certificate.application_id == application_id,
            Certificate.status.in_([s.value for s in LIVE_STATUSES]),
        )
    ).first()


def stored_benefits(granted: list[dict]) -> list[dict]:
    """Granted (half-open) benefits as a certificate row keeps them: each period by its last day
    (:mod:`zone.certificates.periods`)."""
    return [{**dict(b), "periods": [to_stored(p) for p in b.get("periods") or ()]} for b in granted]


def new_certificate(
    application: Application,
    grant: Grant,
    start: date,
    actor: User | None,
    supersedes: Certificate | None = None,
) -> Certificate:
    """Number, render, sign and store a certificate for ``application`` (its company as it is now)
    carrying exactly the benefits of ``grant``: benefits only ever come from a stored evaluation."""
    side = application.side
    benefits = stored_benefits(grant.benefits)
    valid_until = validity(benefits, start, side)
    number, serial = next_serial(side, start.year)
    company = application.company
    certificate = Certificate(
        serial=serial,
        side=side,
        year=start.year,
        number=number,
        application_id=application.id,
        company_id=company.id,
        status=S.ACTIVE,
        company_name=company.name,
        company_name_folded=company.name.casefold(),
        company_tax_id=company.tax_id,
        sector=application.sector,
        activity_codes=list(application.activity_codes or ()),
        valid_from=start,
        valid_until=valid_until,
        benefits=benefits,
        verify_token=secrets.token_urlsafe(32),
        issued_by_id=actor.id if actor else None,
        supersedes_id=supersedes.id if supersedes else None,
    )
    certificate.company = company
    render_and_sign(certificate)
    db.session.add(certificate)
    db.session.flush()
    return certificate


def signed_details(certificate: Certificate, grant: Grant) -> dict:
    """What the audit trail keeps of a signed certificate: the benefits and validity actually signed and
    the stored evaluation they come from, half-open like everything outside the certificate row."""
    return {
        "serial": certificate.serial,
        "sha256": certificate.sha256,
        "valid_from": certificate.valid_from,
        "valid_until": ends_on(certificate.valid_until),
        "benefits": signed_summary(benefits_half_open(certificate.benefits)),
        "rule_set": grant.rule_set,
        "evaluation": grant.snapshot_id,
    }


def issue_certificate(
    application: Application, *, decided_at: datetime, actor: User | None, granted_benefits: Any = None
) -> Certificate:
    """Issue the approved application's certificate, inside the approval transaction.

    The benefits are those of the decision's stored evaluation, narrowed as the approval chose
    (``granted_benefits``, by default the application's): a choice the evaluation does not allow is
    refused (422) and nothing is signed. Idempotent: an application that already has a live (active or
    suspended) certificate gets it back. The serial is the next of the application's side in the
    decision year, without gaps; validity runs from the decision date to the end of the longest granted
    benefit period, capped by the zone's end. The PDF is rendered and signed once here and stored.
    """
    existing = live_certificate(application.id)
    if existing is not None:
        return existing
    if application.side not in ("KZ", "UZ"):
        raise Conflict(_l("The application has no side (KZ or UZ); no certificate can be issued."), code="no_side")
    start = local_date(decided_at)
    chosen = granted_benefits if granted_benefits is not None else application.granted_benefits
    grant = grants.grant(grants.decision_snapshot(application), chosen)
    certificate = new_certificate(application, grant, start, actor)
    add_event(
        certificate,
        "issue",
        actor,
        from_status=None,
        reason=None,
        effective_date=start,
        details={"application": application.number},
    )
    record(
        "certificate.issue",
        certificate,
        actor=actor,
        details={"application_id": application.id, **signed_details(certificate, grant)},
    )
    return certificate  # the company reads of it in the approval's message (review), one mail for one event


def _decide(certificate: Certificate, action: Action, actor: User, reason: str,
            effective_date: date | None) -> None:
    """Take ``action``, deciding the pending sanction proposal it answers (four eyes, see ``sanctions``)."""
    proposal = sanctions.check_decision(certificate, action.value, actor)
    apply_action(certificate, action, actor, reason=reason, effective_date=effective_date,
                 details={"proposal": proposal.id} if proposal is not None else None)
    sanctions.decided(certificate, proposal, actor, reason)


def suspend(certificate: Certificate, actor: User, *, reason: str, effective_date: date | None = None) -> None:
    """Suspend an active certificate (an admin, or an approver deciding someone else's proposal; reason
    required; effective today or earlier)."""
    _decide(certificate, Action.SUSPEND, actor, reason, effective_date)


def reinstate(certificate: Certificate, actor: User, *, reason: str, effective_date: date | None = None) -> None:
    """Reinstate a suspended certificate once the problem is fixed (as :func:`suspend`)."""
    _decide(certificate, Action.REINSTATE, actor, reason, effective_date)


def revoke(certificate: Certificate, actor: User, *, reason: str, effective_date: date | None = None) -> None:
    """Revoke an active or suspended certificate: its benefits are annulled from ``effective_date``."""
    _decide(certificate, Action.REVOKE, actor, reason, effective_date)
