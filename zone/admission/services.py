"""Admission: everything an approval sets in motion, in order, in the approval's transaction.

A reader sees the whole admission here: the residency certificate, the activity agreement signed by the
zone, then the lease of the site the approver chose. Each step raises on failure, so a failure fails the
approval and nothing is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zone.accounts.models import User
from zone.agreements.models import Agreement
from zone.agreements.services import create_agreement
from zone.applications.models import Application
from zone.certificates.models import Certificate
from zone.certificates.notices import emit_certificate_event
from zone.certificates.services import issue_certificate, live_certificate
from zone.cooperation.services import publish_offers
from zone.sites.models import Lease
from zone.sites.services import lease_site


@dataclass(frozen=True)
class Decision:
    """The approver's decision: when it was taken, the benefits granted and the site leased (a code, or None)."""

    decided_at: datetime
    granted_benefits: Any
    site: str | None = None


@dataclass(frozen=True)
class Admission:
    certificate: Certificate
    agreement: Agreement
    lease: Lease | None = None


def admit(application: Application, decision: Decision, actor: User) -> Admission:
    """Admit the approved ``application``: issue its certificate, make its activity agreement, lease the site
    the approver chose (409 naming it when it is not free or of the other side), then tell the tax and customs
    services of the inclusion (``certificate.issued``, naming the agreement), and offer the planned products to
    residents of the other side (cooperation)."""
    new = live_certificate(application.id) is None
    certificate = issue_certificate(application, granted_benefits=decision.granted_benefits,
                                    decided_at=decision.decided_at, actor=actor)
    agreement = create_agreement(application, certificate, actor=actor)
    lease = None
    if decision.site is not None:
        lease = lease_site(application, decision.site, granted_benefits=decision.granted_benefits,
                           decided_on=certificate.valid_from, certificate_serial=certificate.serial, actor=actor)
    if new:
        emit_certificate_event(certificate, "issue", reason=None, effective_from=certificate.valid_from,
                               agreement=agreement.number)
    publish_offers(application, certificate)
    return Admission(certificate=certificate, agreement=agreement, lease=lease)
