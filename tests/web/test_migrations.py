"""The migrations build the schema from scratch on SQLite and PostgreSQL and agree with the models."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tests.conftest import BACKEND, _pg_worker_url
from zone import create_app
from zone.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    """An empty database to migrate: a new SQLite file, or on PostgreSQL an empty schema of its own in the
    worker's test database, first on the search path (a schema is dropped at once; dropping a whole
    database waits for a checkpoint, minutes while other tests write)."""
    if BACKEND != "postgresql":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    base = sa.engine.make_url(_pg_worker_url())
    schema = "migrated_" + os.environ.get("ZONE_TEST_DB_TAG", "") + os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    admin.dispose()


def _diff(app) -> list:
    with db.engine.connect() as conn:  # a connection of its own, closed before anything is dropped
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_scratch_matches_the_models(empty_database_url):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        assert _diff(app) == []
        # the audit trail is append-only and its head is seeded
        assert db.session.execute(sa.text("SELECT seq FROM audit_head WHERE id = 1")).scalar() == 0
        db.session.remove()  # end the read, or PostgreSQL's DROP TABLE would wait for it
        downgrade(revision="base")
        assert "users" not in sa.inspect(db.engine).get_table_names()
        upgrade()
        assert "users" in sa.inspect(db.engine).get_table_names()
        db.session.remove()
        db.engine.dispose()


def test_every_revision_id_fits_alembic_version_column():
    """alembic_version.version_num is VARCHAR(32): a longer id upgrades on SQLite and fails on PostgreSQL."""
    import re
    from pathlib import Path

    versions = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    ids = [re.search(r'^revision = "([^"]+)"', path.read_text(), re.M).group(1) for path in versions.glob("*.py")]
    assert ids and all(len(revision) <= 32 for revision in ids), [r for r in ids if len(r) > 32]


def test_the_authority_role_needs_a_side_after_the_upgrade(empty_database_url):
    """0017 widens the role check and adds the side with its check, on SQLite (a rebuilt table) and PostgreSQL."""
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    insert = sa.text("INSERT INTO users (email, password_hash, role, side, locale, active, session_nonce, created_at) "
                     "VALUES (:email, 'x', :role, :side, 'ru', true, 'n', CURRENT_TIMESTAMP)")
    with app.app_context():
        upgrade(revision="0016_notices")
        upgrade(revision="0017_authority_role")
        with db.engine.begin() as conn:
            conn.execute(insert, {"email": "tax-kz@example.com", "role": "authority", "side": "KZ"})
            conn.execute(insert, {"email": "staff@example.com", "role": "reviewer", "side": None})
        for email, role, side in (("noside@example.com", "authority", None), ("far@example.com", "authority", "RU"),
                                  ("sided@example.com", "auditor", "KZ")):
            with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
                conn.execute(insert, {"email": email, "role": role, "side": side})
        with db.engine.begin() as conn:
            rows = conn.execute(sa.text("SELECT email, role, side FROM users ORDER BY email")).all()
            assert [tuple(r) for r in rows] == [("staff@example.com", "reviewer", None),
                                                ("tax-kz@example.com", "authority", "KZ")]
            conn.execute(sa.text("DELETE FROM users WHERE role = 'authority'"))
        downgrade(revision="0016_notices")
        assert "side" not in {c["name"] for c in sa.inspect(db.engine).get_columns("users")}
        db.session.remove()
        db.engine.dispose()
