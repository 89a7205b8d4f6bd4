"""Two daily runs at once (two machines, real threads on PostgreSQL): no duplicate case, notice or mail."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.compliance.conftest import on


def _counts(app):
    from zone.compliance.models import ComplianceCase, ComplianceNotice
    from zone.extensions import db
    from zone.mail.models import MailMessage

    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(ComplianceCase)),
                db.session.scalar(select(func.count()).select_from(ComplianceNotice)),
                db.session.scalar(select(func.count()).select_from(MailMessage).where(MailMessage.kind == "warning")))


@pytest.mark.postgres_only
def test_two_runs_at_once_open_one_case_and_send_one_warning(app, resident, file_report):
    from zone.compliance.run import run

    file_report(date(2027, 4, 10), "2027-Q1")
    barrier = threading.Barrier(2)
    errors: list = []

    def one_run() -> None:
        try:
            with app.app_context(), app.test_request_context("/", method="POST"):
                barrier.wait(timeout=30)
                run(date(2027, 7, 27), batch_size=1)
        except Exception as exc:  # reported below: a thread's exception would vanish
            errors.append(exc)

    with on(date(2027, 7, 27)):
        threads = [threading.Thread(target=one_run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    assert _counts(app) == (1, 1, 1)


def test_the_database_refuses_a_second_open_case(app, resident, run, file_report):
    """Past the services too, the unique key holds (SQLite and PostgreSQL alike)."""
    import sqlalchemy as sa

    from zone.compliance.models import ComplianceCase
    from zone.extensions import db

    file_report(date(2027, 4, 10), "2027-Q1")
    run(date(2027, 7, 27))
    with app.app_context():
        original = db.session.scalars(select(ComplianceCase)).one()
        copy = ComplianceCase(**{c.key: getattr(original, c.key) for c in ComplianceCase.__table__.columns
                                 if c.key != "id"})
        db.session.add(copy)
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()
