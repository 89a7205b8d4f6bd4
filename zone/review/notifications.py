"""Emails the review sends: to the company's people in their language, and to the assignee."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from zone.accounts.models import User
from zone.accounts.roles import Role
from zone.applications.models import Application
from zone.extensions import db
from zone.mail.services import build_url, queue_mail

# The company's page of an application, once the applications domain provides it (first found wins).
COMPANY_ENDPOINTS = ("applications.detail", "applications.view", "applications.show", "applications.application")


def company_recipients(application: Application) -> list[tuple[str, str]]:
    """(email, locale) of every active user of the application's company; the company's own address
    when it has no users."""
    users = db.session.scalars(
        select(User).where(User.company_id == application.company_id, User.role == Role.APPLICANT,
                           User.active.is_(True)).order_by(User.id)
    ).all()
    recipients = [(u.email, u.locale or "ru") for u in users]
    if not recipients and application.company.email:
        recipients = [(application.company.email, "ru")]
    return recipients


def _path_for(endpoint_names: tuple[str, ...], application: Application) -> str | None:
    for endpoint in endpoint_names:
        rules = [r for r in current_app.url_map.iter_rules() if r.endpoint == endpoint]
        if not rules:
            continue
        arguments = sorted(rules[0].arguments)
        if len(arguments) == 1:
            return build_url(endpoint, **{arguments[0]: application.id})
    return None


def company_link(application: Application) -> str:
    """Absolute link to the company's page of the application (its dashboard when there is none)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    path = _path_for(COMPANY_ENDPOINTS, application)
    if path is None:
        path = build_url("applications.dashboard") if "applications.dashboard" in current_app.view_functions else "/"
    return base + path


def staff_link(application: Application) -> str:
    base = current_app.config["BASE_URL"].rstrip("/")
    return base + build_url("review.application", application_id=application.id)


def notify_company(application: Application, template: str, **context) -> int:
    """Queue ``template`` to every person of the company; returns how many messages were queued."""
    from zone.review.decision import ground_label

    link = company_link(application)
    recipients = company_recipients(application)
    for email, locale in recipients:
        queue_mail(email, template, locale=locale, application=application, company=application.company,
                   link=link, ground_label=ground_label, **context)
    return len(recipients)


def notify_staff(user: User, application: Application, template: str, **context) -> None:
    """Queue ``template`` to one staff member."""
    if not user.active:
        return
    queue_mail(user.email, template, locale=user.locale or "ru", application=application,
               company=application.company, link=staff_link(application), user=user, **context)
