"""A company registers: the company and its first user (an applicant) in one step, through the page or
the API. The registration claims the company's tax id (:mod:`zone.companies.claims`): a second claim on
it is accepted and flagged to staff, never refused."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from zone.accounts.models import User
from zone.accounts.passwords import hash_password, password_problem
from zone.accounts.roles import Role
from zone.accounts.services import add_user, email_problem, find_user_by_email, normalise_email
from zone.audit.services import record
from zone.companies import claims
from zone.companies.models import Company
from zone.companies.taxid import normalise_tax_id, tax_id_error
from zone.errors import Conflict, ValidationFailed
from zone.extensions import db
from zone.vocabulary import is_country


def _email_taken() -> Conflict:
    """The API promises 409 for an email in use; the page says the same and points to sign-in and reset.
    Nothing is said of the tax id: a registration claims it, and a second claim is accepted."""
    message = _l("An account with this email already exists. Sign in or reset the password.")
    return Conflict(message, code="email_taken", fields={"email": [message]})


def _check_email_free(email: str) -> None:
    if find_user_by_email(email) is not None:
        raise _email_taken()


def validate_registration(email: str, password: str, name: str, tax_id: str, country: str) -> dict:
    fields: dict[str, list] = {}
    if problem := email_problem(email):
        fields["email"] = [problem]
    if problem := password_problem(password, email):
        fields["password"] = [problem]
    if not name.strip():
        fields["company.name"] = [_l("Enter the company's legal name.")]
    elif len(name) > 300:
        fields["company.name"] = [_l("Use at most %(n)s characters.", n=300)]
    if not is_country(country):
        fields["company.registration_country"] = [_l("Choose the country where the company is registered.")]
    elif problem := tax_id_error(country, tax_id):
        fields["company.tax_id"] = [problem]
    return fields


def register_company(*, email: str, password: str, company_name: str, tax_id: str, country: str,
                     full_name: str | None = None, locale: str = "ru") -> User:
    """Create a company and its first user (an applicant). Raises ValidationFailed, or Conflict when the
    email is in use. The company claims its tax id: another claim on it is flagged to staff, not refused."""
    email = normalise_email(email)
    tax_id = normalise_tax_id(tax_id)
    country = (country or "").strip().upper()
    company_name = (company_name or "").strip()
    fields = validate_registration(email, password, company_name, tax_id, country)
    if fields:
        raise ValidationFailed(_l("Some values are not valid."), fields=fields)
    _check_email_free(email)
    company = Company(name=company_name, registration_country=country, tax_id=tax_id, email=email,
                      is_legal_entity=True)
    db.session.add(company)
    db.session.flush()
    user = User(email=email, password_hash=hash_password(password), role=Role.APPLICANT, company_id=company.id,
                full_name=(full_name or "").strip() or None, locale=locale)
    add_user(user, _email_taken())
    record("company.register", company, actor=user, details={"name": company_name, "tax_id": tax_id,
                                                              "country": country})
    record("user.create", user, actor=user, details={"email": email, "role": Role.APPLICANT})
    claims.note_claim(company, actor=user)
    return user
