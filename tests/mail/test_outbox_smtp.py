"""The outbox against a real SMTP server (aiosmtpd on 127.0.0.1): a failing server never loses mail."""

from __future__ import annotations

import contextlib
import socket
from datetime import UTC, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from zone.calendar import today as zone_today
from zone.database import utcnow


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite gives naive UTC


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FlakyHandler:
    """Answers DATA with ``replies`` in turn (then 250 for ever) and keeps what it accepted."""

    def __init__(self, replies=(), rcpt_reply=None):
        self.replies = list(replies)
        self.rcpt_reply = rcpt_reply
        self.accepted: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.replies:
            return self.replies.pop(0)
        self.accepted.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def app_overrides(smtp_port):
    return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 5,
            "MAIL_MAX_ATTEMPTS": 2}


@pytest.fixture
def smtp_server(smtp_port):
    servers = []

    def _start(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        servers.append(controller)
        return controller

    yield _start
    for controller in servers:
        with contextlib.suppress(AssertionError, RuntimeError):
            controller.stop()


def _queue_through_review(client, make_application, make_user, api_token) -> int:
    """A reviewer asks for information over HTTP: the company's mail is queued in that transaction."""

    reviewer = make_user("reviewer")
    app_id = make_application(status="in_review", assignee_id=reviewer.id)
    response = client.post(f"/api/v1/applications/{app_id}/actions", headers=api_token(reviewer), json={
        "action": "request_info", "version": 2, "comment": "Приложите выписку банка.",
        "deadline": (zone_today() + timedelta(days=10)).isoformat()})
    assert response.status_code == 200, response.get_json()
    return app_id


def _messages(app):
    from zone.extensions import db
    from zone.mail.models import MailMessage

    with app.app_context():
        rows = db.session.query(MailMessage).order_by(MailMessage.id).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def _make_due(app):
    from zone.extensions import db
    from zone.mail.models import MailMessage

    with app.app_context():
        for row in db.session.query(MailMessage).filter_by(status="queued"):
            row.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()


def _send(runner) -> str:
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_a_refusing_server_keeps_the_message_queued_until_it_accepts(app, client, runner, smtp_server,
                                                                     make_application, make_user, api_token):
    handler = FlakyHandler(replies=["451 4.3.0 Try again later", "451 4.3.0 Try again later"])
    smtp_server(handler)
    _queue_through_review(client, make_application, make_user, api_token)
    [queued] = _messages(app)
    assert queued.status == "queued" and queued.attempts == 0

    assert _send(runner) == "sent 0, failed 1"
    [message] = _messages(app)
    assert message.status == "queued" and message.attempts == 1 and "451" in message.last_error
    first_wait = _aware(message.next_attempt_at) - utcnow()
    assert timedelta(seconds=20) < first_wait <= timedelta(seconds=30)
    assert _send(runner) == "sent 0, failed 0"  # not due yet: the back-off is respected

    _make_due(app)
    assert _send(runner) == "sent 0, failed 1"
    [message] = _messages(app)
    # Past MAIL_MAX_ATTEMPTS (2) and still queued: a server outage never drops mail; the wait doubles.
    assert message.status == "queued" and message.attempts == 2
    assert timedelta(seconds=50) < _aware(message.next_attempt_at) - utcnow() <= timedelta(seconds=60)

    _make_due(app)
    assert _send(runner) == "sent 1, failed 0"
    [message] = _messages(app)
    assert message.status == "sent" and message.attempts == 3 and message.last_error is None
    [received] = handler.accepted
    assert received["To"] == message.recipient
    assert str(make_header(decode_header(received["Subject"]))) == message.subject
    assert "Приложите выписку банка." in received.get_payload(decode=True).decode("utf-8")


def test_a_stopped_server_loses_nothing_and_the_round_stops_early(app, client, runner, smtp_server, smtp_port,
                                                                  make_application, make_user, api_token):
    # Two applications, so several messages wait; nothing listens on the port yet.
    _queue_through_review(client, make_application, make_user, api_token)
    _queue_through_review(client, make_application, make_user, api_token)
    waiting = _messages(app)
    assert len(waiting) >= 2
    output = _send(runner)
    assert output == "sent 0, failed 1"  # the round gave up after the first connection error
    rows = _messages(app)
    assert all(m.status == "queued" for m in rows)
    assert [m.attempts for m in rows] == [1] + [0] * (len(rows) - 1)
    assert "Connection" in rows[0].last_error or "refused" in rows[0].last_error.lower()

    handler = FlakyHandler()
    smtp_server(handler)
    _make_due(app)
    assert _send(runner) == f"sent {len(rows)}, failed 0"
    assert all(m.status == "sent" for m in _messages(app))
    assert len(handler.accepted) == len(rows)


def test_a_permanent_rejection_fails_and_can_be_queued_again(app, client, runner, smtp_server, make_application,
                                                             make_user, api_token):
    handler = FlakyHandler(rcpt_reply="550 5.1.1 No such mailbox")
    smtp_server(handler)
    _queue_through_review(client, make_application, make_user, api_token)
    assert _send(runner) == "sent 0, failed 1"
    [message] = _messages(app)
    assert message.status == "failed" and "550" in message.last_error
    status = runner.invoke(args=["mail", "status"]).output
    assert "failed 1" in status and "550" in status

    handler.rcpt_reply = None  # the mailbox was created
    assert "queued again: 1" in runner.invoke(args=["mail", "retry"]).output
    assert _send(runner) == "sent 1, failed 0"
    assert _messages(app)[0].status == "sent"
