"""The application's own PostgreSQL role (``flask audit grants``): it records and verifies, but cannot
change, delete or truncate the trail, nor switch off the triggers that guard it."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from sqlalchemy import event, text

from zone.audit.services import record, verify_chain
from zone.extensions import db


@pytest.fixture
def app_role(ctx, runner):
    """A role with exactly the printed grants; the app's connections act as it (``SET ROLE``)."""
    role = f"zone_app_{os.environ.get('ZONE_TEST_DB_TAG', '')}{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}".lower()
    result = runner.invoke(args=["audit", "grants", role])
    assert result.exit_code == 0, result.output
    with db.engine.begin() as conn:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
            conn.exec_driver_sql(f"DROP OWNED BY {role}")  # left over by an interrupted run
            conn.exec_driver_sql(f"DROP ROLE {role}")
        conn.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")
        conn.exec_driver_sql(result.output)
    db.session.remove()
    db.engine.dispose()

    def listener(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"SET ROLE {role}")

    event.listen(db.engine, "connect", listener)
    yield role
    db.session.remove()
    event.remove(db.engine, "connect", listener)
    db.engine.dispose()
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP OWNED BY {role}")
        conn.exec_driver_sql(f"DROP ROLE {role}")


@pytest.mark.postgres_only
def test_the_app_role_records_and_verifies(app_role):
    assert db.session.scalar(text("SELECT current_user")) == app_role
    for i in range(3):
        record("test.event", object_type="thing", object_id=i)
        db.session.commit()
    report = verify_chain()
    assert report.ok and report.length == 3


@pytest.mark.postgres_only
@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET actor = 'intruder'",
    "DELETE FROM audit_events",
    "TRUNCATE audit_events",
    "ALTER TABLE audit_events DISABLE TRIGGER USER",
    "DELETE FROM audit_head",
    "TRUNCATE audit_head",
    "DROP TRIGGER audit_events_no_delete ON audit_events",
])
def test_the_app_role_cannot_rewrite_the_trail(app_role, statement):
    record("test.event")
    db.session.commit()
    with pytest.raises(sa.exc.ProgrammingError) as caught:
        db.session.execute(text(statement))
    assert "permission denied" in str(caught.value) or "must be owner" in str(caught.value)
    db.session.rollback()
    assert verify_chain().ok


def test_grants_refuse_a_role_name_that_is_not_plain(runner):
    result = runner.invoke(args=["audit", "grants", "app; DROP TABLE users"])
    assert result.exit_code != 0 and "not a plain PostgreSQL role name" in result.output
