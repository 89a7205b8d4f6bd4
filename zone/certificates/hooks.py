"""What certificates add at app creation: the worker's expiry of certificates past their validity, and the
words for their statuses in the audit trail's details."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from zone.audit.vocabulary import register_value_labels
from zone.certificates.lifecycle import expire_and_commit
from zone.certificates.workflow import STATUS_LABELS
from zone.worker.registry import register_job

# Expiry is by date; hourly runs catch the zone's new day within the hour (one copy per hour does it).
EVERY = timedelta(hours=1)


def init_app(app: Flask) -> None:
    register_job(app, "certificates.expire", expire_and_commit, every=EVERY)
    register_value_labels(app, "certificate", ("from", "to", "status"), STATUS_LABELS)
