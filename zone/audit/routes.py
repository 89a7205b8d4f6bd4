"""The auditor's pages: the trail with filters, an object's history, CSV export and chain verification."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zone.audit import anchors, publication, queries, vocabulary
from zone.audit.forms import AnchorForm, EventFilterForm
from zone.audit.models import AuditEvent
from zone.audit.policies import TRAIL_READERS
from zone.audit.services import entry_seal, format_time, record
from zone.database import writes
from zone.extensions import db
from zone.web.access import allow
from zone.web.export_columns import Column, header, wants_machine_names

bp = Blueprint("audit", __name__)


@bp.context_processor
def _words() -> dict:
    """The trail's pages show labels; the machine codes stay beside them for auditors."""
    return {"action_label": vocabulary.action_label, "object_label": vocabulary.object_label,
            "detail_lines": vocabulary.detail_lines}

PAGE_SIZE = 50
# The cells are the trail as recorded (codes, UTC times, details as JSON): what the hashes cover.
CSV_COLUMNS = (
    Column("seq", _l("No.")),
    Column("at", _l("Time (UTC)")),
    Column("actor_id", _l("User no.")),
    Column("actor", _l("Who")),
    Column("ip", _l("Address")),
    Column("action", _l("Action")),
    Column("object_type", _l("Object type")),
    Column("object_id", _l("Object id")),
    Column("details", _l("Details")),
    Column("prev_hash", _l("Previous hash")),
    Column("hash", _l("Hash")),
)


def _zone_start(day, tz: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(tz)).astimezone(UTC)


def _filter_from(form: EventFilterForm) -> queries.EventFilter:
    """The filter the form describes; dates are whole days in the zone's time zone."""
    tz = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    form.validate()  # a field with an error is shown as such and ignored

    def value(name: str):
        data = None if form[name].errors else form[name].data
        return (data.strip() or None) if isinstance(data, str) else data

    date_from, date_to = value("date_from"), value("date_to")
    return queries.EventFilter(
        action=value("action"), actor=value("actor"), object_type=value("object_type"),
        object_id=value("object_id"),
        since=_zone_start(date_from, tz) if date_from else None,
        until=_zone_start(date_to + timedelta(days=1), tz) if date_to else None,
    )


def _cursor_seq() -> int | None:
    raw = request.args.get("before", "")
    return int(raw) if raw.isdigit() else None


def _filter_args() -> dict:
    """The current filter as query arguments, for links that keep it."""
    names = ("actor", "action", "object_type", "object_id", "date_from", "date_to")
    return {name: request.args[name] for name in names if request.args.get(name)}


@bp.get("/audit")
@allow(*TRAIL_READERS)
def events():
    form = EventFilterForm(formdata=request.args)
    event_filter = _filter_from(form)
    rows, next_seq = queries.events_page(event_filter, after=_cursor_seq(), limit=PAGE_SIZE)
    return render_template(
        "audit/events.html", form=form, rows=rows, next_seq=next_seq, filter_args=_filter_args(),
        paged=_cursor_seq() is not None, last_check=queries.last_verification(),
        action_groups=vocabulary.action_choices((*queries.known_actions(), form.action.data)),
        object_types=vocabulary.object_choices((*queries.known_object_types(), form.object_type.data)),
    )


@bp.get("/audit/events/<int:seq>")
@allow(*TRAIL_READERS)
def event(seq: int):
    entry = db.session.get(AuditEvent, seq)
    if entry is None:
        abort(404)
    previous = db.session.get(AuditEvent, seq - 1) if seq > 1 else None
    expected_prev = previous.hash if previous is not None else ""
    return render_template(
        "audit/event.html", entry=entry,
        details_json=json.dumps(entry.details or {}, ensure_ascii=False, indent=2, sort_keys=True),
        links=entry.prev_hash == expected_prev and (seq == 1 or previous is not None),
        seal=entry_seal(entry),
    )


@bp.get("/audit/objects/<object_type>/<path:object_id>")
@allow(*TRAIL_READERS)
def object_history(object_type: str, object_id: str):
    rows = queries.object_history(object_type[:40], object_id[:80])  # an object without events: an empty history
    return render_template("audit/object.html", rows=rows, object_type=object_type, object_id=object_id)


@bp.get("/audit/export.csv")
@allow(*TRAIL_READERS)
@writes
def export_csv():
    form = EventFilterForm(formdata=request.args)
    event_filter = _filter_from(form)
    record("audit.export", object_type="audit_trail", details={"format": "csv", "filter": event_filter.describe()})
    db.session.commit()
    from zone.registers.streaming import csv_response, rows_of

    entries = rows_of(db.engine, queries.export_statement(event_filter), batch_size=2000, scalars=True)
    rows = ([e.seq, format_time(e.at), e.actor_id, e.actor, e.ip, e.action, e.object_type, e.object_id,
             json.dumps(e.details or {}, ensure_ascii=False, sort_keys=True), e.prev_hash, e.hash] for e in entries)

    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return csv_response(f"audit-trail-{stamp}.csv", header(CSV_COLUMNS, machine=wants_machine_names(request.args)),
                        rows)


@bp.get("/audit/verify")
@allow(*TRAIL_READERS)
@writes
def verify():
    report, _anchor = publication.checked_and_recorded()
    db.session.commit()
    return render_template("audit/verify.html", report=report, anchor=None, form=AnchorForm())


@bp.post("/audit/verify")
@allow(*TRAIL_READERS)
def verify_anchor():
    form = AnchorForm()
    if not form.validate_on_submit():
        return render_template("audit/verify.html", report=None, anchor=None, form=form), 422
    raw = form.anchor.data.read(anchors.MAX_ANCHOR_BYTES + 1)
    report, anchor = publication.checked_and_recorded(raw)
    db.session.commit()
    return render_template("audit/verify.html", report=report, anchor=anchor, form=AnchorForm())


@bp.get("/audit/anchor.json")
@allow(*TRAIL_READERS)
@writes
def download_anchor():
    try:
        anchor = anchors.issued_and_recorded()
    except anchors.AnchorError as error:
        db.session.rollback()
        current_app.logger.warning("audit anchor unavailable: %s", error)
        flash(_("No anchor can be signed: the zone's signing key is not configured. Ask the administrator."),
              "error")
        return redirect(url_for("audit.events"))
    db.session.commit()
    body = json.dumps(anchor, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    name = f"audit-anchor-{anchor['seq']}.json"
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
