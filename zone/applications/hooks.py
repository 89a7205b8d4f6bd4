"""What applications add at app creation: where their uploaded documents are, for ``flask storage migrate``,
and the words for their statuses in the audit trail's details."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from zone.applications.models import Document
from zone.applications.workflow import STATUS_LABELS
from zone.audit.vocabulary import register_value_labels
from zone.extensions import db
from zone.storage.services import register_files


def stored_documents():
    return db.session.execute(select(Document.storage_name, Document.sha256).order_by(Document.id))


def init_app(app: Flask) -> None:
    register_files(app, "applications.documents", stored_documents)
    register_value_labels(app, "application", ("from", "to", "status"), STATUS_LABELS)
