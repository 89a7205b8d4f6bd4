"""A computed set of figures, kept with the time it was computed (its as-of time).

The public page, ``/api/v1/stats`` and the open-data files read the newest snapshot; the worker
computes a new one every quarter of an hour, and a reader computes one itself when the newest is older
than the allowed staleness (an hour), so a figure is never older than that.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from zone.extensions import db


class FiguresSnapshot(db.Model):
    __tablename__ = "figures_snapshots"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)  # public | service | quarters
    as_of: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict] = mapped_column(JSON)
