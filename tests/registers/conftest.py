"""Certificates made directly as rows (no rendering), with their status history, for the register."""

from __future__ import annotations

import hashlib
import itertools
import secrets
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import g

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def fresh_user_per_request(app):
    """Test requests share the ``ctx`` app context and so ``g``: drop Flask-Login's cached user."""
    app.teardown_request(lambda _exc: g.pop("_login_user", None))


def fake_pdf(serial: str) -> bytes:
    return b"%PDF-1.7\n% zone test certificate " + serial.encode() + b"\n" + secrets.token_bytes(64) + b"\n%%EOF\n"


@pytest.fixture
def make_certificate(app, make_user):
    """``make_certificate(company, side=, sector=, status=, issued_at=, valid_until=, history=[(action,
    to_status, at)])`` → the serial. The history's first line is the issue; the stored status is the
    last line's."""
    from zone.applications.models import Application
    from zone.certificates.models import Certificate, CertificateEvent
    from zone.extensions import db

    owners: dict[int, int] = {}

    def _make(company, *, side: str = "KZ", sector: str = "machinery", issued_at: datetime | None = None,
              valid_until: date | None = None, history: list | None = None, pdf: bytes | None = None,
              status: str | None = None) -> str:
        if company.id not in owners:
            owners[company.id] = make_user("applicant", company=company).id
        issued_at = issued_at or datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
        number = next(_numbers)
        serial = f"ICIC-{side}-{issued_at.year}-{number:06d}"
        content = pdf if pdf is not None else fake_pdf(serial)
        history = history or []
        steps = [("issue", "active", issued_at), *history]
        with app.app_context():
            application = Application(company_id=company.id, created_by_id=owners[company.id], status="approved",
                                      side=side, sector=sector, number=f"A-{issued_at.year}-{number:05d}")
            db.session.add(application)
            db.session.flush()
            certificate = Certificate(
                serial=serial, side=side, year=issued_at.year, number=number, application_id=application.id,
                company_id=company.id, status=status or steps[-1][1], company_name=company.name,
                company_tax_id=company.tax_id, sector=sector, activity_codes=["28.30"], issued_at=issued_at,
                valid_from=issued_at.date(), valid_until=valid_until or issued_at.date() + timedelta(days=365 * 7),
                benefits=[{"code": f"{side}_CIT" if side == "KZ" else "UZ_PROFIT_TAX", "periods": []}],
                verify_token=secrets.token_urlsafe(32), pdf=content, sha256=hashlib.sha256(content).hexdigest(),
                size=len(content), status_changed_at=steps[-1][2] if len(steps) > 1 else None,
            )
            db.session.add(certificate)
            db.session.flush()
            previous = None
            for action, to_status, at in steps:
                db.session.add(CertificateEvent(certificate_id=certificate.id, action=action, from_status=previous,
                                                to_status=to_status, at=at, effective_date=at.date(),
                                                reason=None if action == "issue" else "test"))
                previous = to_status
            db.session.commit()
        return serial

    return _make
