"""What notices add to lower floors at app creation: the staff dashboard's tile of what needs a person
(receivers failing for days, notices near their side's 2-working-day deadline), so review imports nothing
of notices; and the worker's delivery job with its backlog for /healthz."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _

from zone.notices import services
from zone.notices.delivery import deliver_due
from zone.review import dashboard
from zone.review.charts import PALETTE, bar_chart
from zone.vocabulary import SIDES
from zone.worker.registry import register_backlog, register_job

# Every copy of the worker delivers: a receiver is leased to one copy at a time.
DELIVER_EVERY = timedelta(seconds=2)


def _count(value: float) -> str:
    return format_decimal(int(value))


def dashboard_tile(today: date) -> dashboard.Tile:
    """Two bars split by side: notices near or past their deadline, and receivers failing for days (a
    receiver of every side counts once, under "both")."""
    late, failing = services.attention_counts(today)
    rows = [(_("Notices near or past their deadline"), [*(late.get(side, 0) for side in SIDES), 0]),
            (_("Receivers failing for days"), [*(failing.get(side, 0) for side in SIDES), failing.get(None, 0)])]
    chart = bar_chart(
        "chart-notices", _("Notices to the authorities that need a person"),
        _("%(late)s notices are not delivered close to their deadline (send a letter); %(failing)s receivers "
          "have failed for days.", late=_count(sum(late.values())),
          failing=_count(sum(failing.values()))),
        rows, [(_("Kazakh side (KZ)"), PALETTE["KZ"]), (_("Uzbek side (UZ)"), PALETTE["UZ"]),
               (_("Both sides"), PALETTE["open"])], _count)
    return dashboard.Tile(chart, url_for("notices.index"), _("Notices to the authorities"))


def init_app(app: Flask) -> None:
    dashboard.register_tile(app, dashboard_tile)
    register_job(app, "notices.deliver", deliver_due, every=DELIVER_EVERY, drains_queue=True)
    register_backlog(app, "notices", services.oldest_pending_query, services.pending_count_query)
