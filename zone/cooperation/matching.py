"""Partners across the border for a company's needs (buy) and products (sell), computed by the database.

A need and an offer match when they share the HS chapter (2 digits); the match is graded by the longest
shared prefix: the same subheading (6 digits) weighs 1.0, the same heading (4 digits) 0.6, the chapter
alone 0.3. Capacity fit is the share of the yearly volume the seller can make (1 when the capacity
covers it; 0.5 when the two are in different units and cannot be compared). The score is
``weight × (0.5 + 0.5 × fit)``, from 0.15 to 1. Only residents of the other side with a live
certificate are suggested.

Every match within the heading scores at least 0.3 and every match by the chapter alone at most 0.3, so the
database grades in two tiers: first the joins on the indexed heading column (few rows), then, only when
those give fewer than ``limit``, the chapter-only joins. Each tier grades and orders in SQL and returns at
most ``limit`` rows: no resident list is ever loaded into Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Float, and_, case, cast, exists, func, literal, select

from zone.certificates.models import Certificate
from zone.companies.models import Company
from zone.cooperation.models import Need, Offer
from zone.cooperation.queries import LIVE
from zone.extensions import db
from zone.vocabulary import SIDES

WEIGHTS = {6: 1.0, 4: 0.6, 2: 0.3}
MAX_MATCHES = 200


@dataclass(frozen=True)
class Match:
    direction: str  # buy: the company's need, the partner's offer; sell: the other way round
    company_id: int
    company_name: str
    side: str
    offer_id: int
    offer_hs_code: str
    offer_name: str
    capacity: Decimal
    offer_unit: str
    need_id: int
    need_hs_code: str
    need_description: str
    annual_volume: Decimal
    need_unit: str
    level: int
    score: float

    @property
    def matched_code(self) -> str:
        return self.offer_hs_code[:self.level]

    @property
    def comparable(self) -> bool:
        return self.offer_unit.strip().casefold() == self.need_unit.strip().casefold()

    @property
    def coverage(self) -> float | None:
        """The share of the yearly volume the capacity covers (may exceed 1), if the units compare."""
        if not self.comparable or not self.annual_volume:
            return None
        return float(self.capacity) / float(self.annual_volume)


def _live(company_id_column):
    return exists().where(Certificate.company_id == company_id_column, Certificate.status.in_(LIVE))


def _graded(own, other, own_is_need: bool, company_id: int, other_side: str, same_heading: bool, limit: int):
    need, offer = (own, other) if own_is_need else (other, own)
    prefix = (other.hs_heading == own.hs_heading if same_heading
              else and_(other.hs_chapter == own.hs_chapter, other.hs_heading != own.hs_heading))
    level = case((offer.hs_code == need.hs_code, 6), (offer.hs_heading == need.hs_heading, 4), else_=2)
    weight = case((offer.hs_code == need.hs_code, WEIGHTS[6]), (offer.hs_heading == need.hs_heading, WEIGHTS[4]),
                  else_=WEIGHTS[2])
    fit = case((func.lower(offer.unit) != func.lower(need.unit), 0.5),
               (offer.capacity >= need.annual_volume, 1.0),
               else_=cast(offer.capacity, Float) / cast(need.annual_volume, Float))
    score = (weight * (literal(0.5) + literal(0.5) * fit)).label("score")
    return (
        select(other.company_id, Company.name, other.side, offer.id, offer.hs_code, offer.name, offer.capacity,
               offer.unit, need.id, need.hs_code, need.description, need.annual_volume, need.unit,
               level.label("level"), score)
        .select_from(own)
        .join(other, and_(prefix, other.side == other_side, other.active.is_(True), other.company_id != company_id))
        .join(Company, Company.id == other.company_id)
        .where(own.company_id == company_id, own.active.is_(True), _live(other.company_id))
        .order_by(score.desc(), level.desc(), other.id)
        .limit(limit))


def matches(company_id: int, *, limit: int = 50, direction: str | None = None) -> list[Match]:
    """The company's best matches, both directions (or one: ``buy``, ``sell``), best first; none for a company
    that is not a resident."""
    limit = max(1, min(limit, MAX_MATCHES))
    side = db.session.scalar(select(Certificate.side).where(Certificate.company_id == company_id,
                                                            Certificate.status.in_(LIVE)).limit(1))
    if side is None:
        return []
    other_side = SIDES[1 - SIDES.index(side)]
    found: list[Match] = []
    for name, own_is_need in (("buy", True), ("sell", False)):
        if direction not in (None, name):
            continue
        own, other = (Need, Offer) if own_is_need else (Offer, Need)
        tier: list[Match] = []
        for same_heading in (True, False):
            stmt = _graded(own, other, own_is_need, company_id, other_side, same_heading, limit - len(tier))
            tier += [Match(name, *row[:13], level=int(row[13]), score=round(float(row[14]), 3))
                     for row in db.session.execute(stmt)]
            if len(tier) >= limit:
                break
        found += tier
    found.sort(key=lambda m: (-m.score, -m.level, m.direction, m.company_name))
    return found[:limit]
