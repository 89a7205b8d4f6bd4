"""Queueing and delivering mail.

``queue_mail()`` renders the message in the recipient's language and adds it to the outbox in the
caller's transaction: if the change rolls back, so does the message; if it commits, the message will
be delivered. ``deliver_due()`` sends what is due; a failure is retried with exponential back-off and a
mail server being down never loses a message.
"""

from __future__ import annotations

import logging
import smtplib
from contextlib import nullcontext
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from sqlalchemy import select

from zone.database import utcnow
from zone.extensions import db
from zone.mail.models import MailMessage

log = logging.getLogger(__name__)


def queue_mail(recipient: str, template: str, *, locale: str = "ru", **context) -> MailMessage:
    """Render ``templates/<domain>/mail/<kind>.txt`` (first line ``Subject: ...``) and queue it.

    ``template`` is the path below ``templates/``, e.g. ``"accounts/mail/password_reset.txt"``.
    """
    kind = template.rsplit("/", 1)[-1].removesuffix(".txt")
    # Outside a request (CLI, background loops) links are built against BASE_URL.
    request_ctx = nullcontext() if has_request_context() else current_app.test_request_context(
        base_url=current_app.config["BASE_URL"])
    with request_ctx, force_locale(locale):
        text = render_template(template, base_url=current_app.config["BASE_URL"], **context)
    first, _, body = text.lstrip().partition("\n")
    subject = first.removeprefix("Subject:").strip()
    message = MailMessage(kind=kind, recipient=recipient, subject=subject[:300], body=body.strip() + "\n",
                          locale=locale)
    db.session.add(message)
    return message


def build_email(message: MailMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
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


def deliver(message: MailMessage) -> bool:
    """Try to send one message; record the outcome on it. Returns True when sent."""
    try:
        email = build_email(message)
        if current_app.config["MAIL_BACKEND"] == "smtp":
            _send_smtp(email)
        else:
            _send_file(email, message)
    except (OSError, smtplib.SMTPException) as error:
        message.attempts += 1
        message.last_error = f"{type(error).__name__}: {error}"[:1000]
        if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            message.status = "failed"
        message.next_attempt_at = utcnow() + timedelta(seconds=min(3600, 30 * 2 ** (message.attempts - 1)))
        log.warning("Mail %s to %s failed (attempt %s): %s", message.id, message.recipient,
                    message.attempts, message.last_error)
        return False
    message.attempts += 1
    message.status = "sent"
    message.sent_at = utcnow()
    message.last_error = None
    return True


def deliver_due(limit: int = 100) -> tuple[int, int]:
    """Send every queued message that is due, each committed on its own. Returns (sent, failed)."""
    sent = failed = 0
    ids = db.session.scalars(
        select(MailMessage.id)
        .where(MailMessage.status == "queued", MailMessage.next_attempt_at <= utcnow())
        .order_by(MailMessage.id)
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
        if deliver(message):
            sent += 1
        else:
            failed += 1
        db.session.commit()
    return sent, failed
