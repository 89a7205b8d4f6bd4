"""The two banks' feeds are parsed as published, and anything else is refused whole with a reason."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from zone.rates.feeds import SOURCES, FeedError, parse

FIXTURES = Path(__file__).with_name("fixtures")
NBK = (FIXTURES / "nbk_2026-03-10.xml").read_bytes()
CBU = (FIXTURES / "cbu_2026-03-10.json").read_bytes()
CBU_ALL = (FIXTURES / "cbu_all_2026-03-12.json").read_bytes()


def test_nbk_xml_gives_the_usd_rate_of_its_date():
    rate = parse("nbk", NBK)
    assert (rate.source, rate.currency, rate.quote) == ("nbk", "USD", "KZT")
    assert rate.rate_date == date(2026, 3, 10)
    assert rate.value == Decimal("505.34") and rate.units == 1


@pytest.mark.parametrize(
    ("content", "day", "value"), [(CBU, date(2026, 3, 10), "12650.55"), (CBU_ALL, date(2026, 3, 12), "12661.10")]
)
def test_cbu_json_gives_the_usd_rate_of_its_date(content, day, value):
    rate = parse("cbu", content)
    assert (rate.source, rate.currency, rate.quote, rate.rate_date) == ("cbu", "USD", "UZS", day)
    assert rate.value == Decimal(value) and rate.units == 1


def test_the_feed_urls_follow_each_bank_s_date_format():
    assert SOURCES["nbk"].url_for(date(2026, 3, 10)) == "https://nationalbank.kz/rss/get_rates.cfm?fdate=10.03.2026"
    assert SOURCES["cbu"].url_for(date(2026, 3, 10)) == "https://cbu.uz/uz/arkhiv-kursov-valyut/json/USD/2026-03-10/"


def _nbk(
    usd_item: str = "<title>USD</title><description>505.34</description><quant>1</quant>", day: str = "10.03.2026"
) -> bytes:
    return f"<rates><date>{day}</date><item>{usd_item}</item></rates>".encode()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    b"<rates><date>10.03.2026</date><item><title>USD</title><description>&lol2;</description></item></rates>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rates><date>&x;</date></rates>'
)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"<html><body>Service unavailable</body></html>", "<rates>"),
        (b"<rates><date>10.03.2026</date>", "not well-formed"),
        (BILLION_LAUGHS, "refused XML"),
        (EXTERNAL_ENTITY, "refused XML"),
        (_nbk(day="2026-03-10"), "DD.MM.YYYY"),
        (_nbk(day="31.02.2026"), "no such date"),
        (_nbk("<title>EUR</title><description>560.10</description><quant>1</quant>"), "USD"),
        (_nbk("<title>USD</title><description>-505.34</description><quant>1</quant>"), "505.34"),
        (_nbk("<title>USD</title><description>0</description><quant>1</quant>"), "above 0"),
        (_nbk("<title>USD</title><description>5,05</description><quant>1</quant>"), "505.34"),
        (_nbk("<title>USD</title><description>505.34</description><quant>0</quant>"), "units"),
        (_nbk("<title>USD</title><description>505.34</description>"), "units"),
        (b"x" * 2_000_001, "larger"),
    ],
)
def test_bad_nbk_files_are_refused_with_the_reason(content, reason):
    with pytest.raises(FeedError, match=reason):
        parse("nbk", content)


def _cbu(**changes) -> bytes:
    item = {"Ccy": "USD", "Nominal": "1", "Rate": "12650.55", "Date": "10.03.2026", **changes}
    return json.dumps([item]).encode()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<html>502 Bad Gateway</html>", "not valid JSON"),
        (b"\xff\xfe\x00", "UTF-8"),
        (b'"USD"', "JSON array"),
        (b"[1, 2]", "JSON array"),
        (b"[]", "USD"),
        (_cbu(Ccy="EUR"), "USD"),
        (_cbu(Rate=12650.55), "rate such as"),
        (_cbu(Rate="12 650,55"), "rate such as"),
        (_cbu(Rate="NaN"), "rate such as"),
        (_cbu(Date="2026-03-10"), "DD.MM.YYYY"),
        (_cbu(Nominal="3"), "units"),
        (json.dumps([{"Ccy": "USD", "Rate": "1", "Date": "10.03.2026"}] * 2).encode(), "2 objects"),
    ],
)
def test_bad_cbu_files_are_refused_with_the_reason(content, reason):
    with pytest.raises(FeedError, match=reason):
        parse("cbu", content)


def test_an_nbk_file_given_as_cbu_is_refused():
    with pytest.raises(FeedError):
        parse("cbu", NBK)
    with pytest.raises(FeedError):
        parse("nbk", CBU)
