"""``flask --app wsgi rates import``: stores dated rates with their source, audited; a bad file stores nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

FIXTURES = Path(__file__).with_name("fixtures")
NBK = FIXTURES / "nbk_2026-03-10.xml"
CBU = FIXTURES / "cbu_2026-03-10.json"


def _rows(app):
    from zone.extensions import db
    from zone.rates.models import ExchangeRate

    with app.app_context():
        return [
            (r.source, r.currency, r.quote, r.rate_date, r.value, r.units)
            for r in db.session.scalars(select(ExchangeRate).order_by(ExchangeRate.id))
        ]


def _audit(app) -> list[dict]:
    from zone.audit.models import AuditEvent
    from zone.extensions import db

    with app.app_context():
        return [e.details for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "rates.import"))]


def test_import_files_of_both_banks(app, runner):
    result = runner.invoke(args=["rates", "import", "--source", "nbk", "--file", str(NBK)])
    assert result.exit_code == 0, result.output
    assert "USD/KZT 10.03.2026: 505.34 (stored)" in result.output
    result = runner.invoke(args=["rates", "import", "--source", "cbu", "--file", str(CBU)])
    assert result.exit_code == 0, result.output
    assert _rows(app) == [
        ("nbk", "USD", "KZT", date(2026, 3, 10), Decimal("505.34"), 1),
        ("cbu", "USD", "UZS", date(2026, 3, 10), Decimal("12650.55"), 1),
    ]
    details = _audit(app)
    assert [(d["source"], d["value"], d["outcome"]) for d in details] == [
        ("nbk", "505.34", "stored"),
        ("cbu", "12650.55", "stored"),
    ]
    listing = runner.invoke(args=["rates", "list"])
    assert "2026-03-10\tcbu\tUSD/UZS\t12650.55" in listing.output


def test_importing_again_changes_nothing_and_a_correction_replaces_the_value(app, runner, tmp_path):
    runner.invoke(args=["rates", "import", "--source", "nbk", "--file", str(NBK)])
    again = runner.invoke(args=["rates", "import", "--source", "nbk", "--file", str(NBK)])
    assert again.exit_code == 0 and "(unchanged)" in again.output
    corrected = tmp_path / "nbk.xml"
    corrected.write_text(NBK.read_text(encoding="utf-8").replace("505.34", "505.40"), encoding="utf-8")
    result = runner.invoke(args=["rates", "import", "--source", "nbk", "--file", str(corrected)])
    assert result.exit_code == 0 and "replaces 505.34/1" in result.output
    assert [row[4] for row in _rows(app)] == [Decimal("505.40")]
    assert [d["outcome"] for d in _audit(app)] == ["stored", "replaced"]


@pytest.mark.parametrize(
    ("source", "content", "message"),
    [
        ("nbk", b"<html>maintenance</html>", "expected the <rates> document"),
        (
            "nbk",
            b"<rates><date>10.03.2026</date><item><title>USD</title>"
            b"<description>abc</description><quant>1</quant></item></rates>",
            "rate such as 505.34",
        ),
        ("cbu", b"{not json", "not valid JSON"),
        ("cbu", CBU.read_bytes(), None),  # a CBU file given as NBK below
    ],
)
def test_a_bad_file_is_a_clear_error_and_stores_nothing(app, runner, tmp_path, source, content, message):
    path = tmp_path / "feed"
    path.write_bytes(content)
    wrong_source = "nbk" if message is None else source
    result = runner.invoke(args=["rates", "import", "--source", wrong_source, "--file", str(path)])
    assert result.exit_code != 0
    assert "nothing was stored" in result.output
    if message:
        assert message in result.output
    assert _rows(app) == [] and _audit(app) == []


def test_a_file_for_another_day_than_asked_is_refused(app, runner):
    result = runner.invoke(args=["rates", "import", "--source", "nbk", "--file", str(NBK), "--date", "2026-03-11"])
    assert result.exit_code != 0
    assert "for 10.03.2026, not for the requested 11.03.2026" in result.output
    assert _rows(app) == []


def test_without_a_file_the_bank_s_feed_for_the_date_is_read(app, runner, monkeypatch):
    from zone.rates import services

    asked = []

    def fake_fetch(source, day):
        asked.append((source, day))
        return CBU.read_bytes()

    monkeypatch.setattr(services, "fetch", fake_fetch)
    result = runner.invoke(args=["rates", "import", "--source", "cbu", "--date", "2026-03-10"])
    assert result.exit_code == 0, result.output
    assert asked == [("cbu", date(2026, 3, 10))]
    assert _rows(app)[0][:4] == ("cbu", "USD", "UZS", date(2026, 3, 10))


def test_an_unreachable_site_is_a_clear_error(app, runner, monkeypatch):
    from zone.rates import services
    from zone.rates.feeds import FeedError

    def unreachable(source, day):
        raise FeedError("https://nationalbank.kz/... could not be read: timed out")

    monkeypatch.setattr(services, "fetch", unreachable)
    result = runner.invoke(args=["rates", "import", "--source", "nbk", "--date", "2026-03-10"])
    assert result.exit_code != 0 and "could not be read" in result.output and "nothing was stored" in result.output
    with app.app_context():
        from zone.extensions import db
        from zone.rates.models import ExchangeRate

        assert db.session.scalar(select(func.count()).select_from(ExchangeRate)) == 0


def test_bad_options_are_refused(runner):
    assert runner.invoke(args=["rates", "import", "--source", "ecb"]).exit_code != 0
    result = runner.invoke(args=["rates", "import", "--source", "nbk", "--date", "10.03.2026"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
