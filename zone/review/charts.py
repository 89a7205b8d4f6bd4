"""Horizontal bar charts as plain geometry for an inline SVG: readable at a glance, no script.

The template draws what this computes (``templates/review/_chart.html``): one row per bar with its
label on the left, stacked coloured segments and the total on the right, a legend, and a title and
description for screen readers. Colours are SVG presentation attributes (the CSP forbids ``style``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

PALETTE = {
    "KZ": "#1f5fa8",  # blue
    "UZ": "#d9730d",  # orange: tells apart from blue also for red-green colour blindness
    "open": "#6b9fd8",
    "approved": "#2e7d4f",
    "bar": "#1f5fa8",
    "alert": "#b3261e",
}

LABEL_WIDTH = 240
BAR_AREA = 460
VALUE_WIDTH = 160
LEGEND_STEP = 250
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP = 34  # room for the legend


@dataclass
class Segment:
    series: str
    value: float
    text: str
    color: str
    x: float = 0
    width: float = 0


@dataclass
class Bar:
    label: str
    segments: list[Segment]
    total_text: str
    y: float = 0
    text_y: float = 0
    end_x: float = 0


@dataclass
class Chart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    legend: list[tuple[str, str]] = field(default_factory=list)
    legend_step: int = LEGEND_STEP
    width: int = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height: int = 0
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    bar_area: int = BAR_AREA
    series_names: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(s.value for b in self.bars for s in b.segments)


def bar_chart(chart_id: str, title: str, description: str, rows: Sequence[tuple[str, Sequence[float | None]]],
              series: Sequence[tuple[str, str]], fmt: Callable[[float], str]) -> Chart:
    """Lay out ``rows`` of ``(label, values per series)``; ``series`` is ``(name, colour)`` in order.

    A value of None means "no data" (shown as a dash), unlike a real zero.
    """
    peak = max((sum(v or 0 for v in values) for _label, values in rows), default=0) or 1
    bars = []
    for index, (label, values) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        x = float(LABEL_WIDTH)
        segments = []
        for (name, color), value in zip(series, values, strict=True):
            width = BAR_AREA * float(value or 0) / float(peak)
            text = "—" if value is None else fmt(value)
            segments.append(Segment(name, float(value or 0), text, color, round(x, 2), round(width, 2)))
            x += width
        known = [v for v in values if v is not None]
        total_text = fmt(sum(known)) if known else "—"
        bars.append(Bar(label, segments, total_text, y, y + BAR_HEIGHT * 0.75, round(x + 6, 2)))
    legend = list(series) if len(series) > 1 else []
    return Chart(chart_id, title, description, bars, legend, height=TOP + len(rows) * ROW_HEIGHT + 6,
                 series_names=[name for name, _color in series])
