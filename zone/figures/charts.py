"""The figures page's server-side SVG charts, laid out by :func:`zone.review.charts.bar_chart` (no script)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import gettext as _

from zone.review.charts import PALETTE, Chart, bar_chart
from zone.vocabulary import SECTOR_LABELS, SIDES


def _count(value: float) -> str:
    return format_decimal(int(value))


def _usd(value: float) -> str:
    return format_decimal(round(Decimal(str(value)) / Decimal(1_000_000), 1)) + " " + _("m USD")


def _sides() -> list[tuple[str, str]]:
    return [(_("Kazakh side (KZ)"), PALETTE["KZ"]), (_("Uzbek side (UZ)"), PALETTE["UZ"])]


def _num(value) -> float:
    return float(Decimal(str(value))) if value is not None else 0.0


def residents_by_sector(figures: dict) -> Chart:
    rows = [(str(SECTOR_LABELS.get(sector, sector)), [counts[side] for side in SIDES])
            for sector, counts in figures["residents"]["by_sector"].items()]
    total = sum(figures["residents"]["by_side"].values())
    return bar_chart("chart-residents", _("Residents by sector"),
                     _("%(n)s residents with a live certificate, by sector, split into the two sides.",
                       n=_count(total)), rows, _sides(), _count)


def committed_against_reported(figures: dict) -> list[Chart]:
    c, r = figures["committed"], figures["reported"]
    investment = bar_chart(
        "chart-investment", _("Investment: committed and realised"),
        _("Committed in the applications of today's residents, and realised as their latest accepted reports say."),
        [(_("Committed"), [_num(c[side]["investment_usd"]) for side in SIDES]),
         (_("Realised"), [_num(r[side]["investment_usd"]) for side in SIDES])], _sides(), _usd)
    jobs = bar_chart(
        "chart-jobs", _("Jobs: committed and actual"),
        _("Jobs committed in the applications, and jobs at the end of each resident's latest accepted report."),
        [(_("Committed"), [c[side]["jobs"] for side in SIDES]), (_("Actual"), [r[side]["jobs"] for side in SIDES])],
        _sides(), _count)
    trade = bar_chart(
        "chart-trade", _("Exports and cross-side trade, last four quarters"),
        _("From accepted quarterly reports, in USD at the rate in force on the as-of date."),
        [(_("Exports"), [_num(r[side]["exports_usd"]) for side in SIDES]),
         (_("Sales to the other side"), [_num(r[side]["cross_side_trade_usd"]) for side in SIDES])], _sides(), _usd)
    return [investment, jobs, trade]


def matchmaking(figures: dict) -> Chart:
    m = figures["matchmaking"]
    return bar_chart(
        "chart-matchmaking", _("Cooperation: contacts and contracts"),
        _("Contact requests residents sent to the other side, those accepted, and contracts recorded, by the "
          "sender's side."),
        [(_("Contact requests"), [m[side]["requests"] for side in SIDES]),
         (_("Accepted"), [m[side]["contacts"] for side in SIDES]),
         (_("Contracts"), [m[side]["contracts"] for side in SIDES])], _sides(), _count)


def trends(figures: dict) -> Chart:
    t = figures["trends"]
    return bar_chart(
        "chart-trends", _("Applications and certificates by quarter"),
        _("Applications submitted, approved and rejected, and first certificates issued, in each of the last "
          "eight quarters."),
        [(quarter, [t["submitted"][i], t["approved"][i], t["rejected"][i], t["certificates"][i]])
         for i, quarter in enumerate(t["quarters"])],
        [(_("Submitted"), PALETTE["open"]), (_("Approved"), PALETTE["approved"]), (_("Rejected"), PALETTE["alert"]),
         (_("Certificates"), PALETTE["bar"])], _count)
