"""The dashboard tile: open compliance cases by stage as a server-side SVG bar chart (no script)."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, BAR, GAP, LABEL = 420, 18, 6, 190


def stage_bars(counts: list[tuple[str, int]], title: str) -> Markup:
    """A horizontal bar per (label, count); the widest bar is the largest count."""
    top = max((n for _label, n in counts), default=0) or 1
    height = len(counts) * (BAR + GAP) + GAP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}"><title>{escape(title)}</title>']
    for i, (label, n) in enumerate(counts):
        y = GAP + i * (BAR + GAP)
        width = int((WIDTH - LABEL - 40) * n / top)
        parts.append(f'<text x="0" y="{y + BAR - 5}" font-size="12">{escape(label)}</text>'
                     f'<rect x="{LABEL}" y="{y}" width="{width}" height="{BAR}" fill="#3b6ea5"/>'
                     f'<text x="{LABEL + width + 4}" y="{y + BAR - 5}" font-size="12">{n}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text in it is escaped above)
