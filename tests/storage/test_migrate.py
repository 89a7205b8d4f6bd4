"""``flask storage migrate``: every stored file (application documents and reports' audited statements) is
copied to the other backend with its SHA-256 checked on both sides, a second run copies nothing, the app
on the new backend serves them, and missing or damaged files are reported rather than copied."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from tests.api.seed import PDF_BYTES
from tests.reports.conftest import QUARTER, new_report, resident  # noqa: F401  (fixtures used below)

ANNUAL = {**QUARTER, "auditor_name": "ТОО «Аудит Центр»", "audit_opinion": "qualified"}
STATEMENTS = PDF_BYTES + b"% audited statements for 2026\n"


@pytest.fixture
def app_overrides(s3_settings):
    """The app on its local directory, with the bucket to move to already described."""
    return {**s3_settings, "STORAGE_BACKEND": "local"}


@pytest.fixture
def in_2027():
    """After 2026, when the annual report (with its audited statements) is due; before the resident is made."""
    with time_machine.travel(datetime(2027, 2, 1, 10, tzinfo=ZoneInfo("Asia/Almaty")), tick=True):
        yield


@pytest.fixture
def with_files(in_2027, app, client, resident, new_report):
    """The resident's application documents and an annual report's audited statements, all on local disk;
    returns (number of stored files, the report id, the statements' document id)."""
    from zone.applications.models import Document
    from zone.extensions import db
    from zone.reports.models import ReportDocument

    report = new_report("2026", **ANNUAL)
    response = client.post(f"/api/v1/reports/{report['id']}/documents", headers=resident.company,
                           content_type="multipart/form-data",
                           data={"kind": "audited_statements", "file": (io.BytesIO(STATEMENTS), "fs.pdf")})
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        count = (db.session.scalar(select(func.count()).select_from(Document))
                 + db.session.scalar(select(func.count()).select_from(ReportDocument)))
    assert count > 1
    return count, report["id"], response.get_json()["id"]


def _counts(output: str) -> dict[str, int]:
    found = re.search(r"copied (\d+), already there (\d+), missing (\d+), damaged (\d+)", output)
    assert found, output
    return dict(zip(("copied", "present", "missing", "damaged"), map(int, found.groups()), strict=True))


def _app_on(app, backend: str, upload_dir: Path):
    from zone import create_app

    shared = ("SQLALCHEMY_DATABASE_URI", "MAIL_OUTBOX_DIR", "SIGNING_P12_PATH", "SIGNING_CA_PATH",
              "DEV_NATIONAL_CA_DIR", "BASE_URL", "AUDIT_CHAIN_KEY", "AUDIT_CHAIN_KEY_FILE", "AUDIT_ANCHOR_DIR",
              "S3_BUCKET", "S3_PREFIX", "S3_ENDPOINT_URL", "S3_REGION")
    return create_app("test", {**{k: app.config[k] for k in shared}, "STORAGE_BACKEND": backend,
                               "UPLOAD_DIR": upload_dir})


def _close(other) -> None:
    from zone.extensions import db

    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_migrate_to_s3_and_back(app, client, runner, with_files, resident, s3, bucket, tmp_path):
    count, report_id, statements_id = with_files

    result = runner.invoke(args=["storage", "migrate", "--to", "s3"])
    assert result.exit_code == 0, result.output
    assert _counts(result.output) == {"copied": count, "present": 0, "missing": 0, "damaged": 0}
    objects = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert len(objects) == count and all(o["Key"].startswith("zone/documents/") for o in objects)

    again = runner.invoke(args=["storage", "migrate", "--to", "s3"])
    assert again.exit_code == 0 and _counts(again.output) == {"copied": 0, "present": count, "missing": 0,
                                                              "damaged": 0}

    # The app switched to S3 (a server with an empty disk) serves the moved files and keeps new uploads there.
    on_s3 = _app_on(app, "s3", tmp_path / "s3-server-uploads")
    try:
        with on_s3.test_client() as other:
            download = other.get(f"/api/v1/reports/{report_id}/documents/{statements_id}", headers=resident.auditor)
            assert download.status_code == 200 and download.data == STATEMENTS
            download.close()
            draft = other.post("/api/v1/applications", json={"side": "UZ"}, headers=resident.company).get_json()
            uploaded = other.post(f"/api/v1/applications/{draft['id']}/documents", headers=resident.company,
                                  content_type="multipart/form-data",
                                  data={"kind": "charter", "file": (io.BytesIO(PDF_BYTES), "charter.pdf")})
            assert uploaded.status_code == 201, uploaded.get_json()
        assert len(s3.list_objects_v2(Bucket=bucket)["Contents"]) == count + 1

        # And back to a local directory (a fresh one: everything is copied).
        back = on_s3.test_cli_runner().invoke(args=["storage", "migrate", "--to", "local"])
        assert back.exit_code == 0, back.output
        assert _counts(back.output) == {"copied": count + 1, "present": 0, "missing": 0, "damaged": 0}
        local = [p for p in (tmp_path / "s3-server-uploads").rglob("*") if p.is_file()]
        assert len(local) == count + 1 and STATEMENTS in {p.read_bytes() for p in local}
    finally:
        _close(on_s3)


def test_missing_and_damaged_files_are_reported_not_copied(app, runner, with_files, s3, bucket):
    from zone.applications.models import Document
    from zone.extensions import db

    count, _report_id, _statements_id = with_files
    with app.app_context():
        first, second = db.session.scalars(select(Document.storage_name).order_by(Document.id).limit(2))
    upload_dir = Path(app.config["UPLOAD_DIR"])
    (upload_dir / first).write_bytes(b"%PDF-1.4 overwritten")
    (upload_dir / second).unlink()

    result = runner.invoke(args=["storage", "migrate", "--to", "s3"])
    assert result.exit_code == 1
    assert _counts(result.output) == {"copied": count - 2, "present": 0, "missing": 1, "damaged": 1}
    assert f"missing from local directory {upload_dir}: {second}" in result.output
    assert f"damaged in local directory {upload_dir}" in result.output and first in result.output
    names = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert f"zone/documents/{first}" not in names and f"zone/documents/{second}" not in names


def test_migrating_to_the_backend_in_use_is_refused(runner):
    result = runner.invoke(args=["storage", "migrate", "--to", "local"])
    assert result.exit_code == 2 and "already in local directory" in result.output


def test_s3_without_a_bucket_refuses_to_start():
    from config import ConfigurationError
    from zone import create_app

    with pytest.raises(ConfigurationError, match="S3_BUCKET"):
        create_app("test", {"STORAGE_BACKEND": "s3", "S3_BUCKET": None})
    with pytest.raises(ConfigurationError, match="STORAGE_BACKEND"):
        create_app("test", {"STORAGE_BACKEND": "ftp"})
