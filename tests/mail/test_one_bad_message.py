"""One message that cannot be sent as it is never stops the others, a round or the ``--loop`` worker.

Texts with control characters are refused at the door now, but rows written before that (or around it)
are still in the database: a company name with a carriage return, an address with a line break.
"""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from tests.conftest import read_outbox


def _messages(app):
    from zone.extensions import db
    from zone.mail.models import MailMessage

    with app.app_context():
        rows = db.session.query(MailMessage).order_by(MailMessage.id).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def _send(runner) -> str:
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output.strip()


def test_a_company_name_with_a_carriage_return_still_lets_every_mail_out(app, client, runner, make_company,
                                                                         make_user, login, outbox_dir):
    company = make_company(name="ТОО «Ромашка»\rBcc: victim@example.com")  # stored before the door refused it
    owner = make_user("applicant", company=company)
    colleague = make_user("applicant", email="colleague@example.com")
    login(owner)
    assert client.post("/company/members", data={"email": "new.member@example.com"}).status_code == 302
    assert client.post("/password/forgot", data={"email": colleague.email}).status_code == 302
    invitation, _reset = _messages(app)
    assert "\r" in invitation.subject  # what the template made of the stored name

    assert _send(runner) == "sent 2, failed 0"
    assert [m.status for m in _messages(app)] == ["sent", "sent"]
    mails = {mail["to"]: mail for mail in read_outbox(outbox_dir)}
    assert set(mails) == {"new.member@example.com", colleague.email}
    raw = mails["new.member@example.com"]["path"].read_bytes()
    sent = message_from_bytes(raw, policy=policy.default)
    assert "Ромашка" in sent["Subject"] and "\r" not in sent["Subject"]
    assert sent["Bcc"] is None and b"\rBcc" not in raw  # the name did not become a header
    assert "/password/reset/" in mails[colleague.email]["body"]


def test_a_message_that_cannot_be_built_fails_alone_with_its_reason(app, client, runner, make_user, outbox_dir):
    from zone.extensions import db
    from zone.mail.models import MailMessage

    with app.app_context():
        db.session.add(MailMessage(kind="invitation", recipient="someone@example.com\r\nBcc: victim@example.com",
                                   subject="Приглашение", body="Текст\n", locale="ru"))
        db.session.commit()
    user = make_user("applicant", email="reset.me@example.com")
    assert client.post("/password/forgot", data={"email": user.email}).status_code == 302

    assert _send(runner) == "sent 1, failed 1"
    bad, reset = _messages(app)
    assert bad.status == "failed" and "recipient" in bad.last_error and bad.sent_at is None
    assert reset.status == "sent"
    assert [mail["to"] for mail in read_outbox(outbox_dir)] == [user.email]
    status = runner.invoke(args=["mail", "status"]).output
    assert "failed 1" in status and "recipient" in status
    assert _send(runner) == "sent 0, failed 0"  # failed for good: not tried again every round


def test_an_unexpected_error_while_sending_fails_that_message_only(app, client, runner, make_user, monkeypatch):
    from zone.mail import services

    real = services._send_file

    def picky(email, message):
        if "first" in message.recipient:
            raise UnicodeEncodeError("ascii", "ё", 0, 1, "the server takes ASCII only")
        real(email, message)

    monkeypatch.setattr(services, "_send_file", picky)
    for user in (make_user("applicant", email="first@example.com"), make_user("applicant", email="second@example.com")):
        assert client.post("/password/forgot", data={"email": user.email}).status_code == 302

    assert _send(runner) == "sent 1, failed 1"
    bad, good = _messages(app)
    assert bad.status == "failed" and "UnicodeEncodeError" in bad.last_error
    assert good.status == "sent"


class _Stop(BaseException):
    """Ends the endless loop of the test."""


def test_the_loop_worker_survives_a_round_that_fails(runner, monkeypatch):
    from zone.mail import cli, services

    rounds = []

    def deliver_due():
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise RuntimeError("the database went away")
        return 1, 0

    def sleep(_seconds):
        if len(rounds) >= 3:
            raise _Stop

    monkeypatch.setattr(services, "deliver_due", deliver_due)
    monkeypatch.setattr(cli.time, "sleep", sleep)
    with pytest.raises(_Stop):  # ended by the test, not by the failed round
        runner.invoke(args=["mail", "send", "--loop", "--interval", "1"])
    assert len(rounds) == 3


@pytest.mark.parametrize("subject", ["Счёт\r\nBcc: x@example.com", "A\x00B", "tab\there", "line\u2028break"])
def test_headers_are_built_from_any_stored_subject(app, subject):
    from zone.database import utcnow
    from zone.mail.models import MailMessage
    from zone.mail.services import build_email

    with app.app_context():
        email = build_email(MailMessage(id=7, kind="x", recipient="a@example.com", subject=subject, body="b\n",
                                        locale="ru", created_at=utcnow()))
        header = email["Subject"]
        assert not any(ch in header for ch in "\r\n\x00\t\u2028") and email["Bcc"] is None
        assert bytes(email).count(b"\nSubject:") == 1
