"""Official exchange rates as dated values with their source."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zone.database import utcnow
from zone.extensions import db


class ExchangeRate(db.Model):
    """``value`` units of ``quote`` for ``units`` of ``currency``, published by ``source`` for ``rate_date``.

    Stored as published (NBK's ``description``/``quant``, CBU's ``Rate``/``Nominal``): the rate per
    one unit is ``value / units``.
    """

    __tablename__ = "exchange_rates"
    audit_type = "exchange_rate"
    __table_args__ = (
        UniqueConstraint("source", "currency", "rate_date"),
        CheckConstraint("source IN ('nbk', 'cbu')", name="source_known"),
        CheckConstraint("value > 0 AND units > 0", name="positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(8))
    currency: Mapped[str] = mapped_column(String(3))  # the currency priced, e.g. USD
    quote: Mapped[str] = mapped_column(String(3))  # the source's own currency: KZT or UZS
    rate_date: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(20, 6))
    units: Mapped[int]
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def per_unit(self) -> Decimal:
        """Units of ``quote`` for one unit of ``currency`` (exact: ``units`` is a power of ten)."""
        return (self.value / self.units).normalize() if self.units != 1 else self.value.normalize()

    def __repr__(self) -> str:
        return f"<ExchangeRate {self.source} {self.currency}/{self.quote} {self.rate_date} {self.value}/{self.units}>"
