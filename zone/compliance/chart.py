"""Open compliance cases by stage and side as a server-side SVG bar chart (no script): the tile of the staff
dashboard and the head of the case queue draw the same chart."""

from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import format_decimal
from flask_babel import gettext as _

from zone.compliance import presenters, queries
from zone.review.charts import PALETTE, Chart, bar_chart
from zone.review.dashboard import Tile
from zone.vocabulary import SIDES


def _count(value: float) -> str:
    return format_decimal(int(value))


def stage_chart() -> Chart:
    """One bar per open stage (zero included), split into the Kazakh and Uzbek sides; one query."""
    counts = queries.stage_side_counts()
    rows = [(str(presenters.stage_label(stage)), [by_side.get(side, 0) for side in SIDES])
            for stage, by_side in counts.items()]
    total = sum(sum(by_side.values()) for by_side in counts.values())
    return bar_chart(
        "chart-compliance", _("Open compliance cases by stage"),
        _("%(total)s open cases; bars show each stage of the sanction ladder split into the Kazakh and Uzbek "
          "sides.", total=_count(total)),
        rows, [(_("Kazakh side (KZ)"), PALETTE["KZ"]), (_("Uzbek side (UZ)"), PALETTE["UZ"])], _count)


def dashboard_tile(_today: date) -> Tile:
    """The staff dashboard's compliance tile (registered at app creation, see :mod:`zone.compliance.hooks`)."""
    return Tile(stage_chart(), url_for("compliance.queue"), _("Compliance cases"))
