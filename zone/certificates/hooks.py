"""What certificates add to the worker at app creation: the expiry of certificates past their validity."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from zone.certificates.lifecycle import expire_and_commit
from zone.worker.registry import register_job

# Expiry is by date; hourly runs catch the zone's new day within the hour (one copy per hour does it).
EVERY = timedelta(hours=1)


def init_app(app: Flask) -> None:
    register_job(app, "certificates.expire", expire_and_commit, every=EVERY)
