"""What reports add at app creation: the worker's reminders about reports due soon or overdue, and where
their uploaded documents are (for ``flask storage migrate``), and the words for their statuses in the audit
trail's details."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from zone.audit.vocabulary import register_value_labels
from zone.extensions import db
from zone.reports.models import ReportDocument
from zone.reports.reminders import remind_and_commit
from zone.reports.workflow import STATUS_LABELS
from zone.storage.services import register_files
from zone.worker.registry import register_job

# Reminders are by date and never sent twice; hourly runs catch the zone's new day within the hour.
EVERY = timedelta(hours=1)


def init_app(app: Flask) -> None:
    register_job(app, "reports.remind", remind_and_commit, every=EVERY)
    register_files(app, "reports.documents", stored_documents)
    register_value_labels(app, "report", ("from", "to", "status"), STATUS_LABELS)


def stored_documents():
    return db.session.execute(select(ReportDocument.storage_name, ReportDocument.sha256).order_by(ReportDocument.id))
