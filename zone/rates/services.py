"""Importing official rates (audited) and reading the rate in force on a date.

Services never commit: the CLI commits once the whole import is stored.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from zone.audit.services import record
from zone.eligibility.conversion import OfficialRate
from zone.extensions import db

from .feeds import CURRENCY, MAX_BYTES, SOURCE_BY_QUOTE, SOURCES, FeedError, FeedRate, parse
from .models import ExchangeRate

FETCH_TIMEOUT = 30  # seconds


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import did: ``stored`` (new), ``unchanged`` (the same value was there) or ``replaced``."""

    row: ExchangeRate
    outcome: str
    previous: str | None = None


def fetch(source: str, day: date, timeout: float = FETCH_TIMEOUT) -> bytes:
    """The feed of ``source`` for ``day`` from the bank's site; :class:`FeedError` when unreachable."""
    url = SOURCES[source].url_for(day)
    if not url.startswith("https://"):  # the feeds are fixed https addresses, never a file: URL
        raise FeedError(f"refusing to read {url}")
    request = urllib.request.Request(url, headers={"User-Agent": "zone-rates-import"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            content = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise FeedError(f"{url} answered HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise FeedError(f"{url} could not be read: {getattr(error, 'reason', error)}") from None
    if len(content) > MAX_BYTES:
        raise FeedError(f"{url} sent more than {MAX_BYTES} bytes")
    return content


def import_feed(source: str, content: bytes, *, expected_date: date | None = None) -> Imported:
    """Parse a feed and store its USD rate, audited as ``rates.import``.

    Raises :class:`FeedError` (nothing stored) when the file is not a valid feed of ``source`` or is
    not for ``expected_date``. Importing the same rate again changes nothing; a different value for a
    stored date (a correction by the bank) replaces it, and the audit event keeps the old one.
    """
    feed = parse(source, content)
    if expected_date is not None and feed.rate_date != expected_date:
        raise FeedError(f"the file is for {feed.rate_date:%d.%m.%Y}, not for the requested {expected_date:%d.%m.%Y}")
    return store(feed)


def store(feed: FeedRate) -> Imported:
    """Store one parsed rate (see :func:`import_feed`)."""
    row = db.session.scalars(
        select(ExchangeRate).where(
            ExchangeRate.source == feed.source,
            ExchangeRate.currency == feed.currency,
            ExchangeRate.rate_date == feed.rate_date,
        )
    ).first()
    previous = None
    if row is None:
        row = ExchangeRate(
            source=feed.source,
            currency=feed.currency,
            quote=feed.quote,
            rate_date=feed.rate_date,
            value=feed.value,
            units=feed.units,
        )
        db.session.add(row)
        outcome = "stored"
    elif row.value == feed.value and row.units == feed.units:
        return Imported(row, "unchanged")
    else:
        previous = f"{row.value.normalize():f}/{row.units}"
        row.value, row.units = feed.value, feed.units
        outcome = "replaced"
    db.session.flush()
    record(
        "rates.import",
        row,
        actor_label="rates-import",
        details={
            "source": feed.source,
            "currency": feed.currency,
            "quote": feed.quote,
            "date": feed.rate_date,
            "value": f"{feed.value:f}",
            "units": feed.units,
            "outcome": outcome,
            **({"previous": previous} if previous else {}),
        },
    )
    return Imported(row, outcome, previous)


class StoredRates:
    """The imported official rates, as the eligibility engine asks for them (a ``RateBook``).

    Each answer is remembered for the life of the object (one request, one impact run).
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[str, date], OfficialRate | None] = {}

    def official_rate(self, currency: str, on_date: date) -> OfficialRate | None:
        """The USD rate in ``currency`` (KZT from the NBK, UZS from the CBU) published for ``on_date``,
        or else the latest one before it; None when none has been imported."""
        key = (currency, on_date)
        if key not in self._seen:
            self._seen[key] = self._lookup(currency, on_date)
        return self._seen[key]

    def _lookup(self, currency: str, on_date: date) -> OfficialRate | None:
        source = SOURCE_BY_QUOTE.get(currency)
        if source is None:
            return None
        row = db.session.scalars(
            select(ExchangeRate)
            .where(
                ExchangeRate.source == source.code,
                ExchangeRate.currency == CURRENCY,
                ExchangeRate.rate_date <= on_date,
            )
            .order_by(ExchangeRate.rate_date.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        return OfficialRate(currency, row.per_unit, row.rate_date, source.code, source.names)
