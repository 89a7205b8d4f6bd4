"""Gap-free certificate serials: ``ICIC-{side}-{year}-{number:06d}``, numbered per side and year.

:func:`take_number` is the mechanism for any gap-free number per side and year (agreement numbers
use it with their own counter table). The counter row is locked until the issuing transaction ends
(``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the transaction already holds the database write
lock, see ``zone.database``). A transaction that rolls back after taking a number gives the number back, so
committed serials have no gaps and no duplicates.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from zone.certificates.models import SerialCounter
from zone.database import is_postgresql
from zone.extensions import db


def format_serial(side: str, year: int, number: int) -> str:
    """``ICIC-KZ-2026-000042``."""
    return f"ICIC-{side}-{year}-{number:06d}"


def next_serial(side: str, year: int) -> tuple[int, str]:
    """Take the next number of ``side`` in ``year`` inside the caller's transaction."""
    number = take_number(SerialCounter, side, year)
    return number, format_serial(side, year, number)


def take_number(counter_model: type, side: str, year: int) -> int:
    """Take the next number of ``side`` in ``year`` from ``counter_model`` (a table keyed by ``side`` and
    ``year`` with a ``last_number`` column), inside the caller's transaction."""
    insert = (postgresql.insert if is_postgresql() else sqlite.insert)(counter_model)
    # Two first issuances of a year may race to create the row: one inserts, the other does nothing.
    db.session.execute(
        insert.values(side=side, year=year, last_number=0).on_conflict_do_nothing(index_elements=["side", "year"])
    )
    counter = db.session.execute(
        select(counter_model)
        .where(counter_model.side == side, counter_model.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    counter.last_number += 1
    db.session.flush()
    return counter.last_number
