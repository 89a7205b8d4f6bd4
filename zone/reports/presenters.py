"""How reports look to people and to API clients."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from zone.api.common import actor_name, decimal_json, iso
from zone.calendar import today as zone_today
from zone.reports import figures
from zone.reports.models import Report, ReportDocument, ReportEvent
from zone.reports.workflow import ACTION_LABELS, KIND_LABELS, STATUS_LABELS, Action, Kind, Status


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(Status(status), status)) if status in Status._value2member_map_ else status


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(Kind(kind), kind)) if kind in Kind._value2member_map_ else kind


def action_label(action: str) -> str:
    if action in Action._value2member_map_:
        return str(ACTION_LABELS[Action(action)])
    return str(STEP_LABELS.get(action, action))


STEP_LABELS = {"create": _l("Started"), "edit": _l("Saved"), "document": _l("Document uploaded"),
               "correct": _l("Corrected (new version)"), "superseded": _l("Replaced by a correction")}


def is_overdue(report: Report, today=None) -> bool:
    return report.status in (Status.DRAFT, Status.RETURNED) and report.due < (today or zone_today())


def figure_json(name: str, value: Any) -> Any:
    if isinstance(value, Decimal):
        return decimal_json(value)
    return value


def document_json(document: ReportDocument) -> dict:
    return {"id": document.id, "kind": document.kind, "filename": document.filename, "size": document.size,
            "sha256": document.sha256, "content_type": document.content_type,
            "uploaded_at": iso(document.uploaded_at)}


def report_json(report: Report, documents: list[ReportDocument] | None = None) -> dict:
    data = {
        "id": report.id, "agreement": report.agreement.number, "period": report.period, "kind": report.kind,
        "status": report.status, "due": iso(report.due), "overdue": is_overdue(report), "version": report.version,
        "revision": report.revision, "current": bool(report.head), "supersedes": report.supersedes_id,
        "correction_reason": report.correction_reason, "period_start": iso(report.period_start),
        "period_end": iso(report.period_end), "submitted_at": iso(report.submitted_at),
        "accepted_at": iso(report.accepted_at), "question": report.question, "answer": report.answer,
        "updated_at": iso(report.updated_at),
    }
    for name in figures.FIGURES:
        if name in figures.ANNUAL_ONLY and report.kind != Kind.ANNUAL:
            continue
        data[name] = figure_json(name, getattr(report, name))
    if documents is not None:
        data["documents"] = [document_json(d) for d in documents]
    return data


def event_json(event: ReportEvent, viewer) -> dict:
    return {"version": event.version, "action": event.action, "from": event.from_status, "to": event.to_status,
            "at": iso(event.at), "actor": actor_name(event.actor, viewer), "comment": event.comment}
