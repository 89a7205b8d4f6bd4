"""Outline geometry: overlap means shared area; touching borders and corners is allowed."""

from __future__ import annotations

import pytest

from zone.sites.geometry import is_simple, overlap

SQUARE = [(0, 0), (10, 0), (10, 10), (0, 10)]


@pytest.mark.parametrize(("other", "expected"), [
    ([(10, 0), (20, 0), (20, 10), (10, 10)], False),  # shares a border
    ([(10, 10), (20, 10), (20, 20), (10, 20)], False),  # shares a corner
    ([(20, 20), (30, 20), (30, 30), (20, 30)], False),  # apart
    ([(5, 5), (15, 5), (15, 15), (5, 15)], True),  # corners overlap
    ([(2, 2), (8, 2), (8, 8), (2, 8)], True),  # inside
    ([(-5, -5), (15, -5), (15, 15), (-5, 15)], True),  # contains
    (SQUARE, True),  # the same outline
    ([(5, 0), (15, 0), (15, 10), (5, 10)], True),  # collinear borders, half overlap
    ([(4, -5), (6, -5), (6, 15), (4, 15)], True),  # a bar across, no vertex inside
    ([(10, 2), (14, 5), (10, 8)], False),  # a triangle leaning on the border
    ([(9, 2), (14, 5), (9, 8)], True),  # ...pushed 1 m in
])
def test_overlap(other, expected):
    assert overlap(SQUARE, other) is expected
    assert overlap(other, SQUARE) is expected


def test_simple_outlines():
    assert is_simple(SQUARE)
    assert not is_simple([(0, 0), (10, 10), (10, 0), (0, 10)])  # a bow tie crosses itself
    assert not is_simple([(0, 0), (5, 5), (10, 10)])  # no area
