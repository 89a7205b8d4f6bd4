"""What the authorities are told about a certificate: the data of its events (``zone.events``).

One builder for every certificate event, so the tax and customs services always get the same shape:
serial, side, status, company (name, tax id), agreement (number), benefits with half-open periods, the
reason and the date the change takes effect.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from zone.certificates.models import Certificate
from zone.certificates.periods import benefits_half_open
from zone.events.services import emit
from zone.extensions import db

CERTIFICATE_EVENTS = {
    "issue": "certificate.issued",
    "suspend": "certificate.suspended",
    "reinstate": "certificate.reinstated",
    "revoke": "certificate.revoked",
    "expire": "certificate.expired",
    "supersede": "certificate.superseded",
}


def agreement_number(certificate: Certificate) -> str | None:
    """The number of the agreement made with this certificate, if any.

    Agreements sit above certificates (they are made from one), so the table is read by name rather than
    by importing its model, which would turn the floors upside down.
    """
    agreements = db.metadata.tables.get("agreements")
    if agreements is None:
        return None
    return db.session.scalar(select(agreements.c.number).where(agreements.c.application_id ==
                                                                certificate.application_id))


def event_data(certificate: Certificate, *, reason: str | None, effective_from: date | None,
               agreement: str | None = None, **extra) -> dict:
    """The ``data`` of a certificate event as of now (status, company and benefits as signed)."""
    return {
        "serial": certificate.serial,
        "side": certificate.side,
        "status": str(certificate.status),
        "company": {"name": certificate.company_name, "tax_id": certificate.company_tax_id},
        "agreement": {"number": agreement if agreement is not None else agreement_number(certificate)},
        "benefits": [
            {"code": b.get("code"), "legal_basis": b.get("legal_basis"),
             "periods": [dict(p) for p in b.get("periods") or ()]}
            for b in benefits_half_open(certificate.benefits)
        ],
        "valid_from": certificate.valid_from.isoformat(),
        "reason": reason,
        "effective_from": effective_from.isoformat() if effective_from else None,
        **extra,
    }


def emit_certificate_event(certificate: Certificate, action: str, *, reason: str | None,
                           effective_from: date | None, agreement: str | None = None, **extra) -> None:
    """Write the event of ``action`` (``issue``, ``suspend``, … ``supersede``) in the current transaction."""
    emit(CERTIFICATE_EVENTS[str(action)],
         event_data(certificate, reason=reason, effective_from=effective_from, agreement=agreement, **extra))
