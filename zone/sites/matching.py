"""Matching an application's site needs with the free sites of its side, ranked by fit.

A site *fits* when it is of the kind asked for and has at least the area, power and water asked for (needs
left empty ask nothing). Fitting sites rank by how little they exceed the needs (the closest match first,
so a large building is not spent on a small need); the others rank by how far they fall short, so the
closest candidates can be named with the reasons they do not fit. Fit ranks, it does not restrict: the
approver may lease any free site of the side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.extensions import db
from zone.sites.models import Site, SiteStatus
from zone.sites.presenters import kind_label

# What an application may ask for, and the site's column that answers it.
NEEDS = (("site_area_m2", "area_m2"), ("site_power_kw", "power_kw"), ("site_water_m3_day", "water_m3_day"))
SHORT = {
    "area_m2": _l("area %(have)s m², %(need)s m² needed"),
    "power_kw": _l("power %(have)s kW, %(need)s kW needed"),
    "water_m3_day": _l("water %(have)s m³ a day, %(need)s m³ a day needed"),
}
KIND_PENALTY = 1.0


@dataclass(frozen=True)
class Needs:
    kind: str | None = None
    area_m2: Decimal | None = None
    power_kw: Decimal | None = None
    water_m3_day: Decimal | None = None

    @property
    def stated(self) -> bool:
        return any(v is not None for v in (self.kind, self.area_m2, self.power_kw, self.water_m3_day))

    def as_dict(self) -> dict:
        return {"kind": self.kind, "area_m2": _plain(self.area_m2), "power_kw": _plain(self.power_kw),
                "water_m3_day": _plain(self.water_m3_day)}


@dataclass(frozen=True)
class Candidate:
    code: str
    kind: str
    area_m2: Decimal
    power_kw: Decimal
    water_m3_day: Decimal
    fits: bool
    score: float  # fitting: relative excess (lower is closer); not fitting: relative shortfall
    shortfalls: list[dict] = field(default_factory=list)  # [{"what", "have", "need"}]

    def reasons(self) -> list[str]:
        """Why the site does not fit, in the user's language."""
        texts = []
        for short in self.shortfalls:
            if short["what"] == "kind":
                texts.append(str(_l("a %(have)s, a %(need)s is needed", have=kind_label(short["have"]),
                                    need=kind_label(short["need"]))))
            else:
                texts.append(str(SHORT[short["what"]] % {"have": short["have"], "need": short["need"]}))
        return texts

    def as_dict(self) -> dict:
        return {"code": self.code, "fits": self.fits, "shortfalls": self.shortfalls}


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def needs_of(application: Any) -> Needs:
    """The site needs the application states (its ``site`` section)."""
    return Needs(application.site_kind, application.site_area_m2, application.site_power_kw,
                 application.site_water_m3_day)


def _assess(row, needs: Needs) -> Candidate:
    code, kind, area, power, water = row
    shortfalls, short_score, excess = [], 0.0, 0.0
    if needs.kind is not None and kind != needs.kind:
        shortfalls.append({"what": "kind", "have": kind, "need": needs.kind})
        short_score += KIND_PENALTY
    for (_need_name, column), have in zip(NEEDS, (area, power, water), strict=True):
        need = getattr(needs, column)
        if need is None or need <= 0:
            continue
        if have < need:
            shortfalls.append({"what": column, "have": _plain(have), "need": _plain(need)})
            short_score += float((need - have) / need)
        else:
            excess += float((have - need) / need)
    fits = not shortfalls
    return Candidate(code, kind, area, power, water, fits, excess if fits else short_score, shortfalls)


def rank(side: str, needs: Needs) -> list[Candidate]:
    """Every free site of ``side``, assessed against ``needs``: fitting ones first, closest fit first, then the
    others, closest first; ties by code. One query over the free sites' columns."""
    rows = db.session.execute(
        select(Site.code, Site.kind, Site.area_m2, Site.power_kw, Site.water_m3_day)
        .where(Site.side == side, Site.status == SiteStatus.FREE)).all()
    assessed = [_assess(row, needs) for row in rows]
    assessed.sort(key=lambda c: (not c.fits, c.score, c.code))
    return assessed


def fitting(side: str, needs: Needs) -> list[Candidate]:
    return [c for c in rank(side, needs) if c.fits]


def no_site_explanation(side: str, needs: Needs, closest: int = 3) -> dict:
    """What a ``NO_SITE_AVAILABLE`` decision records: the needs, and the closest free sites with why they
    do not fit (machine data; :meth:`Candidate.reasons` words it)."""
    ranked = rank(side, needs)
    return {"needs": needs.as_dict(), "free_sites": len(ranked),
            "closest": [c.as_dict() for c in ranked if not c.fits][:closest]}
