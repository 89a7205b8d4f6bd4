"""Fixtures for the deployment tests: a SQLite file migrated the way an operator migrates one."""

from __future__ import annotations

import pytest

from tests.web.servers import flask_command, migrated_database, production_environment


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """A SQLite file migrated by ``flask db upgrade`` under the production configuration (once)."""
    workdir = tmp_path_factory.mktemp("production-template")
    result = flask_command(production_environment(workdir), "db", "upgrade")
    assert result.returncode == 0, result.stderr
    return workdir / "zone.sqlite3"


@pytest.fixture
def workdir(tmp_path, migrated_template):
    """A directory holding a fresh copy of the migrated database, for one server and its files."""
    migrated_database(migrated_template, tmp_path)
    return tmp_path
