"""Eligibility services: the registry in force, checks, application evaluations and snapshots.

Rule-set administration (upload, cases, diff, impact, four-eyes activation) is in
:mod:`zone.eligibility.admin`. Services never read ``request`` and never commit.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.audit.services import record
from zone.calendar import today
from zone.errors import ValidationFailed
from zone.extensions import db
from zone.rates.services import StoredRates

from .compiled import RuleSet
from .engine import Evaluation, evaluate
from .facts import FACT_TYPES, KZ_ONLY, Facts, FactsError, validate_facts
from .models import EligibilitySnapshot, RuleSetStatus, RuleSetVersion, SnapshotKind
from .registry import NoRuleSetError, RuleSetRegistry, default_registry
from .render import render_snapshot
from .ruleset import load_rule_set

_lock = threading.Lock()
_compiled: dict[str, RuleSet] = {}  # sha256 of the YAML -> compiled rule set (never changes)
_registry: tuple[tuple, RuleSetRegistry] | None = None


def compiled_rule_set(row: RuleSetVersion) -> RuleSet:
    """The compiled rule set of a stored version, compiled once per process."""
    rule_set = _compiled.get(row.sha256)
    if rule_set is None:
        rule_set = load_rule_set(row.source)
        with _lock:
            _compiled[row.sha256] = rule_set
    return rule_set


def current_registry() -> RuleSetRegistry:
    """The shipped rule sets plus every active stored version.

    One small query per call tells whether the set of active versions changed (in this or another
    process); the registry is rebuilt only then, and each YAML is compiled only once.
    """
    global _registry
    rows = db.session.execute(
        select(RuleSetVersion.id, RuleSetVersion.sha256)
        .where(RuleSetVersion.status == RuleSetStatus.ACTIVE)
        .order_by(RuleSetVersion.id)
    ).all()
    key = tuple((r.id, r.sha256) for r in rows)
    cached = _registry
    if cached is not None and cached[0] == key:
        return cached[1]
    active = [compiled_rule_set(db.session.get(RuleSetVersion, r.id)) for r in rows]
    registry = default_registry().with_rule_sets(active)
    with _lock:
        _registry = (key, registry)
    return registry


def official_rates() -> StoredRates:
    """The imported official exchange rates; evaluations fall back to the rule set's where none is."""
    return StoredRates()


def invalidate_registry() -> None:
    """Forget the cached registry (activation does this; other processes notice by themselves)."""
    global _registry
    with _lock:
        _registry = None


def _invalid_facts(error: FactsError) -> ValidationFailed:
    fields = {name: [gettext(message) for message in messages] for name, messages in error.fields.items()}
    return ValidationFailed(_l("Some facts are missing or not valid."), fields=fields)


def no_rule_set_error(on_date: date) -> ValidationFailed:
    return ValidationFailed(
        _l("No rule set is in force on %(date)s.", date=on_date.isoformat()),
        code="no_rule_set",
        fields={"on_date": [gettext("No rule set is in force on this date.")]},
    )


def parse_on_date(raw: Any) -> date:
    """An ISO date from user input (None or "" -> today); 422 on ``on_date`` otherwise."""
    if raw in (None, ""):
        return today()
    if isinstance(raw, date):
        return raw
    try:
        if isinstance(raw, str) and len(raw) == 10:
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise ValidationFailed(
        _l("Some facts are missing or not valid."),
        fields={"on_date": [gettext("Enter a date as YYYY-MM-DD.")]},
    )


def check_facts(data: dict, on_date: date) -> Evaluation:
    """The public benefits check: validate facts and evaluate them under the rules in force.

    Raises 422 :class:`ValidationFailed` naming each bad fact, or ``on_date`` when no rule set is in
    force that day.
    """
    try:
        facts = validate_facts(data)
    except FactsError as error:
        raise _invalid_facts(error) from None
    try:
        return evaluate(facts, on_date, current_registry(), rates=official_rates())
    except NoRuleSetError:
        raise no_rule_set_error(on_date) from None


def application_facts_data(application) -> dict:
    """The facts of an application (and its company) as :func:`validate_facts` reads them."""
    company = application.company
    data = {
        "side": application.side,
        "registration_country": company.registration_country if company else None,
        "is_legal_entity": company.is_legal_entity if company else None,
        "activity_codes": application.activity_codes,
        "investment_amount": application.investment_amount,
        "investment_currency": application.investment_currency,
        "capital_shares": application.capital_shares,
        "priority_income_share": application.priority_income_share,
        "has_branches_outside_zone": application.has_branches_outside_zone,
    }
    if application.side != "KZ":  # KZ-only facts are not asked of a UZ applicant
        data = {k: v for k, v in data.items() if k not in KZ_ONLY or v is not None}
    return {k: v for k, v in data.items() if k in FACT_TYPES and v is not None}


def facts_of(application) -> Facts:
    """Validated facts of an application; 422 naming each missing or bad one."""
    try:
        return validate_facts(application_facts_data(application))
    except FactsError as error:
        raise _invalid_facts(error) from None


def evaluate_application(application, on_date: date | None = None) -> Evaluation:
    """Evaluate an application's facts on ``on_date`` (default today) under the rules in force.

    Raises 422 when facts are missing or invalid, or no rule set is in force.
    """
    on_date = on_date or today()
    facts = facts_of(application)
    try:
        return evaluate(facts, on_date, current_registry(), rates=official_rates())
    except NoRuleSetError:
        raise no_rule_set_error(on_date) from None


def take_snapshot(application, kind: str, on_date: date | None, actor) -> EligibilitySnapshot:
    """Evaluate the application and store the result, immutable, with the audit event
    ``eligibility.snapshot``. ``kind`` is a :class:`SnapshotKind` value."""
    return store_snapshot(application, kind, evaluate_application(application, on_date), actor)


def store_snapshot(application, kind: str, evaluation: Evaluation, actor) -> EligibilitySnapshot:
    """Store ``evaluation``, the very one a step was decided on (it is not evaluated again), immutable,
    with the audit event ``eligibility.snapshot``."""
    kind = SnapshotKind(kind)
    snapshot = evaluation.to_snapshot()
    row = EligibilitySnapshot(
        application_id=application.id,
        kind=kind,
        rule_set_version=evaluation.rule_set.version,
        on_date=evaluation.on_date,
        facts=snapshot["facts"],
        result=snapshot,
        admitted=evaluation.admitted,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(row)
    db.session.flush()
    record(
        "eligibility.snapshot",
        row,
        actor=actor,
        details={
            "application_id": application.id,
            "kind": kind.value,
            "rule_set": evaluation.rule_set.version,
            "on_date": evaluation.on_date,
            "admitted": evaluation.admitted,
            "benefits": list(evaluation.eligible_benefits),
        },
    )
    return row


def snapshots_of(application) -> list[EligibilitySnapshot]:
    """Stored snapshots of an application, oldest first."""
    stmt = (
        select(EligibilitySnapshot)
        .where(EligibilitySnapshot.application_id == application.id)
        .order_by(EligibilitySnapshot.id)
    )
    return list(db.session.scalars(stmt))


def latest_snapshot(application, kind: str | None = None) -> EligibilitySnapshot | None:
    """The newest snapshot of an application (of ``kind`` when given)."""
    stmt = select(EligibilitySnapshot).where(EligibilitySnapshot.application_id == application.id)
    if kind:
        stmt = stmt.where(EligibilitySnapshot.kind == kind)
    return db.session.scalars(stmt.order_by(EligibilitySnapshot.id.desc()).limit(1)).first()


def snapshot_view(snapshot: EligibilitySnapshot, locale: str) -> dict:
    """A stored snapshot in the API shape (as ``POST /eligibility/check`` answers), in ``locale``."""
    return render_snapshot(snapshot.result, locale)
