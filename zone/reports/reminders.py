"""Reminders about reports: one mail a few days before a period's report is due and one on the first day it
is overdue, to the company's people, through the outbox. A reminder is recorded per agreement, period and
kind under a unique key, so running the command again (or twice at once) never mails twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from zone.agreements.models import Agreement, AgreementStatus
from zone.applications.services import company_users
from zone.audit.services import record
from zone.calendar import today as zone_today
from zone.database import unit_of_work
from zone.extensions import db
from zone.mail.services import queue_mail
from zone.reports import periods, queries, services
from zone.reports.models import ReportReminder
from zone.reports.workflow import FILED, Status

BEFORE_DUE, OVERDUE = "before_due", "overdue"


@dataclass(frozen=True)
class Sent:
    agreement: str
    period: str
    kind: str
    recipients: int


def _kind(due: date, today: date) -> str | None:
    if today > due:
        return OVERDUE
    if today >= due - timedelta(days=int(current_app.config.get("REPORT_REMINDER_DAYS", 7))):
        return BEFORE_DUE
    return None


def remind(today: date) -> list[Sent]:
    """Queue every reminder due on ``today`` that was not sent before; the caller commits."""
    sent: list[Sent] = []
    agreements = db.session.scalars(select(Agreement).where(Agreement.status != AgreementStatus.TERMINATED)
                                    .order_by(Agreement.id))
    for agreement in agreements:
        for period in services.open_periods(agreement, today):
            if period.end >= today:
                continue  # nothing is due before the period ends
            report = queries.head(agreement.id, period.code)
            if report is not None and report.status in FILED:
                continue
            due = report.due if report is not None else periods.due_date(agreement.side, period)
            kind = _kind(due, today)
            if kind is None or _already(agreement.id, period.code, kind):
                continue
            reminder = ReportReminder(agreement_id=agreement.id, period=period.code, kind=kind, due=due)
            try:
                with db.session.begin_nested():
                    db.session.add(reminder)
                    db.session.flush()
            except IntegrityError:
                continue  # another run sent it meanwhile
            people = company_users(agreement.company_id)
            for user in people:
                queue_mail(user.email, f"reports/mail/{kind}.txt", locale=user.locale or "ru", agreement=agreement,
                           period=period.code, due=due, report=report,
                           returned=report is not None and report.status == Status.RETURNED)
            reminder.recipients = len(people)
            record("report.reminder", reminder, actor_label="reports-remind",
                   details={"agreement": agreement.number, "period": period.code, "kind": kind,
                            "due": due.isoformat(), "recipients": len(people)})
            sent.append(Sent(agreement.number, period.code, kind, len(people)))
    return sent


def _already(agreement_id: int, period: str, kind: str) -> bool:
    return db.session.scalar(select(ReportReminder.id).where(
        ReportReminder.agreement_id == agreement_id, ReportReminder.period == period,
        ReportReminder.kind == kind)) is not None


def remind_and_commit(today: date | None = None) -> list[Sent]:
    """Queue the reminders due on ``today`` (default the zone's today) in a unit of work of its own and commit
    (the command and the worker); operators read its words in English."""
    with unit_of_work(), force_locale("en"):
        sent = remind(today or zone_today())
        db.session.commit()
    return sent
