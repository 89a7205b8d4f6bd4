"""The company (legal entity) that applies for residency."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zone.database import utcnow
from zone.extensions import db


class Company(db.Model):
    __tablename__ = "companies"
    __table_args__ = (
        UniqueConstraint("registration_country", "tax_id"),
        CheckConstraint("length(registration_country) = 2", name="country_alpha2"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))  # legal name in Russian (or the original)
    name_en: Mapped[str | None] = mapped_column(String(300))
    legal_form: Mapped[str | None] = mapped_column(String(100))
    registration_country: Mapped[str] = mapped_column(String(2))
    tax_id: Mapped[str] = mapped_column(String(20), index=True)
    is_legal_entity: Mapped[bool] = mapped_column(default=True)
    address: Mapped[str | None] = mapped_column(String(500))
    director_name: Mapped[str | None] = mapped_column(String(200))
    contact_person: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.tax_id}>"
