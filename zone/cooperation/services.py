"""Every change of cooperation data: offers, needs, contact requests and their outcome.

Each function checks what only the domain knows (residency, the other side, the transition table),
changes the rows, records the audit entry and queues mail; it never commits (the route does).
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.accounts.models import User
from zone.accounts.roles import Role
from zone.applications.models import Application
from zone.audit.services import record
from zone.certificates.models import Certificate
from zone.cooperation import hs, presenters, queries
from zone.cooperation import values as clean
from zone.cooperation.models import ContactRequest, Need, Offer
from zone.cooperation.workflow import RECIPIENT, Action, State, target
from zone.database import utcnow
from zone.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed
from zone.extensions import db
from zone.mail.services import queue_mail

MAX_OFFERS = 100
MAX_NEEDS = 100
NOT_RESIDENT = _l("Only residents of the centre (with a valid certificate) take part in cooperation.")


def resident_side(company_id: int | None) -> str:
    """The side of the company's live certificate; Forbidden when it is not a resident."""
    side = queries.resident_side(company_id)
    if side is None:
        raise Forbidden(NOT_RESIDENT, code="not_resident")
    return side


# --- offers -------------------------------------------------------------------------------------------

def publish_offers(application: Application, certificate: Certificate) -> list[Offer]:
    """Offer the admitted application's products (those whose HS code names a subheading of the edition),
    unless the company already publishes offers. Called by admission; idempotent."""
    if queries.offers_of(certificate.company_id, active_only=False):
        return []
    created = []
    for product in application.products or []:
        code = hs.subheading_of(product.get("hs_code"))
        volume = product.get("annual_volume")
        if code is None or not volume or not product.get("name") or not product.get("unit"):
            continue
        offer = Offer(company_id=certificate.company_id, side=certificate.side, name=str(product["name"])[:200],
                      capacity=Decimal(str(volume)), unit=str(product["unit"])[:30], source="application")
        offer.set_code(code)
        db.session.add(offer)
        created.append(offer)
    if created:
        db.session.flush()
        record("cooperation.offers_published", object_type="company", object_id=certificate.company_id,
               details={"offers": [o.id for o in created], "application": application.id})
    return created


def import_offers(company_id: int, actor: User) -> list[Offer]:
    """The resident asks for its application's products as offers (when it has none yet)."""
    resident_side(company_id)
    certificate = queries.live_certificate_of(company_id)
    if certificate is None:
        raise Forbidden(NOT_RESIDENT, code="not_resident")
    return publish_offers(certificate.application, certificate)


def add_offer(company_id: int, data: dict, actor: User) -> Offer:
    side = resident_side(company_id)
    values = clean.offer(data)
    if len(queries.offers_of(company_id)) >= MAX_OFFERS:
        raise Conflict(_l("At most %(n)s products can be offered.", n=MAX_OFFERS), code="too_many")
    offer = Offer(company_id=company_id, side=side, name=values["name"], capacity=values["capacity"],
                  unit=values["unit"], source="resident")
    offer.set_code(values["hs_code"])
    db.session.add(offer)
    db.session.flush()
    record("cooperation.offer_add", offer, actor=actor, details=_offer_details(offer))
    return offer


def update_offer(offer: Offer, data: dict, actor: User) -> Offer:
    resident_side(offer.company_id)
    values = clean.offer(data)
    offer.set_code(values["hs_code"])
    offer.name, offer.capacity, offer.unit = values["name"], values["capacity"], values["unit"]
    offer.updated_at = utcnow()
    record("cooperation.offer_update", offer, actor=actor, details=_offer_details(offer))
    return offer


def remove_offer(offer: Offer, actor: User) -> None:
    offer.active, offer.updated_at = False, utcnow()
    record("cooperation.offer_remove", offer, actor=actor, details={"hs_code": offer.hs_code})


def _offer_details(offer: Offer) -> dict:
    return {"hs_code": offer.hs_code, "name": offer.name, "capacity": str(offer.capacity), "unit": offer.unit}


# --- needs --------------------------------------------------------------------------------------------

def add_need(company_id: int, data: dict, actor: User) -> Need:
    """Publish what the resident buys; 403 for a company that is not a resident."""
    side = resident_side(company_id)
    values = clean.need(data)
    if len(queries.needs_of(company_id)) >= MAX_NEEDS:
        raise Conflict(_l("At most %(n)s needs can be published.", n=MAX_NEEDS), code="too_many")
    need = Need(company_id=company_id, side=side, created_by_id=actor.id)
    _set_need(need, values)
    db.session.add(need)
    db.session.flush()
    record("cooperation.need_add", need, actor=actor, details=_need_details(need))
    return need


def update_need(need: Need, data: dict, actor: User) -> Need:
    resident_side(need.company_id)
    _set_need(need, clean.need(data))
    need.updated_at = utcnow()
    record("cooperation.need_update", need, actor=actor, details=_need_details(need))
    return need


def remove_need(need: Need, actor: User) -> None:
    need.active, need.updated_at = False, utcnow()
    record("cooperation.need_remove", need, actor=actor, details={"hs_code": need.hs_code})


def _set_need(need: Need, values: dict) -> None:
    need.set_code(values["hs_code"])
    need.description, need.annual_volume, need.unit = values["description"], values["annual_volume"], values["unit"]
    need.target_price, need.price_currency = values["target_price"], values["price_currency"]
    need.certificates_required = values["certificates_required"]


def _need_details(need: Need) -> dict:
    return {"hs_code": need.hs_code, "annual_volume": str(need.annual_volume), "unit": need.unit}


# --- contact requests ---------------------------------------------------------------------------------

def send_request(company_id: int, data: dict, actor: User) -> ContactRequest:
    """Write to the resident on the other side of a match: ``need_id`` and ``offer_id`` name the match,
    one of them the sender's own; the other company becomes the recipient and is mailed."""
    side = resident_side(company_id)
    errors: dict[str, list] = {}
    need = _active(Need, data.get("need_id"), "need_id", errors)
    offer = _active(Offer, data.get("offer_id"), "offer_id", errors)
    text = None
    try:
        text = clean.message(data.get("message"))
    except ValidationFailed as error:
        errors.update(error.fields)
    if errors:
        raise ValidationFailed(_l("Some values are not valid."), fields=errors)
    if company_id not in (need.company_id, offer.company_id):
        raise ValidationFailed(_l("One side of the match must be your own need or product."),
                               fields={"need_id": [str(_l("Not one of your needs."))],
                                       "offer_id": [str(_l("Not one of your products."))]})
    other = offer if need.company_id == company_id else need
    if other.company_id == company_id or other.side == side or queries.resident_side(other.company_id) is None:
        raise ValidationFailed(_l("Contact requests go to residents of the other side of the centre."),
                               fields={"offer_id" if other is offer else "need_id": [str(_l("Not a match."))]})
    if need.hs_chapter != offer.hs_chapter:
        raise ValidationFailed(_l("The product and the need are not in the same HS chapter."),
                               fields={"offer_id": [str(_l("Not a match."))]})
    duplicate = db.session.scalar(select(ContactRequest.id).where(
        ContactRequest.need_id == need.id, ContactRequest.offer_id == offer.id,
        ContactRequest.state.in_([State.SENT, State.ACCEPTED, State.MET])))
    if duplicate:
        raise Conflict(_l("A request about this match is already open."), code="duplicate",
                       details={"request": duplicate})
    request = ContactRequest(sender_company_id=company_id, recipient_company_id=other.company_id,
                             sender_side=side, recipient_side=other.side, need_id=need.id, offer_id=offer.id,
                             hs_code=offer.hs_code if other is offer else need.hs_code, message=text,
                             created_by_id=actor.id)
    db.session.add(request)
    db.session.flush()
    record("cooperation.request_send", request, actor=actor,
           details={"recipient": other.company_id, "need": need.id, "offer": offer.id})
    _notify(request, request.recipient_company_id, "cooperation/mail/request_received.txt")
    return request


def _active(model, raw, path: str, errors: dict) -> object | None:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 < raw < 2**63:
        errors[path] = [str(_l("This field is required.")) if raw is None else str(_l("Must be a whole number."))]
        return None
    row = db.session.get(model, raw)
    if row is None or not row.active:
        errors[path] = [str(_l("Not found."))]
        return None
    return row


def request_for_update(request_id: int) -> ContactRequest | None:
    return db.session.scalar(select(ContactRequest).where(ContactRequest.id == request_id).with_for_update())


def apply_action(request: ContactRequest, action: Action | str, party: str | None, actor: User,
                 data: dict | None = None, *, version: int | None = None) -> ContactRequest:
    """Take ``action`` on the request for ``party`` (sender, recipient), as the transition table allows:
    the answer (accept, decline, withdraw) or the outcome (meeting, contract, no deal)."""
    data = data or {}
    try:
        action = Action(action)
    except ValueError:
        raise NotFound(_l("No such action.")) from None
    if version is not None and version != request.version:
        raise StaleVersion(_l("The request was changed meanwhile; reload it."), details={"version": request.version})
    to = target(request.state, action, party)
    if to is None:
        raise Conflict(_l("This request cannot be changed that way now."), code="not_allowed",
                       details={"state": request.state})
    details: dict = {"from": request.state, "to": to.value}
    now = utcnow()
    if action in (Action.ACCEPT, Action.DECLINE):
        if not clean.v.blank(data.get("response")):
            request.response = clean.message(data.get("response"), "response")
        request.answered_at = now
    elif action == Action.RECORD_MEETING:
        outcome = clean.outcome(data, contract=False)
        request.meeting_on = outcome["on"]
        request.outcome_note = outcome["note"] or request.outcome_note
        details["meeting_on"] = outcome["on"]
    elif action == Action.RECORD_CONTRACT:
        outcome = clean.outcome(data, contract=True)
        request.contract_on, request.contract_volume = outcome["on"], outcome["volume"]
        request.contract_unit, request.contract_value_usd = outcome["unit"], outcome["value_usd"]
        request.outcome_note = outcome["note"] or request.outcome_note
        details.update(volume=str(outcome["volume"]), unit=outcome["unit"],
                       value_usd=None if outcome["value_usd"] is None else str(outcome["value_usd"]))
    elif action == Action.RECORD_NO_DEAL:
        outcome = clean.outcome(data, contract=False)
        request.outcome_note = outcome["note"] or request.outcome_note
    if to in (State.DECLINED, State.WITHDRAWN, State.CONTRACTED, State.NO_DEAL):
        request.closed_at = now
    request.state, request.version, request.updated_at = to, request.version + 1, now
    record(f"cooperation.request_{action.value}", request, actor=actor, details=details)
    other = request.sender_company_id if party == RECIPIENT else request.recipient_company_id
    if action in (Action.ACCEPT, Action.DECLINE):
        _notify(request, other, "cooperation/mail/request_answered.txt")
    elif action == Action.RECORD_CONTRACT:
        _notify(request, other, "cooperation/mail/contract_recorded.txt")
    return request


def _notify(request: ContactRequest, company_id: int, template: str) -> None:
    users = db.session.scalars(select(User).where(User.company_id == company_id, User.role == Role.APPLICANT,
                                                  User.active.is_(True)).order_by(User.id)).all()
    for user in users:
        queue_mail(user.email, template, locale=user.locale or "ru", request=request,
                   hs_name=hs.name(request.hs_code, user.locale or "ru"), state_label=presenters.state_label)

