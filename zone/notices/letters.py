"""Letters: the zone-signed bilingual PDF of an event, for an authority without a receiver.

Rendered from plain values by the sandboxed document machinery of the certificates and signed with the
zone's key like the certificate; made once, when staff first open it, and kept byte for byte from then on.
Staff record when and to whom they sent it.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import defer

from zone.accounts.models import User
from zone.audit.services import record
from zone.calendar import local_date
from zone.certificates.letters import ZoneLetter
from zone.database import utcnow
from zone.errors import NotFound, ValidationFailed
from zone.events.models import Event
from zone.extensions import db
from zone.notices.models import NoticeLetter
from zone.web.text import text_problem

LETTER = ZoneLetter(Path(__file__).resolve().parents[2] / "templates" / "notices")
SIDES = {"KZ": ("Республика Казахстан", "Republic of Kazakhstan"),
         "UZ": ("Республика Узбекистан", "Republic of Uzbekistan")}
TYPES = {
    "certificate.issued": ("включение в реестр участников", "inclusion in the register of residents"),
    "certificate.suspended": ("приостановление действия свидетельства", "suspension of the certificate"),
    "certificate.reinstated": ("возобновление действия свидетельства", "reinstatement of the certificate"),
    "certificate.revoked": ("отзыв свидетельства", "revocation of the certificate"),
    "certificate.expired": ("истечение срока свидетельства", "expiry of the certificate"),
    "certificate.superseded": ("замена свидетельства при переоформлении", "certificate replaced by a reissue"),
    "agreement.concluded": ("заключение договора о деятельности", "activity agreement concluded"),
    "agreement.terminated": ("расторжение договора о деятельности", "activity agreement terminated"),
    "benefit.year_not_applicable": ("льгота не применяется за год", "benefit not applicable for a year"),
}


def context_of(event: Event) -> dict:
    """The letter's plain values (nothing but strings, lists and dicts reach the sandbox)."""
    data = event.data or {}
    side_ru, side_en = SIDES[event.side]
    type_ru, type_en = TYPES[event.type]
    return {"event_id": event.id, "side_ru": side_ru, "side_en": side_en, "type_ru": type_ru, "type_en": type_en,
            "date": local_date(event.occurred_at).isoformat(), "serial": str(data.get("serial") or ""),
            "status": str(data.get("status") or ""),
            "company": {"name": str((data.get("company") or {}).get("name") or ""),
                        "tax_id": str((data.get("company") or {}).get("tax_id") or "")},
            "agreement": (data.get("agreement") or {}).get("number"), "reason": data.get("reason"),
            "effective_from": data.get("effective_from"),
            "benefits": [{"code": str(b.get("code")), "periods": [dict(p) for p in b.get("periods") or ()]}
                         for b in data.get("benefits") or () if isinstance(b, dict)]}


def render_and_sign(event: Event) -> tuple[bytes, str]:
    return LETTER.render_and_sign(context_of(event), reason=f"Notice {event.id} to the authorities")


def letter_for(event_seq: int) -> NoticeLetter:
    """The event's signed letter, made now if it has none yet (the caller commits)."""
    event = db.session.get(Event, event_seq)
    if event is None:
        raise NotFound(_l("No such event."))
    letter = db.session.scalars(select(NoticeLetter).where(NoticeLetter.event_seq == event_seq)).first()
    if letter is None:
        pdf, digest = render_and_sign(event)
        letter = NoticeLetter(event_seq=event_seq, pdf=pdf, sha256=digest, size=len(pdf))
        db.session.add(letter)
        db.session.flush()
        record("notices.letter_signed", letter, details={"event": event.id, "sha256": digest})
    return letter


def mark_sent(event_seq: int, actor: User, sent_to: str) -> NoticeLetter:
    """Record that the letter went out, to whom and how; 422 without that."""
    sent_to = (sent_to or "").strip()
    if not sent_to or len(sent_to) > 300 or text_problem(sent_to):
        raise ValidationFailed(_l("Some values are not valid."),
                               fields={"sent_to": [_l("Say to which authority and how it was sent.")]})
    letter = letter_for(event_seq)
    letter.sent_at, letter.sent_by_id, letter.sent_to = utcnow(), actor.id, sent_to
    record("notices.letter_sent", letter, actor=actor, details={"event": letter.event.id, "sent_to": sent_to})
    return letter


def recent(limit: int = 200) -> list[tuple[Event, NoticeLetter | None]]:
    """The latest events, newest first, each with its letter if one was made."""
    events = db.session.scalars(select(Event).order_by(Event.seq.desc()).limit(limit)).all()
    letters = {row.event_seq: row for row in db.session.scalars(
        select(NoticeLetter).options(defer(NoticeLetter.pdf))
        .where(NoticeLetter.event_seq.in_([e.seq for e in events])))} if events else {}
    return [(e, letters.get(e.seq)) for e in events]
