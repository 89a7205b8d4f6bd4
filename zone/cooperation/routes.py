"""Cooperation pages: the resident's offers, needs, matches and contact requests, the staff's list of
requests, and the HS picker's search (a page without script, a JSON list with it)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from zone.accounts.roles import READER_ROLES, Role
from zone.cooperation import hs, matching, policies, presenters, queries, services
from zone.cooperation.models import Need, Offer
from zone.cooperation.values import whole
from zone.cooperation.workflow import Action, actions_for
from zone.errors import ValidationFailed, ZoneError
from zone.extensions import db
from zone.web.access import AUTHENTICATED, PUBLIC, allow

bp = Blueprint("cooperation", __name__)


def _locale() -> str:
    return str(get_locale() or "ru")


def _form() -> dict:
    return {key: value for key, value in request.form.items() if key != "csrf_token"}


def _own(model, row_id: int):
    row = db.session.get(model, row_id)
    if row is None or not row.active or not policies.owns(current_user, row):
        abort(404)
    return row


def _cabinet(*, need_form: dict | None = None, offer_form: dict | None = None,
             errors: dict | None = None):
    company = policies.company_of(current_user)
    side = queries.resident_side(company)
    found = matching.matches(company, limit=50) if side else []
    page = render_template(
        "cooperation/index.html", side=side, offers=queries.offers_of(company) if side else [],
        needs=queries.needs_of(company) if side else [], matches=found, requests=queries.requests_of(company),
        explain=presenters.explanation, state_label=presenters.state_label, hs_name=hs.name,
        chapter_name=hs.chapter_name, locale=_locale(), need_form=need_form or {}, offer_form=offer_form or {},
        errors=errors or {}, direction_labels=presenters.DIRECTION_LABELS, amount=presenters.amount,
        party=lambda r: policies.party(current_user, r))
    return page


@bp.get("/cooperation")
@allow(AUTHENTICATED)
def index():
    """A resident's cooperation cabinet; staff and auditors: every contact request."""
    if policies.can_read_all(current_user):
        state = request.args.get("state") or None
        rows = queries.all_requests(state=state if state in presenters.STATE_LABELS_KEYS else None, limit=200)
        return render_template("cooperation/staff.html", rows=rows, state=state,
                               states=presenters.STATE_LABELS_KEYS, state_label=presenters.state_label,
                               amount=presenters.amount)
    return _cabinet()


@bp.get("/cooperation/hs")
@allow(PUBLIC)
def hs_search():
    """The HS picker without script: a search form and the subheadings found."""
    query = request.args.get("q", "")[:hs.MAX_QUERY]
    return render_template("cooperation/hs_search.html", query=query, entries=hs.search(query, limit=50),
                           locale=_locale(), hs_name=hs.name, chapter_name=hs.chapter_name, edition=hs.EDITION,
                           source=hs.SOURCE)


def _write(step, success: str, *, keep: str | None = None):
    try:
        step()
    except ValidationFailed as error:
        db.session.rollback()
        flash(_("Some values are not valid."), "error")
        kept = {keep: _form()} if keep else {}
        return _cabinet(errors=error.fields, **kept)
    except ZoneError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("cooperation.index"))
    db.session.commit()
    flash(success, "success")
    return redirect(url_for("cooperation.index"))


@bp.post("/cooperation/needs")
@allow(Role.APPLICANT)
def add_need():
    return _write(lambda: services.add_need(policies.company_of(current_user), _form(), current_user),
                  _("The need is published: residents of the other side who make it are listed below."),
                  keep="need_form")


@bp.get("/cooperation/needs/<int:need_id>/edit")
@allow(Role.APPLICANT)
def edit_need(need_id: int):
    need = _own(Need, need_id)
    return render_template("cooperation/edit.html", kind="need", row=need, values=presenters.need_json(need),
                           errors={}, hs_name=hs.name, locale=_locale())


@bp.post("/cooperation/needs/<int:need_id>")
@allow(Role.APPLICANT)
def update_need(need_id: int):
    need = _own(Need, need_id)
    try:
        services.update_need(need, _form(), current_user)
    except ValidationFailed as error:
        db.session.rollback()
        return render_template("cooperation/edit.html", kind="need", row=need, values=_form(), errors=error.fields,
                               hs_name=hs.name, locale=_locale())
    db.session.commit()
    flash(_("The need is saved."), "success")
    return redirect(url_for("cooperation.index"))


@bp.post("/cooperation/needs/<int:need_id>/remove")
@allow(Role.APPLICANT)
def remove_need(need_id: int):
    need = _own(Need, need_id)
    return _write(lambda: services.remove_need(need, current_user), _("The need is no longer published."))


@bp.post("/cooperation/offers")
@allow(Role.APPLICANT)
def add_offer():
    return _write(lambda: services.add_offer(policies.company_of(current_user), _form(), current_user),
                  _("The product is offered to residents of the other side."), keep="offer_form")


@bp.post("/cooperation/offers/import")
@allow(Role.APPLICANT)
def import_offers():
    return _write(lambda: services.import_offers(policies.company_of(current_user), current_user),
                  _("The products of your application are offered."))


@bp.get("/cooperation/offers/<int:offer_id>/edit")
@allow(Role.APPLICANT)
def edit_offer(offer_id: int):
    offer = _own(Offer, offer_id)
    return render_template("cooperation/edit.html", kind="offer", row=offer, values=presenters.offer_json(offer),
                           errors={}, hs_name=hs.name, locale=_locale())


@bp.post("/cooperation/offers/<int:offer_id>")
@allow(Role.APPLICANT)
def update_offer(offer_id: int):
    offer = _own(Offer, offer_id)
    try:
        services.update_offer(offer, _form(), current_user)
    except ValidationFailed as error:
        db.session.rollback()
        return render_template("cooperation/edit.html", kind="offer", row=offer, values=_form(),
                               errors=error.fields, hs_name=hs.name, locale=_locale())
    db.session.commit()
    flash(_("The product is saved."), "success")
    return redirect(url_for("cooperation.index"))


@bp.post("/cooperation/offers/<int:offer_id>/remove")
@allow(Role.APPLICANT)
def remove_offer(offer_id: int):
    offer = _own(Offer, offer_id)
    return _write(lambda: services.remove_offer(offer, current_user), _("The product is no longer offered."))


def _ids() -> dict:
    data = _form()
    for key in ("need_id", "offer_id"):
        data[key] = whole(data.get(key))
    return data


@bp.post("/cooperation/requests")
@allow(Role.APPLICANT)
def send_request():
    created = []

    def step():
        created.append(services.send_request(policies.company_of(current_user), _ids(), current_user))

    response = _write(step, _("Your request is sent; the company is told by e-mail."))
    if created and getattr(response, "status_code", None) == 302:
        return redirect(url_for("cooperation.request_page", request_id=created[0].id))
    return response


def _visible(request_id: int):
    contact = queries.request(request_id)
    if contact is None or not policies.can_view_request(current_user, contact):
        abort(404)
    return contact


@bp.get("/cooperation/requests/<int:request_id>")
@allow(Role.APPLICANT, *READER_ROLES)
def request_page(request_id: int):
    contact = _visible(request_id)
    party = policies.party(current_user, contact)
    return render_template("cooperation/request.html", r=contact, party=party,
                           actions=actions_for(contact.state, party), action_label=presenters.action_label,
                           state_label=presenters.state_label, hs_name=hs.name, locale=_locale(),
                           amount=presenters.amount, errors={}, values={})


@bp.post("/cooperation/requests/<int:request_id>/<action>")
@allow(Role.APPLICANT)
def act(request_id: int, action: str):
    _visible(request_id)
    if action not in {a.value for a in Action}:
        abort(404)
    contact = services.request_for_update(request_id)
    party = policies.party(current_user, contact)
    data = _form()
    version = data.pop("version", "")
    try:
        services.apply_action(contact, action, party, current_user, data,
                              version=whole(version))
    except ValidationFailed as error:
        db.session.rollback()
        flash(_("Some values are not valid."), "error")
        return render_template("cooperation/request.html", r=contact, party=party,
                               actions=actions_for(contact.state, party), action_label=presenters.action_label,
                               state_label=presenters.state_label, hs_name=hs.name, locale=_locale(),
                               amount=presenters.amount, errors=error.fields, values=data)
    except ZoneError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The request is now: %(state)s.", state=presenters.state_label(contact.state)), "success")
    return redirect(url_for("cooperation.request_page", request_id=request_id))
