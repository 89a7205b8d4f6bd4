"""Applying the certificate transition table: the only code that changes a certificate's status.

Callers load the certificate with a row lock (``queries.certificate_for_update``), then call
:func:`apply_action`: it checks the table, the role, the reason and the effective date, records the
history entry and the audit event, and tells the company.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.accounts.models import User
from zone.accounts.roles import Role
from zone.audit.services import record
from zone.calendar import today as zone_today
from zone.certificates.models import LIVE_STATUSES, Certificate, CertificateEvent
from zone.certificates.models import CertificateStatus as S
from zone.certificates.notices import emit_certificate_event
from zone.certificates.workflow import ACTION_LABELS, REASON_REQUIRED, STATUS_LABELS, TRANSITIONS, Action
from zone.database import unit_of_work, utcnow
from zone.errors import Conflict, Forbidden, ValidationFailed
from zone.extensions import db
from zone.mail.services import queue_mail

MAX_REASON = 2000
MAIL_TEMPLATES = {
    Action.SUSPEND: "certificates/mail/suspended.txt",
    Action.REINSTATE: "certificates/mail/reinstated.txt",
    Action.REVOKE: "certificates/mail/revoked.txt",
    Action.EXPIRE: "certificates/mail/expired.txt",
}


def notify_company(certificate: Certificate, template: str, **context) -> None:
    """Queue ``template`` to every active user of the certificate's company, in their language."""
    users = db.session.scalars(
        select(User).where(User.company_id == certificate.company_id, User.role == Role.APPLICANT, User.active)
    ).all()
    for user in users:
        queue_mail(user.email, template, locale=user.locale, certificate=certificate, **context)


def add_event(
    certificate: Certificate,
    action: str,
    actor: User | None,
    *,
    from_status: str | None,
    reason: str | None,
    effective_date: date,
    details: dict | None = None,
) -> CertificateEvent:
    """Write one line of the certificate's status history."""
    event = CertificateEvent(
        certificate_id=certificate.id,
        action=action,
        from_status=from_status,
        to_status=certificate.status,
        actor_id=actor.id if actor else None,
        reason=reason,
        effective_date=effective_date,
        details=details,
    )
    db.session.add(event)
    return event


def clean_reason(action: Action, reason: str | None) -> str | None:
    """The reason trimmed; 422 when ``action`` needs one and none is given, or it is too long."""
    reason = (reason or "").strip() or None
    if action in REASON_REQUIRED and not reason:
        raise ValidationFailed(
            _l("Give the reason; the company will be told."), fields={"reason": [_l("This field is required.")]}
        )
    if reason and len(reason) > MAX_REASON:
        raise ValidationFailed(
            _l("The reason is too long."), fields={"reason": [_l("At most %(n)s characters.", n=MAX_REASON)]}
        )
    return reason


def _effective(certificate: Certificate, action: Action, effective_date: date | None) -> date:
    today = zone_today()
    if action is Action.EXPIRE:
        return certificate.expired_on()
    effective = effective_date or today
    if effective > today or effective < certificate.valid_from:
        raise ValidationFailed(
            _l("The effective date must be between the start of validity and today."),
            fields={
                "effective_date": [
                    _l(
                        "Choose a date from %(start)s to %(today)s.",
                        start=certificate.valid_from.isoformat(),
                        today=today.isoformat(),
                    )
                ]
            },
        )
    return effective


def check_transition(certificate: Certificate, action: Action, actor: User | None) -> S:
    """The status ``action`` leads to from the certificate's; Conflict (409) when the table does not allow
    it now, Forbidden (403) when ``actor``'s role may not take it."""
    current = S(certificate.status)
    transition = TRANSITIONS.get((current, action))
    if transition is None:
        raise Conflict(
            _l(
                "“%(action)s” is not possible while the certificate is “%(status)s”.",
                action=ACTION_LABELS[action],
                status=STATUS_LABELS[current],
            ),
            code="illegal_transition",
            details={"status": current.value, "action": action.value},
        )
    target, roles = transition
    system_only = not roles  # the expiry command, which acts without a user
    allowed = actor is None if system_only else (actor is not None and actor.role in roles)
    if not allowed:
        raise Forbidden(_l("Your role cannot perform “%(action)s”.", action=ACTION_LABELS[action]))
    return target


def apply_action(
    certificate: Certificate,
    action: Action | str,
    actor: User | None,
    *,
    reason: str | None = None,
    effective_date: date | None = None,
    notify: bool = True,
    details: dict | None = None,
) -> CertificateEvent:
    """Move the certificate along the transition table, or raise Conflict / Forbidden / ValidationFailed.

    ``actor`` is ``None`` only for the system (the expiry command).
    """
    action = Action(action)
    current = S(certificate.status)
    target = check_transition(certificate, action, actor)
    reason = clean_reason(action, reason)
    effective = _effective(certificate, action, effective_date)

    certificate.status = target
    certificate.status_changed_at = utcnow()
    if action is Action.SUSPEND:
        certificate.suspended_on, certificate.suspended_reason = effective, reason
    elif action is Action.REINSTATE:
        certificate.suspended_on, certificate.suspended_reason = None, None
    elif action is Action.REVOKE:
        certificate.revoked_at, certificate.revoked_reason = effective, reason
    event = add_event(
        certificate, action, actor, from_status=current, reason=reason, effective_date=effective, details=details
    )
    record(
        f"certificate.{action.value}",
        certificate,
        actor=actor,
        actor_label=None if actor else "system",
        details={
            "serial": certificate.serial,
            "from": current.value,
            "to": target.value,
            "reason": reason,
            "effective_date": effective,
            **(details or {}),
        },
    )
    # The authorities learn of every change, in this transaction (the company's mail is optional, this is not).
    emit_certificate_event(certificate, action, reason=reason, effective_from=effective)
    if notify and action in MAIL_TEMPLATES:
        notify_company(certificate, MAIL_TEMPLATES[action], reason=reason, effective_date=effective)
    db.session.flush()
    return event


def expire_due(today: date | None = None) -> list[str]:
    """Mark every live certificate whose validity ended before ``today`` as expired; returns their serials."""
    today = today or zone_today()
    due = db.session.scalars(
        select(Certificate)
        .where(Certificate.status.in_([s.value for s in LIVE_STATUSES]), Certificate.valid_until < today)
        .order_by(Certificate.id)
        .with_for_update()
    ).all()
    for certificate in due:
        apply_action(certificate, Action.EXPIRE, None)
    return [certificate.serial for certificate in due]


def expire_and_commit(today: date | None = None) -> list[str]:
    """The daily expiry as a unit of work of its own (the command and the worker): expire, commit."""
    with unit_of_work():
        serials = expire_due(today)
        db.session.commit()
    return serials
