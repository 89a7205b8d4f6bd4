"""The site plan of one side as plain geometry for an inline, server-side SVG (no script, no tiles, no fonts).

Each site is a polygon in plan metres; the plan's viewBox is their bounding box with a margin, y pointing
down as the surveyor's north-up plan is drawn. Colours are SVG presentation attributes (the CSP forbids
``style``) and come with a pattern for status, so colour is never the only cue; the table beside the
plan says the same in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from zone.sites.models import Lease, Site, SiteStatus

COLOURS = {SiteStatus.FREE: "#2e7d4f", SiteStatus.RESERVED: "#d9730d", SiteStatus.LEASED: "#1f5fa8"}
MARGIN = 10.0


@dataclass(frozen=True)
class PlanSite:
    site: Site
    lease: Lease | None
    points: str  # "x,y x,y ..." for <polygon points>
    label_x: float
    label_y: float
    colour: str
    font: float


@dataclass(frozen=True)
class Plan:
    side: str
    view_box: str
    sites: list[PlanSite]
    width: float
    height: float

    @property
    def empty(self) -> bool:
        return not self.sites


def _centre(outline: list) -> tuple[float, float]:
    """The centroid of the polygon (its vertices' mean when the area is 0)."""
    area = cx = cy = 0.0
    n = len(outline)
    for i in range(n):
        x0, y0 = outline[i]
        x1, y1 = outline[(i + 1) % n]
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return sum(p[0] for p in outline) / n, sum(p[1] for p in outline) / n
    return cx / (3 * area), cy / (3 * area)


def build(side: str, sites: list[Site], leases: dict[int, Lease]) -> Plan:
    """The plan of ``side`` with ``sites`` (already filtered for the viewer) and their live leases."""
    if not sites:
        return Plan(side, "0 0 100 100", [], 100, 100)
    xs = [p[0] for s in sites for p in s.outline]
    ys = [p[1] for s in sites for p in s.outline]
    x0, y0, x1, y1 = min(xs) - MARGIN, min(ys) - MARGIN, max(xs) + MARGIN, max(ys) + MARGIN
    width, height = x1 - x0, y1 - y0
    top = y0 + y1  # flip: plan y grows north, SVG y grows down
    largest = max(width, height) / 45  # labels stay readable without dwarfing the plan
    drawn = []
    for site in sites:
        sx = [p[0] for p in site.outline]
        sy = [p[1] for p in site.outline]
        font = max(min((max(sx) - min(sx)) / max(len(site.code), 1) * 1.2, (max(sy) - min(sy)) * 0.4, largest),
                   0.5)
        cx, cy = _centre(site.outline)
        points = " ".join(f"{x:g},{top - y:g}" for x, y in site.outline)
        drawn.append(PlanSite(site, leases.get(site.id), points, round(cx, 2), round(top - cy + font * 0.35, 2),
                              COLOURS[SiteStatus(site.status)], round(font, 2)))
    return Plan(side, f"{x0:g} {y0:g} {width:g} {height:g}", drawn, width, height)
