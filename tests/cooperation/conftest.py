"""Fixtures for cooperation: residents of either side made directly (an approved application and its live
certificate), with their products, and an API client for each."""

from __future__ import annotations

import hashlib
import itertools
import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

_serials = itertools.count(1)


@pytest.fixture
def make_resident(app, make_company, make_user, api_token):
    """``make_resident(side, products=[...], status="active")`` → namespace(company, user, headers, serial)."""
    from zone.applications.models import Application
    from zone.certificates.models import Certificate
    from zone.cooperation.services import publish_offers
    from zone.extensions import db

    def _make(side: str = "KZ", *, products: list[dict] | None = None, status: str = "active", name: str | None = None,
              investment_usd: str = "2500000", jobs: int = 120, decided_days: int = 30):
        n = next(_serials)
        company = make_company(name=name or f"{'ТОО' if side == 'KZ' else 'MChJ'} «Резидент {n}»",
                               registration_country=side)
        user = make_user("applicant", company=company)
        now = datetime.now(UTC)
        with app.test_request_context(method="POST"):
            application = Application(company_id=company.id, created_by_id=user.id, status="approved", side=side,
                                      sector="chemicals", number=f"A-2026-{n:05d}", decided_at=now,
                                      submitted_at=now - timedelta(days=decided_days), project_title="Завод",
                                      products=products or [], investment_usd=Decimal(investment_usd),
                                      jobs_total=jobs)
            db.session.add(application)
            db.session.flush()
            pdf = f"%PDF-1.7\n% certificate {n}\n%%EOF\n".encode()
            certificate = Certificate(
                serial=f"ICIC-{side}-2026-{n:06d}", side=side, year=2026, number=n, application_id=application.id,
                company_id=company.id, status=status, company_name=company.name, company_tax_id=company.tax_id,
                sector="chemicals", activity_codes=["22.21"], issued_at=now, valid_from=now.date(),
                valid_until=now.date() + timedelta(days=3650), benefits=[], verify_token=secrets.token_urlsafe(32),
                pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf))
            db.session.add(certificate)
            db.session.flush()
            publish_offers(application, certificate)
            db.session.commit()
            serial, certificate_id, application_id = certificate.serial, certificate.id, application.id
        return SimpleNamespace(company=company, user=user, headers=api_token(user), serial=serial, side=side,
                               application_id=application_id, certificate_id=certificate_id)

    return _make


PVC = [{"name": "PVC resin, suspension", "hs_code": "3904100000", "annual_volume": "12000", "unit": "t"}]
PIPES = [{"name": "PVC pipes", "hs_code": "391723", "annual_volume": "800", "unit": "t"}]
NEED_PVC = {"hs_code": "390410", "description": "PVC granules for window profiles", "annual_volume": "1500",
            "unit": "t"}


@pytest.fixture
def chain(make_resident):
    """A KZ maker of window profiles that needs PVC and a UZ maker of PVC resin."""
    buyer = make_resident("KZ", products=PIPES, name="ТОО «Профиль Туркестан»")
    maker = make_resident("UZ", products=PVC, name="MChJ «Navoiyazot PVX»")
    return SimpleNamespace(buyer=buyer, maker=maker)
