"""How a certificate is shown: JSON for the API, plain-word status for people, labels for pages.

``public_view`` is the only shape the public gets (verification pages, their JSON twins and the
register): company name and tax id, side, sector, validity, benefits, fingerprint and status. Never
the address, the reasons, the application or the verify token.
"""

from __future__ import annotations

from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _

from zone.api.common import actor_name, iso
from zone.certificates.benefits import benefit_name
from zone.certificates.document import public_verify_url
from zone.certificates.models import Certificate
from zone.certificates.models import CertificateStatus as S
from zone.certificates.periods import benefits_half_open, ends_on
from zone.certificates.workflow import STATUS_LABELS
from zone.vocabulary import SECTOR_LABELS, SIDE_LABELS
from zone.web.formatting import fmt_date


def locale() -> str:
    return str(get_locale() or "ru")


def cert_date(value) -> str:
    """A date as the certificate prints it (DD.MM.YYYY), so the page and the paper read alike."""
    return fmt_date(value, "dd.MM.yyyy")


def status_label(status: str) -> str:
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def side_label(side: str | None) -> str:
    label = SIDE_LABELS.get(side or "")
    return str(label) if label is not None else (side or "—")


def sector_label(sector: str | None) -> str:
    label = SECTOR_LABELS.get(sector or "")
    return str(label) if label is not None else (sector or "—")


def status_changed_on(certificate: Certificate) -> date | None:
    """The day the current status took effect (for the plain-word status)."""
    status = certificate.status
    if status == S.SUSPENDED:
        return certificate.suspended_on
    if status == S.REVOKED:
        return certificate.revoked_at
    if status == S.SUPERSEDED and certificate.superseded_by is not None:
        return certificate.superseded_by.valid_from
    return None


def status_sentence(certificate: Certificate, today: date) -> str:
    """The status in plain words, as the verification page says it."""
    status = certificate.status_on(today)
    if status == S.ACTIVE:
        return _("Valid. The certificate is in force until %(date)s.", date=cert_date(certificate.valid_until))
    if status == S.SUSPENDED:
        return _(
            "Suspended since %(date)s. The benefits cannot be used until the certificate is reinstated.",
            date=cert_date(certificate.suspended_on),
        )
    if status == S.REVOKED:
        return _(
            "Revoked with effect from %(date)s. The certificate and its benefits are no longer valid.",
            date=cert_date(certificate.revoked_at),
        )
    if status == S.SUPERSEDED:
        newer = certificate.superseded_by
        return _(
            "Superseded on %(date)s by certificate %(serial)s. Only the new certificate is valid.",
            date=cert_date(status_changed_on(certificate)),
            serial=newer.serial if newer else "—",
        )
    return _("Expired. The certificate was valid until %(date)s.", date=cert_date(certificate.valid_until))


def benefits_view(certificate: Certificate) -> list[dict]:
    """Benefits with their name in the reader's language and their periods, half-open ``[from, until)``."""
    loc = locale()
    return [
        {"code": b["code"], "name": benefit_name(b, loc), "periods": b["periods"]}
        for b in benefits_half_open(certificate.benefits)
    ]


def proposal_benefits_view(proposal) -> list[dict]:
    """A reissue proposal's benefits as :func:`benefits_view` shows a certificate's."""
    loc = locale()
    return [{"code": b["code"], "name": benefit_name(b, loc), "periods": [dict(p) for p in b.get("periods") or ()]}
            for b in proposal.benefits]


def public_view(certificate: Certificate, today: date) -> dict:
    """What anyone may know about a certificate (API.md ``/verify`` shape plus a few public extras)."""
    status = certificate.status_on(today)
    newer = certificate.superseded_by if certificate.status == S.SUPERSEDED else None
    return {
        "serial": certificate.serial,
        "status": str(status),
        "status_text": status_sentence(certificate, today),
        "status_since": iso(status_changed_on(certificate) if status != S.EXPIRED else certificate.expired_on()),
        "superseded_by": newer.serial if newer else None,
        "company": {"name": certificate.company_name, "tax_id": certificate.company_tax_id},
        "side": certificate.side,
        "sector": certificate.sector,
        "issued_at": iso(certificate.issued_at),
        "valid_from": iso(certificate.valid_from),
        "valid_until": iso(ends_on(certificate.valid_until)),  # half-open, as every until in the API
        "benefits": benefits_view(certificate),
        "sha256": certificate.sha256,
    }


def certificate_json(certificate: Certificate, today: date) -> dict:
    """The API.md ``/certificates/{serial}`` shape for staff, auditors and the owning company."""
    return {
        **public_view(certificate, today),
        "stored_status": certificate.status,
        "application_id": certificate.application_id,
        "company": {
            "id": certificate.company_id,
            "name": certificate.company_name,
            "tax_id": certificate.company_tax_id,
        },
        "activity_codes": list(certificate.activity_codes or ()),
        "size": certificate.size,
        "verify_url": public_verify_url(certificate),
        "supersedes": certificate.supersedes.serial if certificate.supersedes else None,
        "suspended_on": iso(certificate.suspended_on),
        "suspended_reason": certificate.suspended_reason,
        "revoked_at": iso(certificate.revoked_at),
        "revoked_reason": certificate.revoked_reason,
        # Staff see the stored benefit: names in every language, rule reference and legal basis too.
        "benefits": [
            {**b, "name": benefit_name(b, locale()), "names": b.get("name")}
            for b in benefits_half_open(certificate.benefits)
        ],
    }


def event_json(event, viewer) -> dict:
    """One line of the certificate's history; the company reads the zone's staff as the ICIC administration."""
    return {
        "action": event.action,
        "from": event.from_status,
        "to": event.to_status,
        "at": iso(event.at),
        "by": actor_name(event.actor, viewer) or "system",
        "reason": event.reason,
        "effective_date": iso(event.effective_date),
    }


def _person(user) -> dict | None:
    return {"id": user.id, "name": user.display_name} if user is not None else None


def proposal_json(proposal) -> dict:
    """A reissue proposal as staff see it: what would be signed, on which basis, who proposed and decided."""
    return {
        "id": proposal.id,
        "status": proposal.status,
        "basis": proposal.basis,
        "reason": proposal.reason,
        "rule_set": proposal.snapshot.rule_set_version,
        "on_date": iso(proposal.snapshot.on_date),
        "benefits": [{**b, "name": benefit_name(b, locale()), "names": b.get("name")} for b in proposal.benefits],
        "valid_until": iso(proposal.valid_until),
        "proposed_by": _person(proposal.proposed_by),
        "proposed_at": iso(proposal.proposed_at),
        "decided_by": _person(proposal.decided_by),
        "decided_at": iso(proposal.decided_at),
        "decision_reason": proposal.decision_reason,
        "replacement": proposal.replacement.serial if proposal.replacement is not None else None,
    }
