"""Demo reports: the Kazakh resident reports on its agreement, so the cabinet, the queue and the reminders
have something to show: one report submitted, one returned with a question, one draft overdue and one
draft for the current quarter.

The demo agreement is made on the day of seeding; so that quarters have ended, its decision date is set
back to the start of the quarter three quarters ago (never before the rule set in force), once, audited.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from zone.accounts.models import User
from zone.agreements.models import Agreement
from zone.audit.services import record
from zone.calendar import today as zone_today
from zone.companies.models import Company
from zone.errors import ZoneError
from zone.extensions import db
from zone.reports import periods, queries, services

EARLIEST = date(2026, 1, 1)  # the default rule set's effective date
FIGURES = {
    "currency": "KZT", "investment_own": "150000000", "investment_borrowed": "80000000", "investment_foreign": "0",
    "jobs_total": 48, "jobs_local": 44, "jobs_foreign": 4, "payroll": "96000000", "revenue_total": "410000000",
    "revenue_priority": "385000000", "revenue_export": "120000000", "sales_to_other_side": "65000000",
    "purchases_from_other_side": "22000000", "taxes_paid": "31000000", "benefits_used": {},
    "output": [{"hs_code": "843280", "quantity": "120", "unit": "pcs", "value": "240000000"}],
}


def seed_reports(company: Company, applicant: User, reviewer: User) -> None:
    """Reports in several states on ``company``'s first agreement (once; nothing to do afterwards)."""
    agreement = db.session.scalars(select(Agreement).where(Agreement.company_id == company.id)
                                   .order_by(Agreement.id)).first()
    if agreement is None or queries.heads_of(agreement.id):
        return
    today = zone_today()
    start = periods.quarter_of(today).start
    for _ in range(3):
        start = periods.quarter_of(start - timedelta(days=1)).start
    start = max(start, EARLIEST)
    if start < agreement.decided_on:
        record("agreement.demo_backdate", agreement, actor_label="demo-seed",
               details={"number": agreement.number, "from": agreement.decided_on.isoformat(),
                        "to": start.isoformat()})
        agreement.decided_on = start
        db.session.flush()
    quarters = [p for p in services.open_periods(agreement, today) if p.kind == "quarterly"]
    ended = [p for p in quarters if p.end < today]
    plan = list(zip(ended, ("submit", "return", "draft"), strict=False))
    if quarters and quarters[-1] not in ended:
        plan.append((quarters[-1], "draft"))
    for period, state in plan:
        try:
            report = services.start(agreement, applicant, period.code, FIGURES if state != "draft" else
                                    {"currency": "KZT", "jobs_total": 50, "jobs_local": 45})
            if state in ("submit", "return"):
                services.submit(report, applicant)
            if state == "return":
                services.return_with_question(report, reviewer, "Экспорт вырос втрое за квартал: приложите, "
                                                                "пожалуйста, перечень экспортных контрактов.")
        except ZoneError:  # e.g. the rule set lacks the reporting terms: the demo simply has fewer reports
            db.session.rollback()
            return
