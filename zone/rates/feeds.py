"""The two published rate feeds, parsed defensively.

- National Bank of Kazakhstan (``nbk``), XML, KZT per unit::

    <rates><date>10.03.2026</date>
      <item><fullname>ДОЛЛАР США</fullname><title>USD</title><description>505.34</description>
            <quant>1</quant><index>DOWN</index><change>-1.23</change></item> ...</rates>

- Central Bank of Uzbekistan (``cbu``), JSON, UZS per ``Nominal`` units::

    [{"Ccy": "USD", "CcyNm_RU": "Доллар США", "Nominal": "1", "Rate": "12650.55",
      "Date": "10.03.2026", ...}, ...]

:func:`parse` returns the USD rate of the file's date, or raises :class:`FeedError` saying what is
wrong: a file that is not exactly what the bank publishes is refused whole, nothing is taken from it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAX_BYTES = 2_000_000
CURRENCY = "USD"  # the currency the eligibility rules convert through
_DECIMAL = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,6})?\Z")
_UNITS = re.compile(r"^(1|10|100|1000|10000)\Z")
_DATE = re.compile(r"^[0-9]{2}\.[0-9]{2}\.[0-9]{4}\Z")


@dataclass(frozen=True, slots=True)
class Source:
    """A publisher of official rates: its code, its currency, its feed and its name for people."""

    code: str
    quote: str
    url: str  # with {date} to fill in
    url_date_format: str
    names: MappingProxyType  # per UI language, as the explanations use it

    def url_for(self, day: date) -> str:
        return self.url.format(date=day.strftime(self.url_date_format))


SOURCES: dict[str, Source] = {
    "nbk": Source(
        "nbk",
        "KZT",
        "https://nationalbank.kz/rss/get_rates.cfm?fdate={date}",
        "%d.%m.%Y",
        MappingProxyType(
            {
                "ru": "Национального банка Республики Казахстан",  # "официальный курс ..." (genitive)
                "en": "National Bank of Kazakhstan",
                "kk": "Қазақстан Республикасының Ұлттық Банкі",
                "uz": "Qozog'iston Respublikasi Milliy banki",
            }
        ),
    ),
    "cbu": Source(
        "cbu",
        "UZS",
        "https://cbu.uz/uz/arkhiv-kursov-valyut/json/USD/{date}/",
        "%Y-%m-%d",
        MappingProxyType(
            {
                "ru": "Центрального банка Республики Узбекистан",
                "en": "Central Bank of Uzbekistan",
                "kk": "Өзбекстан Республикасының Орталық банкі",
                "uz": "O'zbekiston Respublikasi Markaziy banki",
            }
        ),
    ),
}
SOURCE_BY_QUOTE = {source.quote: source for source in SOURCES.values()}


class FeedError(ValueError):
    """A feed that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class FeedRate:
    """The USD rate a feed publishes: ``value`` of the source's currency for ``units`` USD."""

    source: str
    currency: str
    quote: str
    rate_date: date
    value: Decimal
    units: int


def parse(source: str, content: bytes) -> FeedRate:
    """The USD rate in ``content``, a feed of ``source`` (``nbk`` or ``cbu``); :class:`FeedError` otherwise."""
    if source not in SOURCES:
        raise FeedError(f"unknown source {source!r} (one of {', '.join(SOURCES)})")
    if not content or not content.strip():
        raise FeedError("the file is empty")
    if len(content) > MAX_BYTES:
        raise FeedError(f"the file is larger than {MAX_BYTES} bytes")
    return _parse_nbk(content) if source == "nbk" else _parse_cbu(content)


def _day(text: Any, where: str) -> date:
    if not isinstance(text, str) or not _DATE.match(text.strip()):
        raise FeedError(f"{where}: expected a date as DD.MM.YYYY, got {_show(text)}")
    try:
        return datetime.strptime(text.strip(), "%d.%m.%Y").date()
    except ValueError:
        raise FeedError(f"{where}: no such date {_show(text)}") from None


def _value(text: Any, where: str) -> Decimal:
    if not isinstance(text, str) or not _DECIMAL.match(text.strip()):
        raise FeedError(f"{where}: expected a rate such as 505.34, got {_show(text)}")
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise FeedError(f"{where}: expected a rate such as 505.34, got {_show(text)}") from None
    if value <= 0:
        raise FeedError(f"{where}: the rate must be above 0, got {_show(text)}")
    return value


def _units(text: Any, where: str) -> int:
    text = str(text).strip() if isinstance(text, (str, int)) and not isinstance(text, bool) else None
    if text is None or not _UNITS.match(text):
        raise FeedError(f"{where}: expected 1, 10, 100, 1000 or 10000 units, got {_show(text)}")
    return int(text)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _parse_nbk(content: bytes) -> FeedRate:
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException as error:
        raise FeedError(f"refused XML construct: {type(error).__name__}") from None
    except ParseError as error:
        raise FeedError(f"not well-formed XML: {error}") from None
    if root.tag != "rates":
        raise FeedError(f"expected the <rates> document of the National Bank, got <{root.tag}>")
    day = _day(root.findtext("date"), "<date>")
    items = [item for item in root.findall("item") if (item.findtext("title") or "").strip() == CURRENCY]
    if not items:
        raise FeedError(f"no <item> with <title>{CURRENCY}</title> for {day:%d.%m.%Y}")
    if len(items) > 1:
        raise FeedError(f"{len(items)} <item>s with <title>{CURRENCY}</title>")
    item = items[0]
    value = _value(item.findtext("description"), f"{CURRENCY} <description>")
    units = _units(item.findtext("quant"), f"{CURRENCY} <quant>")
    return FeedRate("nbk", CURRENCY, "KZT", day, value, units)


def _parse_cbu(content: bytes) -> FeedRate:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FeedError("not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise FeedError(f"not valid JSON: {error.msg} at line {error.lineno}") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise FeedError("expected a JSON array of rate objects such as the Central Bank publishes")
    items = [item for item in data if item.get("Ccy") == CURRENCY]
    if not items:
        raise FeedError(f'no object with "Ccy": "{CURRENCY}"')
    if len(items) > 1:
        raise FeedError(f'{len(items)} objects with "Ccy": "{CURRENCY}"')
    item = items[0]
    day = _day(item.get("Date"), f"{CURRENCY} Date")
    value = _value(item.get("Rate"), f"{CURRENCY} Rate")
    units = _units(item.get("Nominal", "1"), f"{CURRENCY} Nominal")
    return FeedRate("cbu", CURRENCY, "UZS", day, value, units)
