"""Claims on a tax id. A registration claims its company's (country, tax id); it does not own it.

Anyone may register any tax id, so a first registration must never lock the real company out: a second
claim is accepted like the first, and while more than one claim on a tax id is open the tax id is
*disputed*. Staff see it (the administrators' list, the review page); the registrants are told nothing.
No application of a closed claim can be approved, nor of a disputed one unless it alone is proven by the
company's qualified e-signature (:mod:`zone.companies.proofs`). An undisputed claim is verified by the
review's document checks (registration certificate, director's ID) and, where the company gave it, that
proof.

An administrator resolves a dispute by closing claims, each decision audited and kept as a
``ClaimResolution``:

* merge: the claim is the same company as another one: its people, applications and certificates join
  the other claim;
* transfer: its records belong to the other claimant: its applications and certificates go there, and
  its own people lose access;
* disable: the claim is false: its people lose access, its records stay with it and are never approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from zone.audit.services import record
from zone.companies.models import CLAIM_ACTIONS, ClaimStatus, Company
from zone.companies.proofs import proof_of
from zone.companies.records import ClaimResolution, Invitation
from zone.database import get_for_update, utcnow
from zone.errors import Conflict, ValidationFailed
from zone.extensions import db
from zone.web.text import normalise_newlines

REASON_MAX = 1000
_ID_MAX = 2**31 - 1  # larger numbers name no row (and PostgreSQL would refuse to compare them)


STATUS_LABELS = {
    ClaimStatus.OPEN: _l("Open claim"),
    ClaimStatus.MERGED: _l("Merged"),
    ClaimStatus.TRANSFERRED: _l("Records transferred"),
    ClaimStatus.DISABLED: _l("Claim disabled"),
}
ACTION_LABELS = {
    "merge": _l("Merged into"),
    "transfer": _l("Records transferred to"),
    "disable": _l("Claim disabled"),
}


@dataclass
class Dispute:
    registration_country: str
    tax_id: str
    claims: list[Company]


def _same_tax_id(company: Company):
    return (Company.registration_country == company.registration_country) & (Company.tax_id == company.tax_id)


def rivals(company: Company) -> list[Company]:
    """The other open claims on the company's tax id."""
    return list(db.session.scalars(select(Company).where(
        _same_tax_id(company), Company.claim_status == ClaimStatus.OPEN, Company.id != company.id)
        .order_by(Company.id)))


def is_disputed(company: Company) -> bool:
    return company.claim_status == ClaimStatus.OPEN and bool(rivals(company))


def approval_refusal(company: Company) -> tuple[str, Any] | None:
    """Why no application of ``company`` may be approved now: ``(code, message)``, or None."""
    if company.claim_status != ClaimStatus.OPEN:
        return "claim_closed", _l("An administrator has closed this company's claim on its tax id, so its "
                                  "applications cannot be approved.")
    others = rivals(company)
    if others and proof_of(company) is not None and not any(proof_of(other) is not None for other in others):
        return None  # only this claim is proven by the company's qualified e-signature
    if others:
        return "claim_disputed", _l("Another registration claims the same tax id. An administrator must resolve "
                                    "the dispute before this application can be approved.")
    return None


def note_claim(company: Company, actor) -> None:
    """After a company claimed a tax id (registration, a corrected tax id): flag a dispute to staff."""
    others = rivals(company)
    if others:
        record("company.claim_disputed", company, actor=actor,
               details={"registration_country": company.registration_country, "tax_id": company.tax_id,
                        "claims": [other.id for other in others]})


def disputes(limit: int = 200) -> list[Dispute]:
    """The disputed tax ids, oldest dispute first, each with its open claims."""
    keys = db.session.execute(
        select(Company.registration_country, Company.tax_id)
        .where(Company.claim_status == ClaimStatus.OPEN)
        .group_by(Company.registration_country, Company.tax_id)
        .having(func.count() > 1)
        .order_by(func.max(Company.id))
        .limit(limit)).all()
    found = []
    for country, tax_id in keys:
        claims = list(db.session.scalars(select(Company).where(
            Company.registration_country == country, Company.tax_id == tax_id,
            Company.claim_status == ClaimStatus.OPEN).order_by(Company.id)))
        found.append(Dispute(country, tax_id, claims))
    return found


def claims_of(company: Company) -> list[Company]:
    """Every claim on the company's tax id, open or closed, oldest first."""
    return list(db.session.scalars(select(Company).where(_same_tax_id(company)).order_by(Company.id)))


def records_of(company: Company) -> dict[str, list]:
    """The company's applications and certificate serials, as an administrator weighs a claim."""
    from zone.applications.models import Application
    from zone.certificates.models import Certificate

    return {
        "applications": list(db.session.scalars(select(Application).where(Application.company_id == company.id)
                                                .order_by(Application.id))),
        "certificates": list(db.session.scalars(select(Certificate.serial).where(Certificate.company_id == company.id)
                                                .order_by(Certificate.id))),
    }


def resolutions_of(companies: list[Company]) -> list[ClaimResolution]:
    ids = [c.id for c in companies]
    return list(db.session.scalars(select(ClaimResolution).where(ClaimResolution.company_id.in_(ids))
                                   .order_by(ClaimResolution.id.desc())))


def recent_resolutions(limit: int = 20) -> list[ClaimResolution]:
    return list(db.session.scalars(select(ClaimResolution).order_by(ClaimResolution.id.desc()).limit(limit)))


# --- resolving ------------------------------------------------------------------------------------------

def _target_id(value: Any) -> int | None:
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    return int(text) if text.isdigit() and int(text) <= _ID_MAX else None


def _clean(action: Any, target: Any, reason: Any) -> tuple[str, int | None, str]:
    fields: dict[str, list] = {}
    action = action if isinstance(action, str) else ""
    if action not in CLAIM_ACTIONS:
        fields["action"] = [_l("Choose what to do with this claim.")]
    target_id = _target_id(target)
    if action in ("merge", "transfer") and target_id is None:
        fields["target"] = [_l("Choose the claim that receives the records.")]
    reason = normalise_newlines(reason).strip() if isinstance(reason, str) else ""
    if not reason:
        fields["reason"] = [_l("Give the reason: it is kept in the audit trail.")]
    elif len(reason) > REASON_MAX:
        fields["reason"] = [_l("Use at most %(n)s characters.", n=REASON_MAX)]
    if fields:
        raise ValidationFailed(_l("Some values are not valid."), fields=fields)
    return action, (target_id if action != "disable" else None), reason


def _lock_open_pair(company_id: int, target_id: int | None) -> tuple[Company, Company | None]:
    """Lock both claims in id order (two administrators deciding crosswise cannot deadlock)."""
    locked = {ident: get_for_update(Company, ident) for ident in sorted({company_id, target_id} - {None})}
    company, target = locked[company_id], locked.get(target_id) if target_id is not None else None
    if company is None:
        raise Conflict(_l("This company no longer exists."), code="not_found")
    if company.claim_status != ClaimStatus.OPEN:
        raise Conflict(_l("This claim was already resolved."), code="claim_closed")
    if target_id is not None and (target is None or target.id == company.id or target.claim_status != ClaimStatus.OPEN
                                  or (target.registration_country, target.tax_id)
                                  != (company.registration_country, company.tax_id)):
        message = _l("Choose another open claim on the same tax id.")
        raise ValidationFailed(message, fields={"target": [message]})
    return company, target


def _move(model, company: Company, target: Company) -> list[int]:
    ids = list(db.session.scalars(select(model.id).where(model.company_id == company.id).order_by(model.id)))
    if ids:
        db.session.execute(update(model).where(model.id.in_(ids)).values(company_id=target.id)
                           .execution_options(synchronize_session=False))
    return ids


def _revoke_pending_invitations(company: Company, actor) -> list[int]:
    now = utcnow()
    revoked = []
    for invitation in db.session.scalars(select(Invitation).where(Invitation.company_id == company.id)):
        if invitation.status(now) == "pending":
            invitation.revoked_at, invitation.revoked_by_id = now, actor.id
            revoked.append(invitation.id)
    return revoked


def _disable_people(company: Company, actor) -> list[int]:
    from zone.accounts.models import User
    from zone.accounts.services import set_active

    people = [user for user in db.session.scalars(select(User).where(User.company_id == company.id)
                                                   .order_by(User.id)) if user.active]
    for user in people:
        set_active(user, False, actor)  # audited per account; ends its sessions and API tokens
    return [user.id for user in people]


def resolve(company_id: int, actor, *, action: Any, target: Any = None, reason: Any = None) -> ClaimResolution:
    """Close the claim ``company_id`` by ``action`` (merge | transfer | disable), with ``target`` (another
    open claim on the same tax id) for merge and transfer, and a reason. Raises ValidationFailed (422) or
    Conflict (409: the claim is closed already)."""
    from zone.accounts.models import User
    from zone.applications.models import Application
    from zone.certificates.models import Certificate

    action, target_id, reason = _clean(action, target, reason)
    company, target_company = _lock_open_pair(company_id, target_id)
    details: dict[str, Any] = {"registration_country": company.registration_country, "tax_id": company.tax_id,
                               "target_id": target_id, "reason": reason,
                               "invitations_revoked": _revoke_pending_invitations(company, actor)}
    if action == "merge":
        details["users"] = _move(User, company, target_company)
    else:
        details["users_disabled"] = _disable_people(company, actor)
    if action in ("merge", "transfer"):
        details["applications"] = _move(Application, company, target_company)
        details["certificates"] = _move(Certificate, company, target_company)
    company.claim_status = CLAIM_ACTIONS[action]
    company.updated_at = utcnow()
    resolution = ClaimResolution(company_id=company.id, target_id=target_id, action=action, reason=reason,
                                 actor_id=actor.id)
    db.session.add(resolution)
    db.session.flush()
    record(f"company.claim_{action}", company, actor=actor, details={**details, "resolution_id": resolution.id})
    return resolution
