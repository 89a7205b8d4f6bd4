"""Every change to a company: its profile, and colleagues invited to its account.

Services validate, change, audit and queue mail; they never read ``request`` and never commit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from zone.accounts.models import User
from zone.accounts.passwords import hash_password, password_problem
from zone.accounts.roles import Role
from zone.accounts.services import add_user, email_problem, find_user_by_email, normalise_email
from zone.audit.services import record
from zone.companies.models import Company
from zone.companies.records import Invitation
from zone.companies.taxid import normalise_tax_id, tax_id_error
from zone.database import utcnow
from zone.errors import Conflict, ValidationFailed
from zone.extensions import db
from zone.mail.services import queue_mail
from zone.vocabulary import is_country
from zone.web.text import normalise_newlines, text_problem

INVITATION_SALT = "zone.company-invitation"
DEFAULT_INVITATION_HOURS = 72
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{4,30}$")

#: Profile fields: (name, maximum length, required)
PROFILE_FIELDS = (
    ("name", 300, True),
    ("name_en", 300, False),
    ("legal_form", 100, False),
    ("registration_country", 2, True),
    ("tax_id", 20, True),
    ("address", 500, False),
    ("director_name", 200, False),
    ("contact_person", 200, False),
    ("phone", 50, False),
    ("email", 254, False),
)
IDENTITY_FIELDS = ("registration_country", "tax_id")
MULTI_LINE_PROFILE_FIELDS = ("address",)


def _text(value: Any) -> str:
    """Typed text without surrounding blanks, ``\n`` line breaks; anything that is not text (a file sent in
    a text field) counts as empty. Control characters are refused before (:func:`text_problem`)."""
    return normalise_newlines(value).strip() if isinstance(value, str) else ""


def has_submitted_application(company_id: int) -> bool:
    """True once the company has submitted any application: its identity is then fixed."""
    from zone.applications.models import Application

    return db.session.scalar(select(Application.id).where(Application.company_id == company_id,
                                                          Application.submitted_at.is_not(None)).limit(1)) is not None


def clean_profile(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    """Validate profile input (all fields): returns (values, errors by field)."""

    values: dict[str, Any] = {}
    errors: dict[str, list] = {}
    for name, max_length, required in PROFILE_FIELDS:
        if problem := text_problem(data.get(name), multiline=name in MULTI_LINE_PROFILE_FIELDS):
            errors[name] = [problem]
            values[name] = None
            continue
        value = _text(data.get(name))
        if name == "registration_country":
            value = value.upper()
        elif name == "tax_id":
            value = normalise_tax_id(value)
        elif name == "email":
            value = normalise_email(value)
        if required and not value:
            errors[name] = [_l("This field is required.")]
        elif len(value) > max_length:
            errors[name] = [_l("Use at most %(n)s characters.", n=max_length)]
        values[name] = value or None
    if "registration_country" not in errors and not is_country(values["registration_country"]):
        errors["registration_country"] = [_l("Choose the country where the company is registered.")]
    if "tax_id" not in errors and "registration_country" not in errors and (
            problem := tax_id_error(values["registration_country"], values["tax_id"] or "")):
        errors["tax_id"] = [problem]
    if values["phone"] and "phone" not in errors and not _PHONE.match(values["phone"]):
        errors["phone"] = [_l("Enter a phone number with the country code, like +7 725 331 00 00.")]
    if values["email"] and "email" not in errors and (problem := email_problem(values["email"])):
        errors["email"] = [problem]
    return values, errors


def update_profile(company: Company, actor: User, data: Mapping[str, Any]) -> dict[str, tuple]:
    """Change the company's profile. Returns the changes {field: (old, new)}.

    The registration country and the tax id cannot change once an application was submitted (the
    application, its decision and certificate name that legal entity): 409 with the field named. A tax id
    another company claims is accepted and flagged (see ``zone.companies.claims``).
    """
    values, errors = clean_profile(data)
    if errors:
        raise ValidationFailed(_l("Some values are not valid. Correct them and save again."), fields=errors)
    changes = {name: (getattr(company, name), value) for name, value in values.items()
               if getattr(company, name) != value}
    identity = [name for name in IDENTITY_FIELDS if name in changes]
    if identity and has_submitted_application(company.id):
        message = _l("The country of registration and the tax id cannot be changed after an application was "
                     "submitted. Write to the zone administration if they are wrong.")
        raise Conflict(message, code="identity_locked", fields={name: [message] for name in identity})
    for name, (_old, new) in changes.items():
        setattr(company, name, new)
    if changes:
        company.updated_at = utcnow()
        record("company.update", company, actor=actor,
               details={"changes": {name: {"from": old, "to": new} for name, (old, new) in changes.items()}})
    if identity:
        # The company now claims another tax id; another claim on it is a dispute for staff, not a refusal.
        from zone.companies.claims import note_claim

        db.session.flush()
        note_claim(company, actor)
    return changes


# --- members and invitations ---------------------------------------------------------------------

def members(company_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(User.company_id == company_id).order_by(User.id)))


def invitations(company_id: int, limit: int = 100) -> list[Invitation]:
    """The company's invitations, newest first."""
    return list(db.session.scalars(select(Invitation).where(Invitation.company_id == company_id)
                                   .order_by(Invitation.id.desc()).limit(limit)))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def invitation_hours() -> int:
    return int(current_app.config.get("INVITATION_MAX_AGE_HOURS", DEFAULT_INVITATION_HOURS))


def invitation_token(invitation: Invitation) -> str:
    return _serializer().dumps({"i": invitation.id, "n": invitation.nonce})


def invite_member(company: Company, actor: User, email: str) -> Invitation:
    """Invite a colleague by email to join the company's account (as an applicant). An earlier pending
    invitation to the same address is replaced. Raises ValidationFailed or Conflict (email in use)."""

    problem = text_problem(email)
    email = normalise_email(_text(email))
    if problem := problem or email_problem(email):
        raise ValidationFailed(problem, fields={"email": [problem]})
    if find_user_by_email(email) is not None:
        message = _l("This person already has an account. Each account belongs to one company.")
        raise Conflict(message, code="email_taken", fields={"email": [message]})
    now = utcnow()
    for old in db.session.scalars(select(Invitation).where(Invitation.company_id == company.id,
                                                           Invitation.email == email)):
        if old.status(now) == "pending":
            old.revoked_at, old.revoked_by_id = now, actor.id
    invitation = Invitation(company_id=company.id, email=email, invited_by_id=actor.id, created_at=now,
                            expires_at=now + timedelta(hours=invitation_hours()))
    db.session.add(invitation)
    db.session.flush()
    queue_mail(email, "companies/mail/invitation.txt", locale=actor.locale or "ru", company=company, inviter=actor,
               token=invitation_token(invitation), hours=invitation_hours())
    record("company.invite", invitation, actor=actor, details={"company_id": company.id, "email": email})
    return invitation


def revoke_invitation(invitation: Invitation, actor: User) -> None:
    """Withdraw a pending invitation: its link stops working."""
    if invitation.status(utcnow()) != "pending":
        raise Conflict(_l("This invitation is no longer pending."), code="not_pending")
    invitation.revoked_at, invitation.revoked_by_id = utcnow(), actor.id
    record("company.invitation_revoke", invitation, actor=actor,
           details={"company_id": invitation.company_id, "email": invitation.email})


def invitation_for_token(token: str) -> Invitation | None:
    """The pending invitation a link names, or None (bad signature, expired, used or revoked)."""
    try:
        data = _serializer().loads(token, max_age=invitation_hours() * 3600)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    invitation = db.session.get(Invitation, data["i"])
    if invitation is None or invitation.nonce != data.get("n") or invitation.status(utcnow()) != "pending":
        return None
    return invitation


def accept_invitation(token: str, *, full_name: str, password: str, locale: str = "ru") -> User:
    """Create the invitee's account in the company. Raises ValidationFailed (bad link, name, password)
    or Conflict (the email got an account meanwhile)."""

    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationFailed(_l("This invitation link has expired, was withdrawn or was already used. Ask your "
                                  "colleague for a new one."), code="bad_token")
    fields: dict[str, list] = {}
    problem = text_problem(full_name)
    full_name = _text(full_name)
    if problem:
        fields["full_name"] = [problem]
    elif not full_name:
        fields["full_name"] = [_l("Enter your full name.")]
    elif len(full_name) > 200:
        fields["full_name"] = [_l("Use at most %(n)s characters.", n=200)]
    if problem := password_problem(password if isinstance(password, str) else "", invitation.email):
        fields["password"] = [problem]
    if fields:
        raise ValidationFailed(_l("Some values are not valid."), fields=fields)
    taken = Conflict(_l("An account with this email already exists. Sign in or reset the password."),
                     code="email_taken")
    if find_user_by_email(invitation.email) is not None:
        raise taken
    user = User(email=invitation.email, role=Role.APPLICANT, company_id=invitation.company_id, full_name=full_name,
                password_hash=hash_password(password), locale=locale)
    add_user(user, taken)
    invitation.accepted_at, invitation.accepted_user_id = utcnow(), user.id
    record("user.create", user, actor=user, details={"email": user.email, "role": Role.APPLICANT,
                                                     "via": "invitation", "invitation_id": invitation.id})
    record("company.invitation_accept", invitation, actor=user,
           details={"company_id": invitation.company_id, "email": invitation.email})
    return user
