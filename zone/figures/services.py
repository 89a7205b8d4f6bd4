"""The zone's figures as one snapshot with its as-of time: computed by :mod:`zone.figures.queries`, kept in
the database by the worker every quarter of an hour, and read by the public page, the API and open data.

A reader never sees figures older than ``MAX_AGE``: when the stored snapshot is older (the worker stopped),
the figures are computed for that request instead (and not stored: a read never writes).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from zone.calendar import today as zone_today
from zone.database import utcnow
from zone.extensions import db
from zone.figures import queries
from zone.figures.models import FiguresSnapshot
from zone.sites.queries import occupancy

KEY = "public"
MAX_AGE = timedelta(hours=1)
REFRESH_EVERY = timedelta(minutes=15)


def _plain(value: Any) -> Any:
    """JSON-able: decimals as strings without exponent (money never travels as a float)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def compute(now: datetime | None = None) -> dict:
    """Every figure as of ``now`` (default: this moment)."""
    now = now or utcnow()
    today = zone_today()
    return _plain({
        "as_of": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "residents": queries.residents(),
        "committed": queries.commitments(),
        "reported": queries.reported(today),
        "matchmaking": queries.matchmaking(),
        "processing": queries.processing_times(now),
        "trends": queries.trends(today),
    })


def refresh() -> dict:
    """Compute the figures and store them as the current snapshot (the worker's job); commits."""
    now = utcnow()
    data = compute(now)
    row = db.session.get(FiguresSnapshot, KEY)
    if row is None:
        db.session.add(FiguresSnapshot(key=KEY, as_of=now, data=data))
    else:
        row.as_of, row.data = now, data
    db.session.commit()
    return data


def current() -> dict:
    """The stored snapshot when it is fresh enough, else figures computed now."""
    row = db.session.get(FiguresSnapshot, KEY)
    if row is not None:
        as_of = row.as_of if row.as_of.tzinfo else row.as_of.replace(tzinfo=UTC)
        if utcnow() - as_of <= MAX_AGE:
            return row.data
    return compute()


def stats(figures: dict) -> dict:
    """``GET /api/v1/stats`` (API.md), with the per-side breakdown, matchmaking and the sites' occupancy added.

    Occupancy is read live (one grouped query over the sites), not from the snapshot: a lease signed a minute
    ago shows at once."""
    def total(part: str, key: str) -> Decimal:
        return sum((Decimal(str(figures[part][side][key])) for side in figures[part]), Decimal(0))

    times = figures["processing"]
    return _plain({
        "as_of": figures["as_of"],
        "residents": figures["residents"]["by_side"],
        "investment_committed_usd": total("committed", "investment_usd"),
        "investment_realised_usd": total("reported", "investment_usd"),
        "jobs_committed": int(total("committed", "jobs")),
        "jobs_actual": int(total("reported", "jobs")),
        "exports_usd": total("reported", "exports_usd"),
        "cross_side_trade_usd": total("reported", "cross_side_trade_usd"),
        "median_days_to_decision": times["submission_to_decision"]["median"],
        "median_days_to_certificate": times["submission_to_certificate"]["median"],
        "matchmaking": {**{key: int(total("matchmaking", key)) for key in ("requests", "contacts", "contracts")},
                        "contracts_usd": total("matchmaking", "contracts_usd")},
        "sites": {side: sides.as_dict() for side, sides in occupancy().items()},
        "by_side": {side: {"committed": figures["committed"][side], "reported": figures["reported"][side],
                           "matchmaking": figures["matchmaking"][side]} for side in figures["committed"]},
    })
