"""Demo compliance: the daily run as of the seeding day warns the Kazakh resident about its overdue report;
the Uzbek resident, which has not countersigned its agreement, is shown one step further, proposed for
suspension by the reviewer and waiting for the approver's decision.

The Uzbek agreement is made on the day of seeding, so its conclusion term is moved into the past (recorded
in the audit trail as a demo backdating) and its case is opened as of that term's end.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from zone.accounts.models import User
from zone.agreements.models import Agreement, AgreementStatus
from zone.audit.services import record
from zone.calendar import today as zone_today
from zone.certificates.models import Certificate
from zone.companies.models import Company
from zone.compliance import queries, services
from zone.compliance.models import ComplianceCase
from zone.compliance.run import run
from zone.extensions import db


def seed_compliance(uz_company: Company, reviewer: User) -> None:
    """A warned case (the daily run) and a case proposed for suspension (once; nothing to do afterwards)."""
    if db.session.scalar(select(ComplianceCase.id).limit(1)) is not None:
        return
    today = zone_today()
    agreement = db.session.scalars(select(Agreement).where(
        Agreement.company_id == uz_company.id, Agreement.status == AgreementStatus.AWAITING_COMPANY_SIGNATURE)).first()
    if agreement is not None:
        opened = today - timedelta(days=70)
        record("agreement.demo_backdate", agreement, actor_label="demo-seed", details={
            "number": agreement.number, "from": agreement.decided_on.isoformat(),
            "to": (opened - timedelta(days=31)).isoformat()})
        agreement.decided_on, agreement.countersign_due = opened - timedelta(days=31), opened - timedelta(days=1)
        db.session.flush()
        certificate = db.session.get(Certificate, agreement.certificate_id)
        evaluation = queries.evaluation(certificate, opened)
        result = evaluation.result("agreement.countersigned")
        if result is not None and result.status == "breached":
            snapshot = services.store_snapshot(certificate.id, evaluation)
            case = services.open_case(certificate, result, evaluation, snapshot, opened)
            if case is not None and services.escalate(case, today, snapshot):
                services.propose(case, reviewer, "Договор не подписан компанией после предупреждения.", today)
        db.session.commit()
    run(today)
