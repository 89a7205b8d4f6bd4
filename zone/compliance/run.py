"""The daily compliance run: every live certificate evaluated as of ``today``, the ladder walked.

Certificates are read in batches by id (keyset), each batch with a fixed number of queries (the batch's
columns the engine needs, its agreements and report heads, its open cases, its recorded benefit years) and
committed on its own, so memory stays flat
and a second run at once waits on, then skips, what the first did: cases, notices and benefit years are
unique in the database and cases move by compare-and-set (:mod:`zone.compliance.services`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from flask_babel import force_locale
from sqlalchemy import select

from zone.calendar import today as zone_today
from zone.certificates.models import LIVE_STATUSES, Certificate
from zone.compliance import facts as resident_facts
from zone.compliance import services
from zone.compliance.engine import BREACHED, evaluate
from zone.compliance.models import BenefitYearResult, ComplianceCase
from zone.compliance.ruleset import registry
from zone.compliance.workflow import Stage
from zone.database import unit_of_work
from zone.extensions import db

BATCH = 500


def _batch(after_id: int, size: int) -> list:
    """The next live certificates by id: only the columns the facts need (no PDF, no signed details)."""
    return db.session.execute(
        select(Certificate.id, Certificate.serial, Certificate.side, Certificate.status, Certificate.benefits,
               Certificate.application_id)
        .where(Certificate.status.in_([s.value for s in LIVE_STATUSES]), Certificate.id > after_id)
        .order_by(Certificate.id).limit(size)).all()


def _recorded_years(certificate_ids: list[int]) -> set[tuple[int, int, str]]:
    return set(db.session.execute(select(BenefitYearResult.certificate_id, BenefitYearResult.year,
                                         BenefitYearResult.code)
                                  .where(BenefitYearResult.certificate_id.in_(certificate_ids))).tuples())


def _resident(certificate_id: int, evaluation, cases: dict[str, ComplianceCase], years, today: date,
              counts: Counter) -> None:
    """Act on one resident's evaluation; the certificate row is loaded only when something is done."""
    snapshot = None
    loaded: Certificate | None = None

    def certificate() -> Certificate:
        nonlocal loaded
        loaded = loaded or db.session.get(Certificate, certificate_id)
        return loaded

    def kept():
        nonlocal snapshot
        snapshot = snapshot or services.store_snapshot(certificate_id, evaluation)
        return snapshot

    for case in cases.values():
        if services.follow_certificate(case, certificate(), today):
            counts["followed"] += 1
    for result in evaluation.results:
        if result.condition.effect != "sanction":
            continue
        case = cases.get(result.condition.id)
        if case is None or not case.open:
            if result.status != BREACHED:
                continue
            delay = int(evaluation.rule_set.param("compliance.warning_delay_days", today).value)
            if result.due is not None and today <= result.due + timedelta(days=delay):
                continue
            if services.open_case(certificate(), result, evaluation, kept(), today) is not None:
                counts["opened"] += 1
        elif result.status != BREACHED:
            if case.stage != Stage.REINSTATEMENT_PROPOSED and services.cure(case, today, kept()):
                counts["cured"] += 1
        elif case.next_step_on is not None and today >= case.next_step_on \
                and case.stage in (Stage.WARNED, Stage.SUSPENDED) and services.escalate(case, today, kept()):
            counts["escalated"] += 1
    for year in evaluation.benefit_years:
        if not year.applies and (certificate_id, year.year, year.code) not in years \
                and services.record_benefit_year(certificate(), year.year, year.code,
                                                 year.to_dict("en")["explanation"], kept(), today):
            counts["benefit_years"] += 1


def _end_dead_cases(today: date, counts: Counter) -> None:
    """Cases of certificates that are no longer live (revoked, expired, superseded) end with them."""
    dead = db.session.scalars(select(ComplianceCase).join(Certificate, Certificate.id == ComplianceCase.certificate_id)
                              .where(ComplianceCase.open.is_(True),
                                     Certificate.status.not_in([s.value for s in LIVE_STATUSES]))
                              .order_by(ComplianceCase.id).limit(BATCH)).all()
    for case in dead:
        if services.follow_certificate(case, case.certificate, today):
            counts["ended"] += 1
    db.session.commit()


def run(today: date, batch_size: int = BATCH) -> Counter:
    """Evaluate every live certificate as of ``today`` and act; commits per batch. Returns what it did."""
    counts: Counter = Counter()
    rule_set = registry().for_date(today)
    due_of = resident_facts.DueDates()
    last_id = 0
    while True:
        certificates = _batch(last_id, batch_size)
        if not certificates:
            break
        ids = [c.id for c in certificates]
        facts = resident_facts.load(certificates)
        cases = services.open_cases_of(ids)
        years = _recorded_years(ids)
        for certificate in certificates:
            evaluation = evaluate(rule_set, facts[certificate.id], today, due_of)
            counts["residents"] += 1
            counts[evaluation.status] += 1
            _resident(certificate.id, evaluation, cases.get(certificate.id, {}), years, today, counts)
        last_id = ids[-1]
        db.session.commit()
        db.session.expunge_all()
    _end_dead_cases(today, counts)
    return counts


def daily_run(today: date | None = None, batch_size: int = BATCH) -> Counter:
    """The daily run as of ``today`` (default the zone's today) in a unit of work of its own (the command and
    the worker); its letters and mails render their links against BASE_URL."""
    with unit_of_work(), force_locale("en"):
        return run(today or zone_today(), batch_size)
