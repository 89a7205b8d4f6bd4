"""Reads of cooperation: residency, a company's offers, needs and requests, staff lists."""

from __future__ import annotations

from sqlalchemy import or_, select

from zone.certificates.models import LIVE_STATUSES, Certificate
from zone.cooperation.models import ContactRequest, Need, Offer
from zone.extensions import db

LIVE = [status.value for status in LIVE_STATUSES]


def resident_side(company_id: int | None) -> str | None:
    """The side of the company's live certificate; None when it is not a resident."""
    if company_id is None:
        return None
    return db.session.scalar(select(Certificate.side).where(Certificate.company_id == company_id,
                                                            Certificate.status.in_(LIVE)).limit(1))


def live_certificate_of(company_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.company_id == company_id,
                                                       Certificate.status.in_(LIVE))
                             .order_by(Certificate.id.desc()).limit(1))


def offers_of(company_id: int, *, active_only: bool = True) -> list[Offer]:
    stmt = select(Offer).where(Offer.company_id == company_id)
    if active_only:
        stmt = stmt.where(Offer.active.is_(True))
    return list(db.session.scalars(stmt.order_by(Offer.id)))


def needs_of(company_id: int, *, active_only: bool = True) -> list[Need]:
    stmt = select(Need).where(Need.company_id == company_id)
    if active_only:
        stmt = stmt.where(Need.active.is_(True))
    return list(db.session.scalars(stmt.order_by(Need.id)))


def offer(offer_id: int) -> Offer | None:
    return db.session.get(Offer, offer_id)


def need(need_id: int) -> Need | None:
    return db.session.get(Need, need_id)


def request(request_id: int) -> ContactRequest | None:
    return db.session.get(ContactRequest, request_id)


def requests_of(company_id: int, limit: int = 200) -> list[ContactRequest]:
    """The company's requests, sent and received, newest first."""
    return list(db.session.scalars(
        select(ContactRequest).where(or_(ContactRequest.sender_company_id == company_id,
                                         ContactRequest.recipient_company_id == company_id))
        .order_by(ContactRequest.id.desc()).limit(limit)))


def all_requests(*, state: str | None = None, limit: int = 100, after_id: int | None = None) -> list[ContactRequest]:
    """Every request for staff, by id descending (``after_id``: the page after that id)."""
    stmt = select(ContactRequest)
    if state:
        stmt = stmt.where(ContactRequest.state == state)
    if after_id:
        stmt = stmt.where(ContactRequest.id < after_id)
    return list(db.session.scalars(stmt.order_by(ContactRequest.id.desc()).limit(limit)))
