"""Plane geometry of site outlines: do two plots overlap (share area, not only a border)?

Outlines are simple polygons in plan metres. Two outlines overlap when an edge of one properly crosses an
edge of the other, or a point inside one lies strictly inside the other (one contains the other, or they
coincide). Shared borders and corners are allowed: neighbouring plots touch.
"""

from __future__ import annotations

from collections.abc import Sequence

Point = tuple[float, float]
Polygon = Sequence[Point]


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """True when the segments cross at one point interior to both (touching or collinear is not crossing)."""
    d1, d2 = _sign(_cross(q1, q2, p1)), _sign(_cross(q1, q2, p2))
    d3, d4 = _sign(_cross(p1, p2, q1)), _sign(_cross(p1, p2, q2))
    return d1 * d2 < 0 and d3 * d4 < 0


def _on_segment(p: Point, a: Point, b: Point) -> bool:
    return (_cross(a, b, p) == 0 and min(a[0], b[0]) <= p[0] <= max(a[0], b[0])
            and min(a[1], b[1]) <= p[1] <= max(a[1], b[1]))


def strictly_inside(point: Point, polygon: Polygon) -> bool:
    """Even-odd ray casting; a point on the border is not inside."""
    n = len(polygon)
    inside = False
    for i in range(n):
        a, b = polygon[i], polygon[(i + 1) % n]
        if _on_segment(point, a, b):
            return False
        if (a[1] > point[1]) != (b[1] > point[1]):
            x = a[0] + (point[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
            if point[0] < x:
                inside = not inside
    return inside


def edges(polygon: Polygon) -> list[tuple[Point, Point]]:
    return [(polygon[i], polygon[(i + 1) % len(polygon)]) for i in range(len(polygon))]


def bounds(polygon: Polygon) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    return min(xs), min(ys), max(xs), max(ys)


def signed_area(polygon: Polygon) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in edges(polygon)) / 2


def is_simple(polygon: Polygon) -> bool:
    """No two non-adjacent edges meet, and the outline encloses some area."""
    sides = edges(polygon)
    n = len(sides)
    if n < 3 or abs(signed_area(polygon)) == 0:
        return False
    for i in range(n):
        for j in range(i + 1, n):
            if j == i + 1 or (i == 0 and j == n - 1):
                continue
            (a, b), (c, d) = sides[i], sides[j]
            if segments_cross(a, b, c, d) or _on_segment(a, c, d) or _on_segment(b, c, d) \
                    or _on_segment(c, a, b) or _on_segment(d, a, b):
                return False
    return True


def _probes(polygon: Polygon) -> list[Point]:
    """Points strictly inside ``polygon``: near each vertex, towards the inside of its corner, and edge midpoints
    nudged inwards. Enough to see one outline inside (or equal to) another."""
    probes = []
    orientation = 1 if signed_area(polygon) > 0 else -1
    for a, b in edges(polygon):
        mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = (dx * dx + dy * dy) ** 0.5 or 1
        step = min(length, 1.0) * 1e-3
        # The inward normal of a counter-clockwise outline is the left one.
        probes.append((mx - orientation * dy / length * step, my + orientation * dx / length * step))
    return [p for p in probes if strictly_inside(p, polygon)]


def overlap(first: Polygon, second: Polygon) -> bool:
    """Whether the two outlines share area."""
    ax0, ay0, ax1, ay1 = bounds(first)
    bx0, by0, bx1, by1 = bounds(second)
    if ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0:
        return False
    for a, b in edges(first):
        for c, d in edges(second):
            if segments_cross(a, b, c, d):
                return True
    if any(strictly_inside(p, second) for p in first) or any(strictly_inside(p, first) for p in second):
        return True
    return any(strictly_inside(p, second) for p in _probes(first)) or \
        any(strictly_inside(p, first) for p in _probes(second))
