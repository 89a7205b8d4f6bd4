"""Rule-set administration: upload, validate, run cases, diff, impact, four-eyes activation.

Every state change is audited (``rule_set.upload``, ``rule_set.request_activation``,
``rule_set.activate``, ``rule_set.retire``). Activation needs a passing case run and a second admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.audit.services import record
from zone.calendar import today
from zone.database import get_for_update, utcnow
from zone.errors import Conflict, Forbidden, NotFound, ValidationFailed
from zone.extensions import db

from .cases import CaseReport, CasesError, run_cases
from .checks import Problem
from .compiled import RuleSet
from .diff import Change, diff_rule_sets
from .engine import evaluate
from .facts import FactsError, validate_facts
from .models import RuleSetStatus, RuleSetVersion
from .registry import NoRuleSetError, shipped_rule_sets
from .ruleset import RuleSetError, load_rule_set
from .services import application_facts_data, compiled_rule_set, current_registry, invalidate_registry, official_rates

OPEN_STATUSES = ("submitted", "in_review", "info_requested", "recommended")
MAX_IMPACT_APPLICATIONS = 2000


@dataclass(frozen=True)
class RuleSetEntry:
    """A rule set as the admin pages and the API list it: shipped (file) or uploaded (row)."""

    version: str
    effective_from: date
    status: str
    origin: str  # shipped | uploaded
    rule_set: RuleSet | None
    row: RuleSetVersion | None = None

    def to_dict(self) -> dict:
        data = {
            "version": self.version,
            "effective_from": self.effective_from.isoformat(),
            "status": self.status,
            "origin": self.origin,
        }
        if self.rule_set is not None:
            data["sha256"] = self.rule_set.sha256
        return data


def rule_set_entries(include_unpublished: bool = True) -> list[RuleSetEntry]:
    """Shipped rule sets and stored versions, newest effective date first.

    ``include_unpublished=False`` (the public API) lists only shipped and active ones.
    """
    entries = [
        RuleSetEntry(r.version, r.effective_from, RuleSetStatus.ACTIVE, "shipped", r) for r in shipped_rule_sets()
    ]
    stmt = select(RuleSetVersion).order_by(RuleSetVersion.effective_from.desc(), RuleSetVersion.id.desc())
    if not include_unpublished:
        stmt = stmt.where(RuleSetVersion.status == RuleSetStatus.ACTIVE)
    for row in db.session.scalars(stmt):
        entries.append(
            RuleSetEntry(row.version, row.effective_from, row.status, "uploaded", compiled_rule_set(row), row)
        )
    return sorted(entries, key=lambda e: (e.effective_from, e.version), reverse=True)


def get_entry(version: str, include_unpublished: bool = True) -> RuleSetEntry:
    """One rule set by version; 404 when unknown (or unpublished and not asked for)."""
    for entry in rule_set_entries(include_unpublished):
        if entry.version == version:
            return entry
    raise NotFound(_l("No rule set %(version)s.", version=version))


def _rule_set_errors(error: RuleSetError) -> ValidationFailed:
    fields: dict[str, list[str]] = {}
    for path, message in error.errors:
        fields.setdefault(path, []).append(message.translated(gettext) if isinstance(message, Problem) else message)
    return ValidationFailed(
        _l("The rule set is not valid; see each place listed."), code="invalid_rule_set", fields=fields
    )


def validate_source(source: str) -> RuleSet:
    """Compile YAML text; 422 whose ``fields`` maps each place (``benefits[2].period``) to its problems."""
    try:
        return load_rule_set(source)
    except RuleSetError as error:
        raise _rule_set_errors(error) from None


def run_candidate_cases(rule_set: RuleSet, cases_source: str | None) -> CaseReport:
    """Run a case file with ``rule_set`` added to the registry in force; an empty report without one."""
    if not cases_source or not cases_source.strip():
        return CaseReport(())
    try:
        return run_cases(cases_source, current_registry(), rule_set=rule_set)
    except CasesError as error:
        fields: dict[str, list[str]] = {}
        for path, message in error.errors:
            fields.setdefault(f"cases.{path}", []).append(message)
        raise ValidationFailed(_l("The case file is not valid."), code="invalid_cases", fields=fields) from None


def upload_rule_set(source: str, actor, cases_source: str | None = None) -> RuleSetVersion:
    """Store a new draft version after validating it and running its cases (the report is kept).

    409 when the version exists already (shipped or stored).
    """
    rule_set = validate_source(source)
    if any(e.version == rule_set.version for e in rule_set_entries()):
        raise Conflict(
            _l("Rule set %(version)s exists already; give the new one another version.", version=rule_set.version),
            code="version_exists",
            fields={"version": [gettext("This version exists already.")]},
        )
    report = run_candidate_cases(rule_set, cases_source)
    row = RuleSetVersion(
        version=rule_set.version,
        source=source,
        sha256=rule_set.sha256,
        status=RuleSetStatus.DRAFT,
        effective_from=rule_set.effective_from,
        cases_source=cases_source or None,
        cases_report=report.to_dict(),
        uploaded_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    record(
        "rule_set.upload",
        row,
        actor=actor,
        details={
            "version": row.version,
            "effective_from": row.effective_from,
            "sha256": row.sha256,
            "cases_passed": report.passed,
            "cases_failed": report.failed,
        },
    )
    return row


def _locked(version: str) -> RuleSetVersion:
    row = db.session.scalar(select(RuleSetVersion).where(RuleSetVersion.version == version))
    row = get_for_update(RuleSetVersion, row.id) if row else None
    if row is None:
        raise NotFound(_l("No uploaded rule set %(version)s.", version=version))
    return row


def request_activation(version: str, actor) -> RuleSetVersion:
    """Draft -> pending activation, when its cases ran and all passed (409 otherwise)."""
    row = _locked(version)
    if row.status != RuleSetStatus.DRAFT:
        raise Conflict(_l("Only a draft can be put forward for activation."), code="illegal_transition")
    report = row.cases_report or {}
    if not report.get("ok"):
        raise Conflict(
            _l("Activation needs test cases that all pass; upload the rule set with its cases."),
            code="cases_not_passing",
        )
    row.status = RuleSetStatus.PENDING_ACTIVATION
    row.activation_requested_by_id = actor.id
    row.activation_requested_at = utcnow()
    record("rule_set.request_activation", row, actor=actor, details={"version": row.version})
    return row


def activate(version: str, actor) -> RuleSetVersion:
    """Pending -> active, by an admin other than the one who asked (403 for the same one)."""
    row = _locked(version)
    if row.status != RuleSetStatus.PENDING_ACTIVATION:
        raise Conflict(_l("Only a rule set pending activation can be activated."), code="illegal_transition")
    if row.activation_requested_by_id == actor.id:
        raise Forbidden(
            _l("Another admin must activate it: the one who asked for activation cannot."), code="four_eyes"
        )
    taken = [
        e for e in rule_set_entries() if e.status == RuleSetStatus.ACTIVE and e.effective_from == row.effective_from
    ]
    if taken:
        raise Conflict(
            _l("Rule set %(other)s already takes effect on that date.", other=taken[0].version),
            code="effective_date_taken",
        )
    row.status = RuleSetStatus.ACTIVE
    row.activated_by_id = actor.id
    row.activated_at = utcnow()
    db.session.flush()
    record(
        "rule_set.activate",
        row,
        actor=actor,
        details={
            "version": row.version,
            "effective_from": row.effective_from,
            "sha256": row.sha256,
            "requested_by_id": row.activation_requested_by_id,
        },
    )
    invalidate_registry()
    return row


def retire(version: str, actor) -> RuleSetVersion:
    """Active or draft -> retired: no longer used for new evaluations."""
    row = _locked(version)
    if row.status == RuleSetStatus.RETIRED:
        raise Conflict(_l("The rule set is retired already."), code="illegal_transition")
    row.status = RuleSetStatus.RETIRED
    row.retired_at = utcnow()
    db.session.flush()
    record("rule_set.retire", row, actor=actor, details={"version": row.version})
    invalidate_registry()
    return row


def diff_against_current(candidate: RuleSet, on_date: date | None = None) -> tuple[RuleSet | None, list[Change]]:
    """The rule set in force on ``on_date`` (default: the candidate's effective date, else today)
    and the changes from it to ``candidate``."""
    on_date = on_date or max(candidate.effective_from, today())
    try:
        current = current_registry().for_date(on_date)
    except NoRuleSetError:
        return None, []
    if current.version == candidate.version:
        earlier = [r for r in current_registry() if r.effective_from < candidate.effective_from]
        current = earlier[-1] if earlier else None
        if current is None:
            return None, []
    return current, diff_rule_sets(current, candidate)


@dataclass(frozen=True)
class ImpactRow:
    """One open application: its outcome now and under the candidate."""

    application: object
    before: tuple | None
    after: tuple | None
    note: str | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def impact(candidate: RuleSet, on_date: date | None = None) -> tuple[date, list[ImpactRow]]:
    """Which open applications would change outcome (admission, benefits or periods) if the
    candidate were in force on ``on_date`` (default: its effective date or today, the later)."""
    from zone.applications.models import Application

    on_date = on_date or max(candidate.effective_from, today())
    registry = current_registry()
    with_candidate = registry.with_rule_sets([candidate])
    stmt = (
        select(Application)
        .where(Application.status.in_(OPEN_STATUSES))
        .order_by(Application.id)
        .limit(MAX_IMPACT_APPLICATIONS)
    )
    rows = []
    rates = official_rates()  # one lookup per date for the whole run
    for application in db.session.scalars(stmt):
        try:
            facts = validate_facts(application_facts_data(application))
        except FactsError:
            rows.append(ImpactRow(application, None, None, "incomplete"))
            continue
        outcomes = []
        for reg in (registry, with_candidate):
            try:
                outcomes.append(evaluate(facts, on_date, reg, rates=rates).outcome())
            except NoRuleSetError:
                outcomes.append(None)
        rows.append(ImpactRow(application, outcomes[0], outcomes[1]))
    return on_date, rows
