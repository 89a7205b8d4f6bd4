"""Every change of a report: start a draft, save figures, upload documents, submit, return with a
question, answer and resubmit, accept, and correct a filed report as a new version.

Services validate with :mod:`zone.reports.figures`, change the objects, record the history entry and the
audit event; they never read ``request`` and never commit (the route does). Callers load the report
with ``queries.for_update`` and check the policy first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from zone.accounts.models import User
from zone.agreements.models import Agreement
from zone.applications.documents import clean_filename, store_upload
from zone.audit.services import record
from zone.calendar import today as zone_today
from zone.database import utcnow
from zone.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from zone.extensions import db
from zone.reports import figures, periods, queries
from zone.reports.models import Report, ReportDocument, ReportEvent
from zone.reports.workflow import ACTION_LABELS, EDITABLE, FILED, STATUS_LABELS, TRANSITIONS, Action, Kind, Status

NOT_EDITABLE = _l("The report can be changed only while it is a draft or returned with questions.")
# Figures that stand at a moment rather than flow over the period: a new report starts from the last ones.
PREFILLED = ("currency", "jobs_total", "jobs_local", "jobs_foreign", "investment_cumulative", "auditor_name")
MAX_TEXT = 5000


def _text(raw: Any, name: str, *, required: bool) -> str | None:
    from zone.web.text import normalise_newlines, text_problem

    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise ValidationFailed(_l("Some values are missing."), fields={name: [_l("This field is required.")]})
        return None
    if not isinstance(raw, str):
        raise ValidationFailed(_l("Some values are not valid."), fields={name: [_l("Enter text.")]})
    if problem := text_problem(raw, multiline=True):
        raise ValidationFailed(_l("Some values are not valid."), fields={name: [problem]})
    text = normalise_newlines(raw).strip()
    if len(text) > MAX_TEXT:
        raise ValidationFailed(_l("Some values are not valid."),
                               fields={name: [_l("At most %(n)s characters.", n=MAX_TEXT)]})
    return text


# --- versions and history -------------------------------------------------------------------------

def changes_since(report: Report, version: int) -> list[dict]:
    events = db.session.scalars(select(ReportEvent).where(ReportEvent.report_id == report.id,
                                                          ReportEvent.version > version).order_by(ReportEvent.id))
    return [{"version": e.version, "at": e.at.isoformat(), "by": e.actor.display_name if e.actor else None,
             "action": e.action, "fields": (e.details or {}).get("fields")} for e in events]


def check_version(report: Report, expected: int | None) -> None:
    """409 when the caller saw an older version: another tab or person saved meanwhile."""
    if expected is None or int(expected) == report.version:
        return
    changes = changes_since(report, int(expected))
    who = ", ".join(sorted({c["by"] for c in changes if c["by"]})) or "—"
    raise StaleVersion(
        _l("This report was changed by %(who)s after you opened it (now version %(version)s). Reload it to see "
           "the changes; nothing was overwritten.", who=who, version=report.version),
        details={"current_version": report.version, "changes": changes})


def _event(report: Report, actor: User | None, action: str, *, from_status: str | None = None,
           to_status: str | None = None, comment: str | None = None, details: dict | None = None,
           bump: bool = True) -> ReportEvent:
    if bump:
        report.version += 1
        report.updated_at = utcnow()
        report.updated_by_id = actor.id if actor else None
    event = ReportEvent(report_id=report.id, version=report.version, action=action, from_status=from_status,
                        to_status=to_status, actor_id=actor.id if actor else None, comment=comment, details=details)
    db.session.add(event)
    return event


def _audit_values(values: Mapping[str, Any]) -> dict:
    return {k: (str(v) if v is not None and not isinstance(v, (dict, list, int, str)) else v)
            for k, v in values.items()}


# --- validation -----------------------------------------------------------------------------------

def granted_benefits(agreement: Agreement) -> set[str]:
    """The benefit codes on the agreement's certificate: the only ones a report may say it used."""
    return {b.get("code") for b in (agreement.certificate.benefits or []) if isinstance(b, dict) and b.get("code")}


def _previous(report_or_agreement_id: int, period: periods.Period) -> tuple[Any, str | None]:
    previous = queries.previous_filed(report_or_agreement_id, period)
    return (previous.investment_cumulative if previous else None), (previous.period if previous else None)


def _consistency(agreement: Agreement, period: periods.Period, merged: Mapping[str, Any]) -> dict[str, list]:
    cumulative, previous_period = _previous(agreement.id, period)
    return figures.consistency(merged, granted=granted_benefits(agreement), previous_cumulative=cumulative,
                               previous_period=previous_period)


def _validated(agreement: Agreement, period: periods.Period, data: Mapping[str, Any],
               current: Mapping[str, Any] | None = None) -> dict[str, Any]:
    values, errors = figures.clean(data, period.kind)
    merged = {**(current or {}), **values}
    for path, messages in _consistency(agreement, period, merged).items():
        errors.setdefault(path, []).extend(messages)
    if errors:
        raise ValidationFailed(_l("Some values are not valid. Correct them and save again."), fields=errors)
    return values


def period_of(report: Report) -> periods.Period:
    return periods.parse(report.period)  # type: ignore[return-value]


def first_day(agreement: Agreement):
    """Reporting starts in the quarter of the decision (whether or not the company countersigned yet)."""
    return agreement.decided_on


def open_periods(agreement: Agreement, today=None) -> list[periods.Period]:
    """Every period the agreement reports for, from the decision's quarter to the current one."""
    return periods.periods_between(first_day(agreement), today or zone_today())


def _period_problem(agreement: Agreement, raw: Any):
    period = periods.parse(raw)
    if period is None:
        return None, _l("Name a quarter like 2027-Q1 or a year like 2027.")
    today = zone_today()
    if period.end < periods.quarter_of(first_day(agreement)).start or period.start > today \
            or (period.kind == Kind.ANNUAL and period.year < first_day(agreement).year):
        return None, _l("The agreement reports for periods from its decision (%(from)s) to the current one.",
                        **{"from": first_day(agreement).isoformat()})
    return period, None


# --- the company's changes ------------------------------------------------------------------------

def start(agreement: Agreement, actor: User, period_raw: Any, data: Mapping[str, Any]) -> Report:
    """A new draft for ``period`` of ``agreement`` with the given figures, the standing ones (currency,
    jobs, cumulative investment, auditor) prefilled from the last filed report of the same kind.

    Raises ValidationFailed (bad period or figures) or Conflict (the period already has a report)."""
    period, problem = _period_problem(agreement, period_raw)
    if problem is not None:
        values, errors = figures.clean(data, Kind.QUARTERLY)
        raise ValidationFailed(_l("Some values are not valid."), fields={"period": [problem], **errors})
    if queries.head(agreement.id, period.code) is not None:
        raise _duplicate(period.code)
    values = _validated(agreement, period, data)
    previous = queries.previous_filed(agreement.id, period)
    prefilled = {name: getattr(previous, name) for name in PREFILLED
                 if previous is not None and name not in data and getattr(previous, name) is not None
                 and (name != "auditor_name" or period.kind == Kind.ANNUAL)}
    report = Report(agreement_id=agreement.id, company_id=agreement.company_id, side=agreement.side,
                    kind=period.kind, period=period.code, period_start=period.start, period_end=period.end,
                    due=periods.due_date(agreement.side, period), status=Status.DRAFT, version=1, revision=1,
                    head=True, created_by_id=actor.id, updated_by_id=actor.id,
                    **{"benefits_used": {}, "output": [], **prefilled, **values})
    try:
        with db.session.begin_nested():
            db.session.add(report)
            db.session.flush()
    except IntegrityError:
        raise _duplicate(period.code) from None
    _event(report, actor, "create", to_status=Status.DRAFT, bump=False,
           details={"fields": sorted(values), "prefilled": sorted(prefilled)})
    record("report.create", report, actor=actor,
           details={"agreement": agreement.number, "period": period.code, "values": _audit_values(values),
                    "prefilled_from": previous.period if previous and prefilled else None})
    return report


def _duplicate(period: str) -> Conflict:
    return Conflict(_l("There is already a report for %(period)s on this agreement; open it, or correct it if "
                       "it was submitted.", period=period), code="duplicate_period", details={"period": period})


def update(report: Report, actor: User, data: Mapping[str, Any], expected_version: int | None = None) -> list[str]:
    """Change the given figures of a draft or returned report; returns what changed (no change, no new
    version). Raises Conflict (not editable), StaleVersion or ValidationFailed."""
    if report.status not in EDITABLE:
        raise Conflict(NOT_EDITABLE, code="not_editable", details={"status": report.status})
    check_version(report, expected_version)
    values = _validated(report.agreement, period_of(report), data, figures.values_of(report))
    changed = [name for name, value in values.items() if getattr(report, name) != value]
    for name in changed:
        setattr(report, name, values[name])
    if changed:
        _event(report, actor, "edit", details={"fields": changed})
        record("report.update", report, actor=actor,
               details={"fields": changed, "version": report.version,
                        "values": _audit_values({k: values[k] for k in changed})})
    return changed


def document_kinds(report: Report) -> set[str]:
    return {d.kind for d in queries.documents(report)}


def submission_problems(report: Report) -> dict[str, list]:
    """Everything that stops the report from being submitted, keyed by field path."""
    values = figures.values_of(report)
    problems = figures.missing(values, report.kind, document_kinds(report))
    for path, messages in _consistency(report.agreement, period_of(report), values).items():
        problems.setdefault(path, []).extend(messages)
    if report.period_end >= zone_today():
        problems.setdefault("period", []).append(
            _l("The period ends on %(date)s: submit the report after that day.", date=report.period_end.isoformat()))
    return problems


def _require_complete(report: Report) -> None:
    problems = submission_problems(report)
    if problems:
        raise ValidationFailed(_l("The report is not complete: %(n)s items are missing or not valid.",
                                  n=len(problems)), code="incomplete", fields=problems)
    if report.investment_cumulative is None:
        previous, _period = _previous(report.agreement_id, period_of(report))
        report.investment_cumulative = (previous or 0) + sum(getattr(report, n) for n in figures.INVESTMENT)


def _transition(report: Report, action: Action, actor: User, *, expected_version: int | None,
                comment: str | None = None) -> None:
    current = Status(report.status)
    check_version(report, expected_version)
    transition = TRANSITIONS.get((current, action))
    if transition is None:
        raise Conflict(_l("“%(action)s” is not possible while the report is “%(status)s”.",
                          action=ACTION_LABELS[action], status=STATUS_LABELS[current]),
                       code="illegal_transition", details={"status": current.value, "action": action.value})
    target, roles = transition
    if actor.role not in roles:
        raise Forbidden(_l("Your role cannot perform “%(action)s”.", action=ACTION_LABELS[action]))
    if not report.head:
        raise Conflict(_l("A newer version of this report replaces it."), code="superseded")
    report.status = target
    _event(report, actor, action.value, from_status=current, to_status=target, comment=comment)
    record(f"report.{action.value}", report, actor=actor,
           details={"from": current.value, "to": target.value, "comment": comment, "version": report.version,
                    "period": report.period, "agreement": report.agreement.number})


def submit(report: Report, actor: User, expected_version: int | None = None) -> None:
    check_version(report, expected_version)
    if report.status == Status.DRAFT:
        _require_complete(report)
    _transition(report, Action.SUBMIT, actor, expected_version=expected_version)
    report.submitted_at = utcnow()


def resubmit(report: Report, actor: User, answer: Any, expected_version: int | None = None) -> None:
    """The company answers the zone's question and sends the report again."""
    check_version(report, expected_version)
    text = _text(answer, "answer", required=report.status == Status.RETURNED)
    if report.status == Status.RETURNED:
        _require_complete(report)
    _transition(report, Action.RESUBMIT, actor, expected_version=expected_version, comment=text)
    report.answer = text
    report.submitted_at = utcnow()


def return_with_question(report: Report, actor: User, question: Any, expected_version: int | None = None) -> None:
    """Staff send the report back to the company with a question."""
    text = _text(question, "question", required=True)
    _transition(report, Action.RETURN, actor, expected_version=expected_version, comment=text)
    report.question = text


def accept(report: Report, actor: User, expected_version: int | None = None, comment: Any = None) -> None:
    _transition(report, Action.ACCEPT, actor, expected_version=expected_version,
                comment=_text(comment, "comment", required=False))
    report.accepted_at = utcnow()


def correct(report: Report, actor: User, reason: Any, data: Mapping[str, Any]) -> Report:
    """A filed report corrected: a new version (submitted) with the reason; the old one is kept as it was."""
    text = _text(reason, "reason", required=True)
    if report.status not in FILED or not report.head:
        raise Conflict(_l("Only the current version of a submitted or accepted report is corrected; a draft or a "
                          "returned report is simply changed."), code="not_correctable",
                       details={"status": report.status})
    period = period_of(report)
    values = _validated(report.agreement, period, data, figures.values_of(report))
    copied = {name: getattr(report, name) for name in figures.FIGURES}
    report.head = None
    db.session.flush()  # the old head steps aside before the new one takes its place
    new = Report(agreement_id=report.agreement_id, company_id=report.company_id, side=report.side, kind=report.kind,
                 period=report.period, period_start=report.period_start, period_end=report.period_end, due=report.due,
                 status=Status.DRAFT, version=1, revision=report.revision + 1, head=True, supersedes_id=report.id,
                 correction_reason=text, created_by_id=actor.id, updated_by_id=actor.id, **{**copied, **values})
    if "investment_cumulative" not in data and any(n in values for n in figures.INVESTMENT):
        new.investment_cumulative = None  # recomputed from the corrected figures
    db.session.add(new)
    db.session.flush()
    _event(new, actor, "correct", to_status=Status.DRAFT, comment=text, bump=False,
           details={"fields": sorted(values), "supersedes": report.id})
    _require_complete_correction(new)
    new.status = Status.SUBMITTED
    new.submitted_at = utcnow()
    _event(report, actor, "superseded", comment=text, details={"by": new.id}, bump=False)
    record("report.correct", new, actor=actor,
           details={"supersedes": report.id, "revision": new.revision, "reason": text, "period": new.period,
                    "agreement": report.agreement.number, "values": _audit_values(values)})
    return new


def _require_complete_correction(report: Report) -> None:
    problems = submission_problems(report)
    problems.pop("period", None)  # the original was filed; its period has ended or was accepted early
    if problems:
        raise ValidationFailed(_l("The corrected report is not complete: %(n)s items are missing or not valid.",
                                  n=len(problems)), code="incomplete", fields=problems)
    if report.investment_cumulative is None:
        previous, _period = _previous(report.agreement_id, period_of(report))
        report.investment_cumulative = (previous or 0) + sum(getattr(report, n) for n in figures.INVESTMENT)


def add_document(report: Report, actor: User, kind: Any, stream: BinaryIO | None, filename: str | None
                 ) -> ReportDocument:
    """Store an uploaded file of the report, checked by its content exactly as application documents are
    (PDF, PNG or JPEG by the first bytes; a PDF read within the limits of :mod:`zone.pdfcheck`)."""
    if report.status not in EDITABLE:
        raise Conflict(NOT_EDITABLE, code="not_editable", details={"status": report.status})
    problems: dict[str, list] = {}
    if kind not in figures.DOCUMENT_KINDS:
        problems["kind"] = [_l("Choose which document this is.")]
    if stream is None:
        problems["file"] = [_l("Choose a file to upload.")]
    if problems:
        raise ValidationFailed(_l("Some values are not valid."), fields=problems)
    storage_name, size, sha256, content_type = store_upload(stream)
    document = ReportDocument(report_id=report.id, kind=kind, filename=clean_filename(filename),
                              storage_name=storage_name, content_type=content_type, size=size, sha256=sha256,
                              uploaded_by_id=actor.id)
    db.session.add(document)
    db.session.flush()
    _event(report, actor, "document", details={"document_id": document.id, "kind": kind,
                                               "filename": document.filename}, bump=False)
    record("report.document_upload", document, actor=actor,
           details={"report_id": report.id, "kind": kind, "filename": document.filename, "size": size,
                    "sha256": sha256, "content_type": content_type})
    return document


def record_download(document: ReportDocument, actor: User) -> None:
    record("report.document_download", document, actor=actor,
           details={"report_id": document.report_id, "kind": document.kind, "sha256": document.sha256})
