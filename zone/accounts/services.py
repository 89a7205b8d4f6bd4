"""Every state change of accounts: registration, sign-in, passwords, staff accounts, API tokens.

Services add and flush; the caller (route or command) commits. Each change is audited.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from zone.accounts.models import ApiToken, User, new_session_nonce
from zone.accounts.passwords import dummy_verify, hash_password, needs_rehash, password_problem, verify_password
from zone.accounts.roles import OUTSIDE_ROLES, Role
from zone.audit.services import record
from zone.database import utcnow
from zone.errors import Conflict, ValidationFailed
from zone.extensions import db
from zone.mail.services import queue_mail
from zone.vocabulary import SIDES

RESET_SALT = "zone.password-reset"


def normalise_email(value: str | None) -> str:
    return (value or "").strip().lower()


def email_problem(email: str) -> str | None:
    if not email:
        return _l("Enter your email address.")
    if len(email) > 254:
        return _l("The email address is too long.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return _l("Enter a valid email address, like name@company.kz.")
    return None


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The user when the credentials are right and the account active; audits success and failure."""
    email = normalise_email(email)
    user = find_user_by_email(email) if email else None
    if user is None:
        dummy_verify(password or "")
        record("auth.login_failed", actor_label=email[:254] or "?", details={"reason": "unknown_email"})
        return None
    if not verify_password(user.password_hash, password or ""):
        record("auth.login_failed", user, actor_label=user.email, details={"reason": "bad_password"})
        return None
    if not user.active:
        record("auth.login_failed", user, actor_label=user.email, details={"reason": "disabled"})
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    record("auth.login", user, actor=user)
    return user


def sign_out(user: User) -> None:
    """End every session of ``user``: a copied session cookie dies with the one signing out.

    The same mechanism as a password change (the session nonce), so API tokens end too. The audit
    entry is written by the audit domain, which sees every sign-out.
    """
    user.session_nonce = new_session_nonce()


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password or ""):
        raise ValidationFailed(_l("The current password is not right."),
                               fields={"current_password": [_l("The current password is not right.")]})
    if problem := password_problem(new_password, user.email):
        raise ValidationFailed(problem, fields={"new_password": [problem]})
    _set_password(user, new_password)
    record("user.password_change", user, actor=user)


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.session_nonce = new_session_nonce()  # every other session and API token dies


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def password_reset_token(user: User) -> str:
    # Bound to the session nonce: the token stops working once the password changes (single use).
    return _serializer().dumps({"uid": user.id, "nonce": user.session_nonce})


def request_password_reset(email: str, *, kind: str = "password_reset") -> None:
    """Email a reset link if the account exists; say nothing either way (no account discovery)."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    queue_mail(user.email, f"accounts/mail/{kind}.txt", locale=user.locale, user=user, token=password_reset_token(user),
               max_age_minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60)
    record("user.password_reset_requested", user, actor=user)


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or user.session_nonce != data.get("nonce"):
        return None
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    if user is None:
        raise ValidationFailed(_l("This link has expired or was already used. Ask for a new one."),
                               code="bad_token")
    if problem := password_problem(new_password, user.email):
        raise ValidationFailed(problem, fields={"password": [problem]})
    _set_password(user, new_password)
    record("user.password_reset", user, actor=user)
    return user


def add_user(user: User, taken: Conflict) -> None:
    """Insert ``user``. Each caller checks the email first; two requests with one email can both pass that
    check, and then the unique key refuses the second insert: that becomes ``taken`` (409 with the same
    message as the check), not a server error, and the transaction stays usable for the rollback."""
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        if find_user_by_email(user.email) is None:
            raise
        raise taken from None


def create_user(*, email: str, role: str, actor: User | None, password: str | None = None,
                full_name: str | None = None, company_id: int | None = None, side: str | None = None,
                locale: str = "ru") -> User:
    """Create an account (staff or an authority by an admin or the CLI). An authority (a tax or customs
    service) names its ``side``; nobody else has one. Without a password, a set-password link is mailed."""
    email = normalise_email(email)
    side = (side or "").strip().upper() or None
    fields: dict[str, list] = {}
    if problem := email_problem(email):
        fields["email"] = [problem]
    try:
        role = Role(role)
    except ValueError:
        fields["role"] = [_l("Choose a role.")]
    if password is not None and (problem := password_problem(password, email)):
        fields["password"] = [problem]
    if role == Role.APPLICANT and company_id is None:
        fields["company_id"] = [_l("An applicant belongs to a company.")]
    if role == Role.AUTHORITY and side not in SIDES:
        fields["side"] = [_l("Choose the side (KZ or UZ) whose tax or customs service this account serves.")]
    elif role != Role.AUTHORITY and side is not None:
        fields["side"] = [_l("Only an authority's account has a side.")]
    if fields:
        raise ValidationFailed(_l("Some values are not valid."), fields=fields)
    taken = Conflict(_l("An account with this email already exists."), code="email_taken",
                     fields={"email": [_l("This email is already registered.")]})
    if find_user_by_email(email) is not None:
        raise taken
    user = User(email=email, role=role, full_name=(full_name or "").strip() or None,
                company_id=company_id if role == Role.APPLICANT else None, side=side, locale=locale,
                password_hash=hash_password(password or secrets.token_urlsafe(32)))
    add_user(user, taken)
    record("user.create", user, actor=actor, details={"email": email, "role": role, "side": side})
    if password is None:
        request_password_reset(email, kind="account_created")
    return user


def set_active(user: User, active: bool, actor: User) -> None:
    if user.id == actor.id and not active:
        raise Conflict(_l("You cannot disable your own account."))
    if user.active == active:
        return
    user.active = active
    if not active:
        user.session_nonce = new_session_nonce()  # signs the user out everywhere, revokes tokens
    record("user.enable" if active else "user.disable", user, actor=actor)


def change_role(user: User, role: str, actor: User) -> None:
    role = Role(role)
    if user.role == Role.APPLICANT or role == Role.APPLICANT:
        raise Conflict(_l("Company accounts and staff accounts cannot be converted into each other."))
    if (user.role in OUTSIDE_ROLES) != (role in OUTSIDE_ROLES):
        # An authority is an outside body with a side; make a new account rather than widen or narrow one.
        raise Conflict(_l("Authority accounts and staff accounts cannot be converted into each other."))
    if user.id == actor.id:
        raise Conflict(_l("You cannot change your own role."))
    if user.role == role:
        return
    old = user.role
    user.role = role
    user.session_nonce = new_session_nonce()
    record("user.role_change", user, actor=actor, details={"from": old, "to": role})


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_api_token(user: User) -> tuple[str, ApiToken]:
    token = secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=_token_hash(token), session_nonce=user.session_nonce,
                   expires_at=utcnow() + timedelta(hours=current_app.config["API_TOKEN_TTL_HOURS"]))
    db.session.add(row)
    db.session.flush()
    record("api_token.issue", row, actor=user)
    return token, row


def user_for_api_token(token: str) -> tuple[User, ApiToken] | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=utcnow().tzinfo)
    if expires <= utcnow():
        return None
    user = row.user
    if not user.active or user.session_nonce != row.session_nonce:
        return None
    return user, row


def revoke_api_token(row: ApiToken, actor: User) -> None:
    row.revoked_at = utcnow()
    record("api_token.revoke", row, actor=actor)
