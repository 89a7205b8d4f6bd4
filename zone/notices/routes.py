"""The notices pages: subscriptions (admins), their delivery logs with replay, and what needs staff's
attention (receivers failing for days, notices close to their deadline undelivered)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from zone.accounts.roles import READER_ROLES, STAFF_ROLES, Role
from zone.database import writes
from zone.errors import NotFound, ValidationFailed, ZoneError
from zone.extensions import db
from zone.notices import eaeu, queries, services
from zone.notices import letters as notice_letters
from zone.notices.eaeu import extract_date
from zone.notices.forms import EVENT_LABELS, SIDE_CHOICES, EmptyForm, LetterSentForm, SubscriptionForm
from zone.notices.models import Subscription
from zone.web.access import allow
from zone.web.export_columns import wants_machine_names
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


@bp.get("/letters")
@allow(*READER_ROLES)
def letters():
    """Every recent event with its signed letter (made on first opening) and whether it was sent."""
    return render_template("notices/letters.html", rows=notice_letters.recent(), events=EVENT_LABELS,
                           form=LetterSentForm(), can_send=current_user.role in STAFF_ROLES)


@bp.get("/letters/<int:seq>.pdf")
@allow(*READER_ROLES)
@writes
def letter_pdf(seq: int):
    try:
        letter = notice_letters.letter_for(seq)
    except NotFound:
        abort(404)
    db.session.commit()
    return Response(letter.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="notice-{letter.event.id}.pdf"'})


@bp.post("/letters/<int:seq>/sent")
@allow(*STAFF_ROLES)
def letter_sent(seq: int):
    form = LetterSentForm()
    try:
        if not form.validate_on_submit():
            raise ValidationFailed(_("Some values are not valid."), fields={"sent_to": [_("This field is required.")]})
        notice_letters.mark_sent(seq, current_user, form.sent_to.data)
    except NotFound:
        abort(404)
    except ZoneError as error:
        db.session.rollback()
        problems = [str(m) for messages in error.fields.values() for m in messages]
        flash("; ".join(problems) or str(error.message), "error")
        return redirect(url_for("notices.letters"))
    db.session.commit()
    flash(_("The sending is recorded."), "success")
    return redirect(url_for("notices.letters"))


def _extract_day():
    try:
        return extract_date(request.args)
    except ValidationFailed:
        return None


@bp.get("/eaeu-register.csv")
@allow(*READER_ROLES)
@writes
def eaeu_csv():
    """The EAEU register extract (the page's twin of the API's), as of ``?date=``."""
    day = _extract_day()
    if day is None:
        flash(_("Enter a date as YYYY-MM-DD."), "error")
        return redirect(url_for("notices.index"))
    return eaeu.csv_extract(day, machine_header=wants_machine_names(request.args))


@bp.get("/eaeu-register.xlsx")
@allow(*READER_ROLES)
@writes
def eaeu_xlsx():
    day = _extract_day()
    if day is None:
        flash(_("Enter a date as YYYY-MM-DD."), "error")
        return redirect(url_for("notices.index"))
    return eaeu.xlsx_extract(day)
