"""Backups made through `flask backup create` from a zone with real data (the demo seed: applications with
documents, signed certificates, reports, a long audit trail), restored with `flask backup restore` into a new
empty database and storage, and found intact; damaged or unfinished backups and non-empty targets refused."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
import sqlalchemy as sa

from tests.conftest import BACKEND, ClosingClient

AUDITOR = {"email": "auditor@icic-demo.kz", "password": "demo-password-2026"}


@pytest.fixture
def empty_database_url(database_template, tmp_path):
    """A new database with nothing in it: a SQLite path not made yet, or a new PostgreSQL database beside the
    worker's, dropped afterwards."""
    if BACKEND != "postgresql":
        yield f"sqlite:///{tmp_path / 'backup_restored' / 'zone.sqlite3'}"
        return
    base = sa.engine.make_url(database_template)
    name = f"{base.database}_backup_restored"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def restored(app, empty_database_url, tmp_path):
    """A second zone on the empty database and an empty storage directory, with the same keys (the chain key,
    the signing identity) as the backed-up one: what an operator restoring onto a new server configures."""
    from zone import create_app
    from zone.extensions import db

    config = {key: app.config[key] for key in ("SIGNING_P12_PATH", "SIGNING_CA_PATH", "DEV_NATIONAL_CA_DIR",
                                               "BASE_URL", "AUDIT_CHAIN_KEY", "AUDIT_CHAIN_KEY_FILE",
                                               "AUDIT_ANCHOR_DIR")}
    config.update({"SQLALCHEMY_DATABASE_URI": empty_database_url, "UPLOAD_DIR": tmp_path / "backup_restored_uploads",
                   "MAIL_OUTBOX_DIR": tmp_path / "backup_restored_outbox"})
    second = create_app("test", config)
    second.test_client_class = ClosingClient
    yield second
    ClosingClient.close_all(second)
    with second.app_context():
        db.session.remove()
        db.engine.dispose()


def _seed(runner) -> None:
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output


def _create(runner, directory) -> dict:
    result = runner.invoke(args=["backup", "create", str(directory)])
    assert result.exit_code == 0, result.output
    return json.loads((directory / "manifest.json").read_text(encoding="utf-8"))


def _contents(app) -> dict:
    """Every certificate (serial: SHA-256 of its PDF), document (id: SHA-256, size) and the audit trail."""
    from zone.applications.models import Document
    from zone.audit.models import AuditEvent, AuditHead
    from zone.certificates.models import Certificate
    from zone.extensions import db

    with app.app_context():
        certificates = {serial: (hashlib.sha256(pdf).hexdigest(), sha256) for serial, pdf, sha256 in
                        db.session.execute(sa.select(Certificate.serial, Certificate.pdf, Certificate.sha256))}
        documents = {row.id: (row.application_id, row.sha256, row.size) for row in db.session.scalars(
            sa.select(Document))}
        events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        last = db.session.scalar(sa.select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1))
        head = db.session.execute(sa.select(AuditHead.seq, AuditHead.hash)).one()
        db.session.rollback()
    return {"certificates": certificates, "documents": documents, "events": events, "last_hash": last,
            "head": tuple(head)}


def _downloads(app, documents: dict) -> dict:
    client = app.test_client()
    assert client.post("/login", data=AUDITOR).status_code == 302
    found = {}
    for document_id, (application_id, _sha256, _size) in documents.items():
        response = client.get(f"/applications/{application_id}/documents/{document_id}")
        assert response.status_code == 200, (document_id, response.status_code)
        found[document_id] = response.get_data()
    return found


def test_a_restored_backup_holds_every_certificate_document_and_audit_entry(app, runner, restored, tmp_path):
    _seed(runner)
    originals = _downloads(app, _contents(app)["documents"])
    before = _contents(app)  # after the downloads, which the audit trail records
    assert before["certificates"] and before["documents"] and before["events"] > 50
    assert all(pdf_sha == sha for pdf_sha, sha in before["certificates"].values())

    directory = tmp_path / "backup_zone"
    manifest = _create(runner, directory)
    assert manifest["database"]["kind"] == BACKEND
    assert manifest["audit_head"] == {"seq": before["head"][0], "hash": before["head"][1]}
    assert {(f["sha256"], f["size"]) for f in manifest["files"]} >= {(sha, size) for _a, sha, size in
                                                                    before["documents"].values()}
    for entry in manifest["files"]:
        data = (directory / "files" / entry["key"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["size"]

    result = restored.test_cli_runner().invoke(args=["backup", "restore", str(directory)])
    assert result.exit_code == 0, result.output
    assert "audit chain verified" in result.output
    after = _contents(restored)
    assert after == before
    verify = restored.test_cli_runner().invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output
    assert f"chain intact: {before['events']} entries" in verify.output

    copies = _downloads(restored, after["documents"])
    assert copies == originals
    for document_id, (_application, sha256, size) in before["documents"].items():
        assert hashlib.sha256(copies[document_id]).hexdigest() == sha256 and len(copies[document_id]) == size


def _no_zone_in(app) -> None:
    from zone.extensions import db

    with app.app_context():
        assert not sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
    uploads = app.config["UPLOAD_DIR"]
    assert not uploads.exists() or not list(uploads.rglob("*"))


def test_a_damaged_or_unfinished_backup_is_refused_naming_the_file(app, runner, restored, tmp_path):
    _seed(runner)
    directory = tmp_path / "backup_damaged"
    manifest = _create(runner, directory)
    damaged = directory / "files" / manifest["files"][-1]["key"]
    original = damaged.read_bytes()
    damaged.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    restore = restored.test_cli_runner()

    result = restore.invoke(args=["backup", "restore", str(directory)])
    assert result.exit_code == 1
    assert f"files/{manifest['files'][-1]['key']} does not have the SHA-256" in result.output
    _no_zone_in(restored)

    damaged.write_bytes(original)
    dump = directory / manifest["database"]["file"]
    with dump.open("ab") as out:
        out.write(b"\0")
    result = restore.invoke(args=["backup", "restore", str(directory)])
    assert result.exit_code == 1 and f"{manifest['database']['file']} does not have the SHA-256" in result.output

    dump.write_bytes(dump.read_bytes()[:-1])
    damaged.unlink()
    result = restore.invoke(args=["backup", "restore", str(directory)])
    assert result.exit_code == 1 and f"files/{manifest['files'][-1]['key']} is missing" in result.output

    damaged.write_bytes(original)
    kept = (directory / "manifest.json").read_bytes()
    (directory / "manifest.json").unlink()
    result = restore.invoke(args=["backup", "restore", str(directory)])
    assert result.exit_code == 1 and "has no manifest.json" in result.output
    _no_zone_in(restored)

    (directory / "manifest.json").write_bytes(kept)  # whole again: the refused attempts left nothing behind
    result = restore.invoke(args=["backup", "restore", str(directory)])
    assert result.exit_code == 0, result.output


def test_restore_refuses_a_database_or_storage_that_is_not_empty(app, runner, restored, tmp_path):
    directory = tmp_path / "backup_small"
    _create(runner, directory)
    result = runner.invoke(args=["backup", "restore", str(directory)])
    assert result.exit_code == 1
    assert "restore only into a new, empty database" in result.output

    stray = restored.config["UPLOAD_DIR"] / "ab" / ("0" * 32)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"left from another install")
    result = restored.test_cli_runner().invoke(args=["backup", "restore", str(directory)])
    assert result.exit_code == 1 and "already holds files: restore only into empty storage" in result.output
    from zone.extensions import db

    with restored.app_context():
        assert not sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_a_restore_checked_with_another_chain_key_fails(app, runner, restored, tmp_path):
    _seed(runner)
    directory = tmp_path / "backup_other_key"
    _create(runner, directory)
    restored.config["AUDIT_CHAIN_KEY"] = "another-installation-s-chain-key-0123456789"
    result = restored.test_cli_runner().invoke(args=["backup", "restore", str(directory)])
    assert result.exit_code == 1
    assert "RESTORED ZONE DIFFERS FROM THE BACKUP: the audit chain does not verify" in result.output


def test_a_backup_goes_only_into_a_new_or_empty_directory(runner, tmp_path):
    directory = tmp_path / "backup_taken"
    directory.mkdir()
    (directory / "notes.txt").write_text("kept", encoding="utf-8")
    result = runner.invoke(args=["backup", "create", str(directory)])
    assert result.exit_code == 1 and "is not an empty directory" in result.output
    assert os.listdir(directory) == ["notes.txt"]


def test_pg_dump_gets_a_libpq_address_and_the_password_only_in_its_environment():
    from zone.backup.services import libpq_address

    address, env = libpq_address("postgresql+psycopg://zone:s%40cret@db-host:5433/zone?options=-csearch_path%3Dx")
    assert address == "postgresql://zone@db-host:5433/zone?options=-csearch_path%3Dx"
    assert env["PGPASSWORD"] == "s@cret" and "cret" not in address
