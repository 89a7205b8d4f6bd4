"""Demo agreements: the approved demo applications already have theirs (admission makes them); the
Kazakh company countersigns its own with a demo identity of the development national CA, so the demo
shows one concluded agreement and one awaiting the company's signature."""

from __future__ import annotations

from sqlalchemy import select

from zone.accounts.models import User
from zone.agreements import queries, services
from zone.agreements.models import Agreement, AgreementStatus
from zone.companies.models import Company
from zone.esign.identities import issue_demo_identity, sign_with_identity
from zone.extensions import db


def seed_agreements(company: Company, signer: User) -> None:
    """Countersign ``company``'s awaiting agreement as ``signer`` (once; nothing to do afterwards)."""
    agreement = db.session.scalars(select(Agreement).where(
        Agreement.company_id == company.id, Agreement.status == AgreementStatus.AWAITING_COMPANY_SIGNATURE)).first()
    if agreement is None:
        return
    agreement = queries.for_update(agreement.number)
    signed = sign_with_identity(queries.revision(agreement).zone_pdf, issue_demo_identity(company.tax_id,
                                                                                        name=company.name_en))
    services.countersign(agreement, signer, signed)
