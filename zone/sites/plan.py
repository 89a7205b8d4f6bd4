"""The site plan of one side as plain geometry and text for an inline, server-side SVG (no script, no tiles, no
fonts) and the table beside it.

Each site is a polygon in plan metres; the plan's viewBox is their bounding box with a margin, y pointing down as
the surveyor's north-up plan is drawn. Colours are SVG presentation attributes (the CSP forbids ``style``) and the
table says the same in words, so colour is never the only cue. The polygons and the table rows are written here,
each value escaped, as two strings the template places: with thousands of sites, a template loop escaping every
value of every row costs more than the rest of the page.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import get_decimal_symbol, get_group_symbol
from markupsafe import Markup, escape

from zone.sites.models import SiteStatus

COLOURS = {SiteStatus.FREE: "#2e7d4f", SiteStatus.RESERVED: "#d9730d", SiteStatus.LEASED: "#1f5fa8"}
MARGIN = 10.0


@dataclass(frozen=True)
class PlanSite:
    code: str
    href: str
    kind: str  # the kind's label
    status: str  # the status's value
    status_label: str
    area: str
    power: str
    water: str
    gas: str
    holder: str | None
    points: str  # "x,y x,y ..." for <polygon points>
    label_x: float
    label_y: float
    colour: str
    font: float


    def svg(self) -> str:
        label = escape(f"{self.code}: {self.status_label}")
        return (f'<a href="{escape(self.href)}" aria-label="{label}"><polygon points="{self.points}" '
                f'fill="{self.colour}" fill-opacity="0.55" stroke="#222" stroke-width="0.5"><title>{label}</title>'
                f'</polygon><text x="{self.label_x}" y="{self.label_y}" font-size="{self.font}" text-anchor="middle" '
                f'fill="#111">{escape(self.code)}</text></a>')

    def row(self, staff: bool) -> str:
        holder = f"<td>{escape(self.holder or '—')}</td>" if staff else ""
        return (f'<tr><th scope="row"><a href="{escape(self.href)}">{escape(self.code)}</a></th>'
                f"<td>{escape(self.kind)}</td><td class=\"num\">{escape(self.area)}</td>"
                f"<td class=\"num\">{escape(self.power)}</td><td class=\"num\">{escape(self.water)}</td>"
                f"<td class=\"num\">{escape(self.gas)}</td><td>{escape(self.status_label)}</td>{holder}</tr>")


@dataclass(frozen=True)
class Plan:
    side: str
    view_box: str
    sites: list[PlanSite]
    staff: bool = False

    @property
    def empty(self) -> bool:
        return not self.sites

    @property
    def svg_body(self) -> Markup:
        """Every site's linked polygon and label (values escaped)."""
        return Markup("\n".join(site.svg() for site in self.sites))  # noqa: S704 - built from escaped values

    @property
    def table_body(self) -> Markup:
        """Every site's row of the table beside the plan (values escaped)."""
        return Markup("\n".join(site.row(self.staff) for site in self.sites))  # noqa: S704 - escaped values


def number_formatter(locale: str) -> Callable[[Decimal], str]:
    """A fast locale-aware formatter for the plan's quantities (grouped, at most two decimals)."""
    group, point = get_group_symbol(locale), get_decimal_symbol(locale)

    def _format(value: Decimal) -> str:
        text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value.normalize():,f}"
        return text.replace(",", "\x00").replace(".", point).replace("\x00", group)

    return _format


def _centre(outline: Sequence) -> tuple[float, float]:
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


def build(side: str, rows: Sequence, holders: dict[int, str], *, href: Callable[[str], str],
          kind_label: Callable[[str], str], status_label: Callable[[str], str], number: Callable[[Decimal], str],
          staff: bool = False) -> Plan:
    """The plan of ``side`` from ``rows`` (``queries.plan_rows``: already filtered for the viewer) and the
    holders' names by site id (staff only)."""
    if not rows:
        return Plan(side, "0 0 100 100", [])
    xs = [p[0] for r in rows for p in r.outline]
    ys = [p[1] for r in rows for p in r.outline]
    x0, y0, x1, y1 = min(xs) - MARGIN, min(ys) - MARGIN, max(xs) + MARGIN, max(ys) + MARGIN
    width, height = x1 - x0, y1 - y0
    top = y0 + y1  # flip: plan y grows north, SVG y grows down
    largest = max(width, height) / 45  # labels stay readable without dwarfing the plan
    kinds, statuses = {}, {}
    drawn = []
    for row in rows:
        outline = row.outline
        sx = [p[0] for p in outline]
        sy = [p[1] for p in outline]
        font = max(min((max(sx) - min(sx)) / max(len(row.code), 1) * 1.2, (max(sy) - min(sy)) * 0.4, largest), 0.5)
        cx, cy = _centre(outline)
        if row.kind not in kinds:
            kinds[row.kind] = kind_label(row.kind)
        if row.status not in statuses:
            statuses[row.status] = status_label(row.status)
        drawn.append(PlanSite(
            row.code, href(row.code), kinds[row.kind], row.status, statuses[row.status], number(row.area_m2),
            number(row.power_kw), number(row.water_m3_day), number(row.gas_m3_h), holders.get(row.id),
            " ".join(f"{x:g},{top - y:g}" for x, y in outline), round(cx, 2), round(top - cy + font * 0.35, 2),
            COLOURS[SiteStatus(row.status)], round(font, 2)))
    return Plan(side, f"{x0:g} {y0:g} {width:g} {height:g}", drawn, staff)


class PlanCache:
    """Drawn plans kept in this process by (side, viewer, language) while the side's sites are unchanged.

    A plan of 2,000 sites takes about 100 ms to draw and is asked for far more often than a site changes. An
    entry is used only while ``queries.plan_stamp`` (one aggregate query, so every app server sees a change at
    once) is the one it was drawn at, and for ``max_age`` seconds at most: a holder's renamed company shows
    after that. Small and bounded; safe for threads (a miss may draw twice, never serve a stale plan)."""

    def __init__(self, size: int = 32, max_age: float = 600.0):
        self._entries: OrderedDict[Hashable, tuple[tuple, float, Plan]] = OrderedDict()
        self._lock = threading.Lock()
        self.size, self.max_age = size, max_age

    def get(self, key: Hashable, stamp: tuple, draw: Callable[[], Plan]) -> Plan:
        now = time.monotonic()
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] == stamp and now - found[1] < self.max_age:
                self._entries.move_to_end(key)
                return found[2]
        plan = draw()
        with self._lock:
            self._entries[key] = (stamp, now, plan)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return plan


EXTENSION = "zone.sites.plans"


def plans(app) -> PlanCache:
    """The app's plan cache (one per app: two apps in one process, as in the tests, never share plans)."""
    return app.extensions[EXTENSION]
