"""How a certificate keeps its periods, and how they are shown: one place for the convention.

Everywhere outside the certificate row (engine, API, snapshots, exports, register) a period is
half-open, ``[from, until)``: ``until`` is the day it ends. A certificate row keeps what it prints:
the **last day** of each period and of its validity (``Certificate.valid_until``, and ``"until"`` in
its stored ``benefits``), "valid through 30.11.2036". Certificates issued before the half-open
convention stored exactly that too, so every row, old or new, reads the same way and none is
rewritten: an old certificate's periods (the second step starting the day after the first ended)
are shown as they were issued, in today's convention.

- :func:`to_stored` turns granted (half-open) periods into the row's last days, at issue;
- :func:`to_half_open` and :func:`ends_on` turn the row back into the API's convention.
"""

from __future__ import annotations

from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def to_stored(period: dict) -> dict:
    """A half-open period as the certificate stores it: ``until`` becomes its last day."""
    return {**period, "until": (_day(period["until"]) - ONE_DAY).isoformat()}


def to_half_open(period: dict) -> dict:
    """A stored period in the API's convention: ``until`` is the day after its last day."""
    if not period.get("until"):
        return dict(period)
    return {**period, "until": (_day(period["until"]) + ONE_DAY).isoformat()}


def benefits_half_open(benefits: list[dict]) -> list[dict]:
    """Stored benefits with their periods in the API's convention (everything else as stored)."""
    return [{**b, "periods": [to_half_open(p) for p in b.get("periods") or ()]} for b in benefits or ()]


def ends_on(last_day: date | None) -> date | None:
    """The half-open end of a validity whose last day is ``last_day`` (the API's ``valid_until``)."""
    return None if last_day is None else last_day + ONE_DAY
