"""``flask --app wsgi reports remind``: a mail before a report is due and one on the first overdue day, to the
company's people through the outbox, never twice for the same period and kind."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.reports.conftest import QUARTER


def _outbox(app, kind=None):
    from zone.extensions import db
    from zone.mail.models import MailMessage

    with app.app_context():
        stmt = select(MailMessage).order_by(MailMessage.id)
        rows = db.session.scalars(stmt).all()
        return [(m.kind, m.recipient, m.subject) for m in rows if kind is None or m.kind == kind]


def test_reminders_before_due_and_when_overdue_are_sent_once(app, runner, client, resident, new_report):
    applicant = resident.users["applicant"].email
    before = len(_outbox(app))
    # 2026-Q3 is due on 27 October 2026 on the KZ side: 30 September + 25 days is Sunday 25 October,
    # Republic Day, whose day off moves to Monday 26 October. Q1 and Q2 are long overdue, never reminded.
    result = runner.invoke(args=["reports", "remind", "--today", "2026-10-20"])
    assert result.exit_code == 0, result.output
    sent = _outbox(app)[before:]
    assert sorted((k, r) for k, r, _s in sent) == [("before_due", applicant), ("overdue", applicant),
                                                  ("overdue", applicant)]
    assert any("2026-Q3" in subject for kind, _r, subject in sent if kind == "before_due")

    again = runner.invoke(args=["reports", "remind", "--today", "2026-10-27"])  # the due day itself
    assert again.exit_code == 0 and "0 reminder(s)" in again.output
    assert len(_outbox(app)) == before + 3

    result = runner.invoke(args=["reports", "remind", "--today", "2026-10-28"])  # the first overdue day
    assert result.exit_code == 0 and "2026-Q3: overdue" in result.output
    kinds = [k for k, _r, _s in _outbox(app)[before:]]
    assert kinds.count("overdue") == 3 and kinds.count("before_due") == 1
    assert "0 reminder(s)" in runner.invoke(args=["reports", "remind", "--today", "2026-10-29"]).output


def test_a_submitted_report_is_not_reminded(app, runner, client, resident, new_report):
    for period in ("2026-Q1", "2026-Q2", "2026-Q3"):
        draft = new_report(period, **QUARTER)
        assert client.post(f"/api/v1/reports/{draft['id']}/submit", headers=resident.company).status_code == 200
    before = len(_outbox(app))
    result = runner.invoke(args=["reports", "remind", "--today", "2026-10-28"])
    assert result.exit_code == 0 and len(_outbox(app)) == before


def test_reminders_are_audited(app, runner, resident):
    from zone.audit.models import AuditEvent
    from zone.extensions import db

    runner.invoke(args=["reports", "remind", "--today", "2026-10-28"])
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "report.reminder"))
    assert count == 3


def test_staff_see_periods_reminded_as_overdue_and_not_started(app, runner, client, resident, login):
    runner.invoke(args=["reports", "remind", "--today", "2026-10-28"])
    login(resident.users["reviewer"])
    html = client.get("/reports?tab=overdue").get_data(as_text=True)
    section = html.split("<h2>", 1)[1]
    assert all(period in section for period in ("2026-Q1", "2026-Q2", "2026-Q3")) and resident.number in section
