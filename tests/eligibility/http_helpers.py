"""Helpers for the eligibility HTTP tests: a candidate rule set, its cases, applications."""

from __future__ import annotations

from decimal import Decimal

from .helpers import SHIPPED_YAML

MIN_LINE = (
    '      - {from: 2026-01-01, value: 300000, verified: true, reference: "FEZ decrees (Navoi, Syrdarya); '
    'Law ZRU-604 of 17 Feb 2020"}\n'
)
assert MIN_LINE in SHIPPED_YAML

#: 2026.2: from 2026-07-01 the UZ minimum investment is USD 500,000.
CANDIDATE_YAML = (
    SHIPPED_YAML.replace('version: "2026.1"', 'version: "2026.2"')
    .replace("effective_from: 2026-01-01", "effective_from: 2026-07-01")
    .replace(
        MIN_LINE,
        MIN_LINE + '      - {from: 2026-07-01, value: 500000, verified: true, reference: "Test decree"}\n',
    )
)

CANDIDATE_CASES = """
defaults:
  UZ: {side: UZ, registration_country: UZ, is_legal_entity: true, activity_codes: ["28.30"],
       investment_amount: 400000, investment_currency: USD, capital_shares: {UZ: 100}}
cases:
  - {name: before_2026_2, on_date: 2026-06-30, facts: {side: UZ}, expect: {rule_set: "2026.1", admitted: true}}
  - {name: from_2026_2, on_date: 2026-07-01, facts: {side: UZ},
     expect: {rule_set: "2026.2", admitted: false, failed: [uz.min_investment]}}
"""

FAILING_CASES = CANDIDATE_CASES.replace("admitted: false, failed", "admitted: true, failed")

UZ_BODY = {
    "side": "UZ",
    "registration_country": "UZ",
    "is_legal_entity": True,
    "activity_codes": ["28.30"],
    "investment_amount": "400000",
    "investment_currency": "USD",
    "capital_shares": {"UZ": 60, "KZ": 40},
}


def make_application(app, make_user, amount="400000", status="submitted"):
    """A UZ application of a new company (registered in UZ); returns its id."""
    from zone.applications.models import Application
    from zone.companies.models import Company
    from zone.extensions import db

    user = make_user("applicant")
    with app.app_context():
        company = db.session.get(Company, user.company_id)
        company.registration_country = "UZ"
        company.tax_id = f"3{user.id:08d}"
        application = Application(
            company_id=user.company_id,
            created_by_id=user.id,
            status=status,
            side="UZ",
            project_title="Drip irrigation pipes",
            activity_codes=["22.21"],
            investment_amount=Decimal(amount),
            investment_currency="USD",
            capital_shares={"UZ": 60, "KZ": 40},
        )
        db.session.add(application)
        db.session.commit()
        return application.id
