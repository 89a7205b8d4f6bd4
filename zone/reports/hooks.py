"""What reports add to the worker at app creation: the reminders about reports due soon or overdue."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from zone.reports.reminders import remind_and_commit
from zone.worker.registry import register_job

# Reminders are by date and never sent twice; hourly runs catch the zone's new day within the hour.
EVERY = timedelta(hours=1)


def init_app(app: Flask) -> None:
    register_job(app, "reports.remind", remind_and_commit, every=EVERY)
