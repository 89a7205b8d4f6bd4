"""The notices pages: subscriptions (admins), their delivery logs with replay, and what needs staff's
attention (receivers failing for days, notices close to their deadline undelivered)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from zone.accounts.roles import READER_ROLES, Role
from zone.errors import ZoneError
from zone.extensions import db
from zone.notices import queries, services
from zone.notices.forms import EVENT_LABELS, SIDE_CHOICES, EmptyForm, SubscriptionForm
from zone.notices.models import Subscription
from zone.web.access import allow
from zone.web.forms import apply_service_errors

bp = Blueprint("notices", __name__, url_prefix="/notices")


def _render(form: SubscriptionForm, status: int = 200, secret: str | None = None):
    subscriptions = db.session.scalars(select(Subscription).where(Subscription.deleted_at.is_(None))
                                       .order_by(Subscription.id)).all()
    return render_template("notices/index.html", form=form, subscriptions=subscriptions,
                           failing=services.failing_subscriptions(), near=services.near_deadline(),
                           events=EVENT_LABELS, sides=SIDE_CHOICES, action_form=EmptyForm(), secret=secret,
                           can_manage=current_user.role == Role.ADMIN), status


@bp.get("")
@allow(*READER_ROLES)
def index():
    """Subscriptions and what needs attention; staff see it, admins also manage it."""
    return _render(SubscriptionForm(formdata=None))


@bp.post("")
@allow(Role.ADMIN)
def create():
    form = SubscriptionForm()
    if not form.validate_on_submit():
        return _render(form)
    try:
        subscription = services.create_subscription(current_user, name=form.name.data, url=form.url.data,
                                                    events=list(form.events.data or ()), side=form.side.data)
    except ZoneError as error:
        db.session.rollback()
        apply_service_errors(form, error)
        return _render(form)
    db.session.commit()
    # The secret is shown once, on this answer; it is not put in a flash (cookies) or a URL.
    return _render(SubscriptionForm(formdata=None), 201, secret=subscription.secret)


@bp.post("/<int:subscription_id>/delete")
@allow(Role.ADMIN)
def delete(subscription_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.delete_subscription(subscription_id, current_user)
    except ZoneError:
        abort(404)
    db.session.commit()
    flash(_("The subscription is deleted; its delivery log is kept."), "success")
    return redirect(url_for("notices.index"))


@bp.get("/<int:subscription_id>")
@allow(Role.ADMIN)
def deliveries(subscription_id: int):
    subscription = db.session.get(Subscription, subscription_id)
    if subscription is None or subscription.deleted_at is not None:
        abort(404)
    rows, attempts = queries.deliveries(subscription_id, 0, 200)
    return render_template("notices/deliveries.html", subscription=subscription, deliveries=rows,
                           attempts=attempts, events=EVENT_LABELS, action_form=EmptyForm())


@bp.post("/<int:subscription_id>/deliveries/<int:delivery_id>/replay")
@allow(Role.ADMIN)
def replay(subscription_id: int, delivery_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.replay(delivery_id, current_user, subscription_id=subscription_id)
    except ZoneError:
        abort(404)
    db.session.commit()
    flash(_("The notice will be sent again, with its original id, in the next round."), "success")
    return redirect(url_for("notices.deliveries", subscription_id=subscription_id))
