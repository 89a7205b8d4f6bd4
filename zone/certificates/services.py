"""Issuing certificates and changing their status: the domain's state changes.

Every function works inside the caller's transaction (flush, never commit). Status changes go
through :func:`zone.certificates.lifecycle.apply_action`; this module adds issuance and reissue.
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
from zone.calendar import today as zone_today
from zone.certificates.benefits import clean_benefits, validity
from zone.certificates.document import render_and_sign
from zone.certificates.lifecycle import add_event, apply_action, notify_company
from zone.certificates.models import LIVE_STATUSES, Certificate
from zone.certificates.models import CertificateStatus as S
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


def _new_certificate(
    application: Application,
    benefits: list[dict],
    start: date,
    actor: User | None,
    supersedes: Certificate | None = None,
) -> Certificate:
    """Number, render, sign and store a certificate for ``application`` (its company as it is now)."""
    side = application.side
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


def issue_certificate(
    application: Application, *, granted_benefits: Any, decided_at: datetime, actor: User | None
) -> Certificate:
    """Issue the approved application's certificate, inside the approval transaction.

    Idempotent: an application that already has a live (active or suspended) certificate gets it back.
    The serial is the next of the application's side in the decision year, without gaps; validity runs
    from the decision date to the end of the longest granted benefit period, capped by the zone's end.
    The PDF is rendered and signed once here and stored; it is never re-rendered.
    """
    existing = live_certificate(application.id)
    if existing is not None:
        return existing
    if application.side not in ("KZ", "UZ"):
        raise Conflict(_l("The application has no side (KZ or UZ); no certificate can be issued."), code="no_side")
    start = local_date(decided_at)
    certificate = _new_certificate(application, clean_benefits(granted_benefits, start), start, actor)
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
        details={
            "serial": certificate.serial,
            "application_id": application.id,
            "sha256": certificate.sha256,
            "valid_from": certificate.valid_from,
            "valid_until": certificate.valid_until,
        },
    )
    notify_company(certificate, "certificates/mail/issued.txt")
    return certificate


def reissue_certificate(
    certificate: Certificate, actor: User, *, reason: str, granted_benefits: Any = None
) -> Certificate:
    """Replace an active certificate after an amendment: a new serial with the company's current
    data (and ``granted_benefits`` if given, else the same benefits); the old one becomes superseded.

    The two are linked both ways. Load ``certificate`` with a row lock first.
    """
    application = certificate.application
    apply_action(certificate, Action.SUPERSEDE, actor, reason=reason, notify=False)
    start = zone_today()
    benefits = (
        clean_benefits(granted_benefits, start)
        if granted_benefits is not None
        else [dict(b) for b in certificate.benefits]
    )
    replacement = _new_certificate(application, benefits, start, actor, supersedes=certificate)
    certificate.superseded_by_id = replacement.id
    add_event(
        replacement,
        "issue",
        actor,
        from_status=None,
        reason=reason,
        effective_date=start,
        details={"supersedes": certificate.serial},
    )
    record(
        "certificate.reissue",
        replacement,
        actor=actor,
        details={
            "serial": replacement.serial,
            "supersedes": certificate.serial,
            "reason": reason,
            "sha256": replacement.sha256,
        },
    )
    notify_company(replacement, "certificates/mail/reissued.txt", previous=certificate, reason=reason)
    db.session.flush()
    return replacement


def suspend(certificate: Certificate, actor: User, *, reason: str, effective_date: date | None = None) -> None:
    """Suspend an active certificate (admin; reason required; effective today or earlier)."""
    apply_action(certificate, Action.SUSPEND, actor, reason=reason, effective_date=effective_date)


def reinstate(certificate: Certificate, actor: User, *, reason: str, effective_date: date | None = None) -> None:
    """Reinstate a suspended certificate once the problem is fixed (admin; reason required)."""
    apply_action(certificate, Action.REINSTATE, actor, reason=reason, effective_date=effective_date)


def revoke(certificate: Certificate, actor: User, *, reason: str, effective_date: date | None = None) -> None:
    """Revoke an active or suspended certificate: its benefits are annulled from ``effective_date``."""
    apply_action(certificate, Action.REVOKE, actor, reason=reason, effective_date=effective_date)
