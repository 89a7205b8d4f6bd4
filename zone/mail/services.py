"""Queueing and delivering mail.

``queue_mail()`` renders the message in the recipient's language and adds it to the outbox in the
caller's transaction: if the change rolls back, so does the message; if it commits, the message will
be delivered. ``deliver_due()`` sends what is due; a failure is retried with exponential back-off and a
mail server being down never loses a message.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import ScalarSelect, func, select

from zone.database import utcnow
from zone.extensions import db
from zone.mail.models import MailMessage
from zone.web.text import header_text, text_problem

log = logging.getLogger(__name__)


def queue_mail(recipient: str, template: str, *, locale: str = "ru", **context) -> MailMessage:
    """Render ``templates/<domain>/mail/<kind>.txt`` (first line ``Subject: ...``) and queue it.

    ``template`` is the path below ``templates/``, e.g. ``"accounts/mail/password_reset.txt"``.
    """
    kind = template.rsplit("/", 1)[-1].removesuffix(".txt")
    # Outside a request (CLI, background loops, session hooks) links are built against BASE_URL. No
    # throw-away request context: popping it would run teardown_request and end the caller's session.
    links = {} if has_request_context() else {"url_for": build_url}
    with force_locale(locale):
        text = render_template(template, base_url=current_app.config["BASE_URL"], **links, **context)
    first, _, body = text.lstrip().partition("\n")
    subject = first.removeprefix("Subject:").strip()
    message = MailMessage(kind=kind, recipient=recipient, subject=subject[:300], body=body.strip() + "\n",
                          locale=locale)
    db.session.add(message)
    return message


def build_url(endpoint: str, **values) -> str:
    """``url_for`` that also works outside a request: paths (and ``_external`` links) under ``BASE_URL``."""
    if has_request_context():
        return url_for(endpoint, **values)
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc or "localhost", script_name=base.path or "/",
                                       url_scheme=base.scheme or "http")
    external = bool(values.pop("_external", False))
    anchor = values.pop("_anchor", None)
    for option in ("_scheme", "_method"):
        values.pop(option, None)
    url = adapter.build(endpoint, values, force_external=external)
    return f"{url}#{anchor}" if anchor else url


class UnbuildableMessage(ValueError):
    """The stored message cannot become an email (e.g. its address holds a line break); retrying will not help."""


def build_email(message: MailMessage) -> EmailMessage:
    """The email for ``message``. Texts stored before control characters were refused at the door are made
    fit for their headers; an address that is not one line raises :class:`UnbuildableMessage` (changing it
    could send the mail to someone else)."""
    if text_problem(message.recipient):
        raise UnbuildableMessage(f"the recipient address {message.recipient!r} holds control characters")
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = header_text(message.subject)
    email["Date"] = format_datetime(message.created_at if message.created_at.tzinfo else utcnow())
    email["Message-ID"] = make_msgid(idstring=f"zone-{message.id}")
    email.set_content(message.body)
    return email


def _send_file(email: EmailMessage, message: MailMessage) -> None:
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    (outbox / f"{message.id:08d}-{message.kind}.eml").write_bytes(bytes(email))


def _send_smtp(email: EmailMessage) -> None:
    cfg = current_app.config
    timeout = cfg["MAIL_TIMEOUT"]
    if cfg["MAIL_USE_SSL"]:
        server: smtplib.SMTP = smtplib.SMTP_SSL(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=timeout,
                                                context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=timeout)
    with server:
        if cfg["MAIL_USE_TLS"]:
            server.starttls(context=ssl.create_default_context())
        if cfg["MAIL_USERNAME"]:
            server.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        server.send_message(email)


# SMTP replies that reject this message for good (unknown mailbox, refused content). Anything else (server
# down, timeouts, 4xx "try later", a login problem) is temporary: the message stays queued and is retried.
PERMANENT_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused)
# The server could not be reached or dropped us: the rest of this round would fail the same way.
CONNECTION_ERRORS = (OSError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)


def is_permanent(error: Exception) -> bool:
    """True for a 5xx rejection of this very message; False for everything worth retrying."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, PERMANENT_ERRORS):
        return getattr(error, "smtp_code", 0) >= 500
    return False


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 30 s, 1 min, 2 min, … doubling up to ``MAIL_MAX_BACKOFF`` (1 hour)."""
    cap = int(current_app.config.get("MAIL_MAX_BACKOFF", 3600))
    return timedelta(seconds=min(cap, 30 * 2 ** min(max(attempts - 1, 0), 20)))


def deliver(message: MailMessage) -> bool:
    """Try to send one message; record the outcome on it. Returns True when sent.

    A temporary failure keeps the message queued with a later ``next_attempt_at`` (exponential
    back-off); it is never dropped. Only a permanent rejection (5xx for the recipient or the content) or a
    message that cannot be built or encoded marks it ``failed``, with the reason in ``last_error``;
    ``flask mail retry`` queues failed messages again.
    """
    return _attempt(message) is None


def _attempt(message: MailMessage) -> Exception | None:
    """Send ``message`` and record the outcome; the error when it failed, None when sent.

    Nothing about one message escapes: whatever it raises is recorded on it, so the round goes on.
    """
    try:
        email = build_email(message)
    except Exception as error:  # the stored data cannot make an email: no retry will change that
        _give_up(message, error, "cannot be built")
        return error
    try:
        if current_app.config["MAIL_BACKEND"] == "smtp":
            _send_smtp(email)
        else:
            _send_file(email, message)
    except (OSError, smtplib.SMTPException) as error:
        message.attempts += 1
        message.last_error = f"{type(error).__name__}: {error}"[:1000]
        message.next_attempt_at = utcnow() + backoff(message.attempts)
        if is_permanent(error):
            message.status = "failed"
            log.error("Mail %s to %s rejected for good: %s", message.id, message.recipient, message.last_error)
        elif message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            # Still queued: a server outage must not lose mail. Operators see it in `flask mail status`.
            log.error("Mail %s to %s still not delivered after %s attempts: %s", message.id, message.recipient,
                      message.attempts, message.last_error)
        else:
            log.warning("Mail %s to %s failed (attempt %s), retrying later: %s", message.id, message.recipient,
                        message.attempts, message.last_error)
        return error
    except Exception as error:  # something about this message the transport cannot take (e.g. its encoding)
        _give_up(message, error, "cannot be sent")
        return error
    message.attempts += 1
    message.status = "sent"
    message.sent_at = utcnow()
    message.last_error = None
    return None


def _give_up(message: MailMessage, error: Exception, what: str) -> None:
    """Mark ``message`` failed with the reason; ``flask mail retry`` queues it again once the cause is fixed."""
    message.attempts += 1
    message.status = "failed"
    message.last_error = f"{what}: {type(error).__name__}: {error}"[:1000]
    log.error("Mail %s %s: %s", message.id, what, message.last_error)


def deliver_due(limit: int = 100) -> tuple[int, int]:
    """Send every queued message that is due, each committed on its own. Returns (sent, failed).

    When the server cannot be reached the round stops after that message: the others keep their
    place and are tried in the next round, without an attempt counted against them.
    """
    sent = failed = 0
    ids = db.session.scalars(
        select(MailMessage.id)
        .where(MailMessage.status == "queued", MailMessage.next_attempt_at <= utcnow())
        .order_by(MailMessage.next_attempt_at, MailMessage.id)
        .limit(limit)
    ).all()
    db.session.commit()
    for message_id in ids:
        # Lock the row so two senders never deliver the same message twice.
        message = db.session.execute(
            select(MailMessage).where(MailMessage.id == message_id, MailMessage.status == "queued")
            .with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if message is None:
            db.session.rollback()
            continue
        error = _attempt(message)
        db.session.commit()
        if error is None:
            sent += 1
            continue
        failed += 1
        if isinstance(error, CONNECTION_ERRORS):
            break
    return sent, failed


def oldest_queued_query() -> ScalarSelect:
    """The SQL for when the oldest message still waiting to be sent was queued (NULL: nothing waits)."""
    return select(func.min(MailMessage.created_at)).where(MailMessage.status == "queued").scalar_subquery()


def queued_count_query() -> ScalarSelect:
    """The SQL for how many messages wait to be sent."""
    return select(func.count()).where(MailMessage.status == "queued").scalar_subquery()


def oldest_queued() -> datetime | None:
    """When the oldest message still waiting to be sent was queued (None: nothing waits)."""
    return db.session.scalar(select(oldest_queued_query()))


def outbox_status() -> dict:
    """Counts by status, the oldest queued message's age and the latest error (for operators)."""
    counts = dict(db.session.execute(select(MailMessage.status, func.count()).group_by(MailMessage.status)).all())
    oldest = oldest_queued()
    last = db.session.execute(
        select(MailMessage.id, MailMessage.last_error).where(MailMessage.last_error.is_not(None))
        .order_by(MailMessage.id.desc()).limit(1)).first()
    return {"counts": counts, "oldest_queued": oldest, "last_error": last[1] if last else None}


def requeue_failed(message_ids: list[int] | None = None) -> int:
    """Queue failed messages (all, or those ids) again, due now. Returns how many."""
    stmt = select(MailMessage).where(MailMessage.status == "failed")
    if message_ids:
        stmt = stmt.where(MailMessage.id.in_(message_ids))
    rows = db.session.scalars(stmt).all()
    for message in rows:
        message.status = "queued"
        message.next_attempt_at = utcnow()
    db.session.commit()
    return len(rows)
