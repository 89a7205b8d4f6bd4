"""Figures reuse the cooperation fixtures: residents of either side made directly, and a PVC chain."""

from tests.cooperation.conftest import chain, make_resident  # noqa: F401
