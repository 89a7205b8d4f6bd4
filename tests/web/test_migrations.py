"""The migrations build the schema from scratch on SQLite and PostgreSQL and agree with the models."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from config import normalise_database_url
from tests.conftest import BACKEND, PG_URL
from zone import create_app
from zone.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    if BACKEND != "postgresql":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    base = sa.engine.make_url(normalise_database_url(PG_URL))
    tag = os.environ.get("ZONE_TEST_DB_TAG", "") + os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    name = f"{base.database}_zone_mig_{tag}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
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
