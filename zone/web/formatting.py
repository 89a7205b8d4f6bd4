"""Locale-aware formatting for templates: every number and date is shown the user's way."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from flask import Flask
from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
    gettext,
)

from zone.vocabulary import country_name


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def fmt_date(value: date | datetime | str | None, format: str = "medium") -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = _aware(value)
    return format_date(value, format=format)


def fmt_datetime(value: datetime | str | None, format: str = "medium") -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return format_datetime(_aware(value), format=format)


def fmt_number(value: int | float | Decimal | str | None, digits: int | None = None) -> str:
    if value in (None, ""):
        return "—"
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if digits is not None:
        return format_decimal(number, format="#,##0." + "0" * digits if digits else "#,##0")
    return format_decimal(number)


def fmt_money(value: int | float | Decimal | str | None, currency: str | None) -> str:
    if value in (None, ""):
        return "—"
    if not currency:
        return fmt_number(value, 2)
    return format_currency(Decimal(str(value)), currency)


def fmt_percent(value: int | float | Decimal | str | None) -> str:
    if value in (None, ""):
        return "—"
    return format_percent(Decimal(str(value)) / 100, format="#,##0.##%")


def fmt_size(value: int | None) -> str:
    """A file's size, one style everywhere and the same units as the messages on size limits: 512 Б, 48 КБ,
    1,5 МБ (binary multiples)."""
    if value in (None, ""):
        return "—"
    size = int(value)
    if size < 1024:
        return gettext("%(n)s B", n=format_decimal(size))
    if size < 1024 * 1024:
        return gettext("%(n)s KB", n=format_decimal(round(size / 1024)))
    return gettext("%(n)s MB", n=format_decimal(size / (1024 * 1024), format="#,##0.0"))


def fmt_country(code: str | None) -> str:
    """A country's name in the user's language (the code itself when unknown)."""
    if not code:
        return "—"
    return country_name(code, str(get_locale() or "ru"))


def day_before(value: date | datetime | str | None) -> date | None:
    """The day before ``value``: a half-open period's ``until`` read as its last day ("through")."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return value - timedelta(days=1)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        fmt_date=fmt_date, fmt_datetime=fmt_datetime, fmt_number=fmt_number, fmt_money=fmt_money,
        fmt_percent=fmt_percent, fmt_country=fmt_country, fmt_size=fmt_size,
    )
    app.jinja_env.filters.update(
        date=fmt_date, datetime=fmt_datetime, number=fmt_number, percent=fmt_percent, country=fmt_country,
        filesize=fmt_size, day_before=day_before,
    )
