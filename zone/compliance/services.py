"""Compliance cases: opening one on a breach, the notices, the steps of the ladder and people's decisions.

Every function works in the caller's transaction (flush, never commit). A case moves only through
:func:`advance`, which checks the transition table and applies the change with a compare-and-set on the
case's ``version``: of two daily runs (or a run and a person) acting on one case at once, exactly one
moves it and only that one sends the notice, queues the mail and writes the audit event.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from zone.accounts.models import User
from zone.applications.services import company_users
from zone.audit.services import record
from zone.certificates import sanctions
from zone.certificates.lifecycle import clean_reason
from zone.certificates.models import Certificate, ProposalStatus
from zone.certificates.notices import event_data
from zone.certificates.workflow import Action as CertificateAction
from zone.compliance import letters
from zone.compliance.engine import Evaluation, Result
from zone.compliance.models import BenefitYearResult, ComplianceCase, ComplianceNotice, ComplianceSnapshot
from zone.compliance.workflow import DUE, PROPOSED, Action, Stage, target
from zone.database import get_for_update, utcnow
from zone.errors import Conflict, Forbidden, NotFound
from zone.events.services import emit
from zone.extensions import db
from zone.mail.services import queue_mail

RUN = "compliance-run"


def store_snapshot(certificate_id: int, evaluation: Evaluation) -> ComplianceSnapshot:
    """Keep ``evaluation`` as it decided something: its rule set, fingerprint and texts."""
    snapshot = ComplianceSnapshot(certificate_id=certificate_id, on_date=evaluation.on_date,
                                  rule_set_version=evaluation.rule_set.version,
                                  rule_set_sha256=evaluation.rule_set.sha256, status=evaluation.status,
                                  result=evaluation.snapshot())
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def _result_of(case: ComplianceCase) -> dict:
    """The case's condition as the evaluation that last moved it explained it, in each stored language
    (ru and en always; kk and uz in evaluations stored since the rule set has them)."""
    stored = case.snapshot.result
    return {lang: next((c for c in stored[lang]["conditions"] if c["id"] == case.condition_id), {})
            for lang in stored}


def notify(case: ComplianceCase, kind: str, today: date, *, letter: bool = True) -> ComplianceNotice | None:
    """Send the ``kind`` notice of ``case`` once: the mail to the company's people and the signed letter.

    The notice row is unique per case and kind; a run that loses the race sends nothing.
    """
    notice = ComplianceNotice(case_id=case.id, kind=kind, sent_on=today)
    try:
        with db.session.begin_nested():
            db.session.add(notice)
            db.session.flush()
    except IntegrityError:
        return None
    certificate = case.certificate
    texts = _result_of(case)
    if letter:
        context = {"kind": kind, "date": today.isoformat(), "serial": certificate.serial,
                   "company": {"name": certificate.company_name, "tax_id": certificate.company_tax_id},
                   "condition": case.condition_id, "explanation_ru": texts["ru"].get("explanation", ""),
                   "explanation_en": texts["en"].get("explanation", ""), "cure_ru": texts["ru"].get("cure") or "",
                   "cure_en": texts["en"].get("cure") or "",
                   "cure_due": case.cure_due.isoformat() if kind == "warning" else "",
                   "reference": texts["en"].get("reference", ""), "rule_set": case.rule_set_version}
        notice.pdf, notice.sha256 = letters.render_and_sign(context)
        notice.size = len(notice.pdf)
    people = company_users(case.company_id)
    for user in people:
        locale = user.locale or "ru"
        queue_mail(user.email, f"compliance/mail/{kind}.txt", locale=locale, case=case, certificate=certificate,
                   finding=texts.get(locale, texts["en"]) or texts["en"], notice=notice)
    notice.recipients = len(people)
    record(f"compliance.notice_{kind}", case, actor_label=RUN,
           details={"serial": certificate.serial, "condition": case.condition_id, "notice": notice.id,
                    "sha256": notice.sha256, "recipients": len(people)})
    return notice


def open_case(certificate: Certificate, result: Result, evaluation: Evaluation, snapshot: ComplianceSnapshot,
              today: date) -> ComplianceCase | None:
    """Open the case of a new breach and warn the company with the cure deadline; None when another run
    opened it first (the unique key on the open case)."""
    rule_set = evaluation.rule_set
    cure_days = int(rule_set.param("compliance.cure_days", today).value)
    case = ComplianceCase(
        certificate_id=certificate.id, company_id=certificate.company_id, side=certificate.side,
        condition_id=result.condition.id, stage=Stage.WARNED, open=True, version=1, opened_on=today,
        cure_due=today + timedelta(days=cure_days),
        revocation_after_days=int(rule_set.param("compliance.revocation_after_days", today).value),
        escalation_delay_days=int(rule_set.param("compliance.escalation_delay_days", today).value),
        rule_set_version=rule_set.version, snapshot_id=snapshot.id)
    case.next_step_on = case.cure_due + timedelta(days=case.escalation_delay_days + 1)
    try:
        with db.session.begin_nested():
            db.session.add(case)
            db.session.flush()
    except IntegrityError:
        return None
    record("compliance.case_opened", case, actor_label=RUN, details={
        "serial": certificate.serial, "condition": case.condition_id, "cure_due": case.cure_due,
        "rule_set": rule_set.version, "snapshot": snapshot.id, "explanation": result.explanation("en")})
    notify(case, "warning", today)
    return case


def advance(case: ComplianceCase, action: Action, actor: User | None, today: date, *,
            snapshot: ComplianceSnapshot | None = None, **changes: Any) -> bool:
    """Move ``case`` by ``action`` if the table allows it and nobody moved it meanwhile; True if it moved."""
    to = target(case.stage, action, actor.role if actor is not None else None)
    if to is None:
        if actor is None:
            return False
        raise Conflict(_l("This step is not possible at the case's stage."), code="illegal_transition",
                       details={"stage": case.stage, "action": action.value})
    values = {"stage": to.value, "version": case.version + 1, "updated_at": utcnow(), **changes}
    if to in (Stage.CLOSED, Stage.REVOKED):
        values.update(open=None, closed_on=today)
    if snapshot is not None:
        values["snapshot_id"] = snapshot.id
    moved = db.session.execute(update(ComplianceCase).where(ComplianceCase.id == case.id,
                                                            ComplianceCase.version == case.version)
                               .values(**values).execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        return False
    before = case.stage
    db.session.refresh(case)
    record(f"compliance.{action.value}", case, actor=actor, actor_label=None if actor else RUN, details={
        "serial": case.certificate.serial, "condition": case.condition_id, "from": before, "to": to.value,
        **{k: v for k, v in changes.items() if k not in ("proposal_id",)}})
    return True


def _withdraw_pending(case: ComplianceCase) -> None:
    proposal = case.proposal
    if proposal is not None and proposal.status == ProposalStatus.PENDING:
        sanctions.close(proposal, ProposalStatus.WITHDRAWN, None, "breach cured")


def cure(case: ComplianceCase, today: date, snapshot: ComplianceSnapshot) -> bool:
    """The condition holds again: close the case, or once suspended, propose reinstatement to a person."""
    suspended = case.stage in (Stage.SUSPENDED, Stage.REVOCATION_DUE, Stage.REVOCATION_PROPOSED)
    if not advance(case, Action.CURE, None, today, snapshot=snapshot,
                   closed_reason=None if suspended else "cured"):
        return False
    _withdraw_pending(case)
    if suspended:
        try:
            with db.session.begin_nested():
                proposal = sanctions.propose(case.certificate, CertificateAction.REINSTATE.value, None,
                                             reason=f"Breach of {case.condition_id} cured on {today.isoformat()}",
                                             source=f"compliance case {case.id}")
            case.proposal_id = proposal.id
        except IntegrityError:
            pass  # another proposal is pending on the certificate; a person sees the case in the queue
    notify(case, "cured", today, letter=False)
    return True


def escalate(case: ComplianceCase, today: date, snapshot: ComplianceSnapshot) -> bool:
    """An uncured breach past its deadline or suspension term: a person is asked to prepare the proposal."""
    if not advance(case, Action.ESCALATE, None, today, snapshot=snapshot, next_step_on=None):
        return False
    notify(case, case.stage, today)
    return True


def follow_certificate(case: ComplianceCase, certificate: Certificate, today: date) -> bool:
    """A person decided through the certificate's action: the case follows its status."""
    if certificate.status == "suspended" and case.stage in (Stage.WARNED, Stage.SUSPENSION_DUE,
                                                            Stage.SUSPENSION_PROPOSED):
        suspended_on = certificate.suspended_on or today
        return advance(case, Action.DECIDED, None, today, suspended_on=suspended_on,
                       next_step_on=suspended_on + timedelta(days=case.revocation_after_days))
    if certificate.status == "active" and case.stage == Stage.REINSTATEMENT_PROPOSED:
        return advance(case, Action.DECIDED, None, today, closed_reason="reinstated")
    if certificate.status not in ("active", "suspended"):
        _withdraw_pending(case)
        return advance(case, Action.END, None, today, closed_reason=certificate.status)
    return False


def record_benefit_year(certificate: Certificate, year: int, code: str, explanation: str,
                        snapshot: ComplianceSnapshot, today: date) -> bool:
    """Keep that ``code`` does not apply for ``year``, once; True when this call recorded it."""
    row = BenefitYearResult(certificate_id=certificate.id, year=year, code=code, applies=False,
                            explanation=explanation, snapshot_id=snapshot.id, decided_on=today)
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return False
    record("compliance.benefit_year_not_applicable", certificate, actor_label=RUN,
           details={"serial": certificate.serial, "year": year, "code": code, "explanation": explanation,
                    "snapshot": snapshot.id})
    emit("benefit.year_not_applicable", event_data(certificate, reason=explanation,
                                                   effective_from=date(year, 1, 1), year=year, code=code))
    return True


# --- people's steps ------------------------------------------------------------------------------------

def case_for_update(case_id: int) -> ComplianceCase:
    case = get_for_update(ComplianceCase, case_id)
    if case is None:
        raise NotFound(_l("No such compliance case."))
    return case


def propose(case: ComplianceCase, actor: User, reason: Any, today: date) -> ComplianceCase:
    """Prepare the suspension or revocation the case is due for; a second person decides it through the
    certificate's action (``POST /api/v1/certificates/{serial}/suspend|revoke``)."""
    action = DUE.get(Stage(case.stage))
    if action is None:
        raise Conflict(_l("This case has no sanction to propose at its stage."), code="illegal_transition",
                       details={"stage": case.stage})
    reason = clean_reason(CertificateAction(action), reason if isinstance(reason, str) else None)
    if sanctions.pending(case.certificate_id) is not None:
        raise Conflict(_l("Another proposal on this certificate waits for a decision."), code="proposal_pending")
    proposal = sanctions.propose(case.certificate, action, actor, reason=reason, source=f"compliance case {case.id}")
    if not advance(case, Action.PROPOSE, actor, today, proposal_id=proposal.id):
        raise Conflict(_l("The case changed meanwhile; reload it."), code="stale_version")
    return case


def decline(case: ComplianceCase, actor: User, reason: Any, today: date) -> ComplianceCase:
    """A second person declines the proposed suspension or revocation; the case waits for a new proposal."""
    proposal = case.proposal
    if Stage(case.stage) not in PROPOSED or proposal is None or proposal.status != ProposalStatus.PENDING:
        raise Conflict(_l("There is no pending proposal on this case."), code="no_such_proposal")
    if proposal.proposed_by_id == actor.id:
        raise Forbidden(_l("A sanction needs a second person: someone other than its proposer must decide it."),
                        code="four_eyes")
    if Stage(case.stage) == Stage.REINSTATEMENT_PROPOSED:
        raise Conflict(_l("A reinstatement is decided through the certificate's action."), code="illegal_transition")
    text = reason.strip() if isinstance(reason, str) else None
    if not advance(case, Action.DECLINED, actor, today, proposal_id=None):
        raise Conflict(_l("The case changed meanwhile; reload it."), code="stale_version")
    sanctions.close(proposal, ProposalStatus.DECLINED, actor, text)
    return case


def open_cases_of(certificate_ids: list[int]) -> dict[int, dict[str, ComplianceCase]]:
    """The open cases of these certificates, by certificate and condition, with their certificates (two
    queries, the second only when there are cases: the daily run follows each certificate's status)."""
    found: dict[int, dict[str, ComplianceCase]] = {}
    if certificate_ids:
        for case in db.session.scalars(select(ComplianceCase).options(selectinload(ComplianceCase.certificate))
                                       .where(ComplianceCase.certificate_id.in_(certificate_ids),
                                              ComplianceCase.open.is_(True))):
            found.setdefault(case.certificate_id, {})[case.condition_id] = case
    return found


def finding(case: ComplianceCase, language: str) -> dict:
    """The case's condition as the evaluation that last moved it explained it, in ``language``."""
    return _result_of(case).get(language) or _result_of(case)["en"]
