"""What sites add to lower floors at app creation, so that certificates never import sites.

A revoked certificate releases the sites leased with it: the certificates domain calls the follower
registered here after every decision a person takes on a certificate, in that transaction. The worker
lapses the leases not signed in time.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from zone.accounts.models import User
from zone.calendar import today as zone_today
from zone.certificates import sanctions
from zone.certificates.models import Certificate
from zone.sites import plan as site_plan
from zone.sites import services
from zone.worker.registry import register_job

LAPSE_EVERY = timedelta(hours=1)  # idempotent; catches the zone's new day within the hour


def follow(certificate: Certificate, actor: User) -> None:
    """Release the certificate's sites when the decision revoked it; other decisions change nothing."""
    services.release_with_certificate(certificate, actor)


def lapse_job() -> None:
    """The worker's run: lapse the leases whose signing term has passed, in one transaction."""
    from zone.database import unit_of_work
    from zone.extensions import db

    with unit_of_work():
        services.lapse_unsigned(zone_today())
        db.session.commit()


def init_app(app: Flask) -> None:
    """Register the decision follower, the worker's lapse job and the app's cache of drawn plans."""
    app.extensions[site_plan.EXTENSION] = site_plan.PlanCache()
    sanctions.follow_decisions(app, follow)
    register_job(app, "sites.lapse", lapse_job, every=LAPSE_EVERY)
