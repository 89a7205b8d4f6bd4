"""What compliance adds to domains on lower floors at app creation, so that none of them imports it.

A person's decision on a certificate moves its compliance cases at once: the certificates domain (a lower
floor) calls the followers registered here after every suspension, reinstatement or revocation a person
takes through the certificate's actions, in that transaction; the open cases of the certificate follow its
new status as the daily run would, so the queue, the case page and the dashboard never show a stage the
decision already passed.

The staff dashboard (review) draws the tile of open cases by stage; certificate pages show the resident's
compliance through the template function ``compliance_of(certificate)``.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from zone.accounts.models import User
from zone.audit.vocabulary import register_value_labels
from zone.calendar import today as zone_today
from zone.certificates import sanctions
from zone.certificates.models import Certificate
from zone.compliance import chart, presenters, services
from zone.compliance.run import daily_run
from zone.compliance.workflow import STAGE_LABELS
from zone.review import dashboard
from zone.worker.registry import register_job

# The daily run, hourly: it is idempotent and catches the zone's new day within the hour.
RUN_EVERY = timedelta(hours=1)


def follow(certificate: Certificate, actor: User) -> None:
    """The certificate's open cases follow its status now (the daily run would do the same next time)."""
    day = zone_today()
    for case in services.open_cases_of([certificate.id]).get(certificate.id, {}).values():
        services.follow_certificate(case, certificate, day)


def init_app(app: Flask) -> None:
    """Register the decision follower, the dashboard tile, the certificate pages' ``compliance_of``, the
    worker's daily run and the words for case stages in the audit trail's details."""
    sanctions.follow_decisions(app, follow)
    dashboard.register_tile(app, chart.dashboard_tile)
    app.jinja_env.globals["compliance_of"] = presenters.summary
    register_value_labels(app, "compliance", ("from", "to", "stage"), STAGE_LABELS)
    register_job(app, "compliance.run", daily_run, every=RUN_EVERY)
