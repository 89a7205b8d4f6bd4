"""A real worker process, on a database made by ``flask db upgrade``, stops cleanly on SIGTERM and SIGINT:
it finishes what it does, records that it stopped and exits 0."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker_env(tmp_path, signing_dir):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'zone.sqlite3'}",
           "ZONE_INSTANCE_DIR": str(tmp_path / "instance"), "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
           "SIGNING_P12_PATH": str(Path(signing_dir) / "signer.p12"),
           "SIGNING_CA_PATH": str(Path(signing_dir) / "ca.pem"), "ZONE_ENV": "development"}
    env.pop("ZONE_TEST_BACKEND", None)
    upgrade = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert upgrade.returncode == 0, upgrade.stderr
    return env, tmp_path / "zone.sqlite3"


def _heartbeats(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT worker_id, current_job, stopped_at FROM worker_heartbeats").fetchall()


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + 60  # a generous bound for a loaded machine; nothing is asserted on it
    while not condition():
        assert time.monotonic() < deadline, f"the worker never {what}"
        time.sleep(0.05)


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_the_worker_stops_cleanly_on_a_signal(worker_env, signal_number):
    env, database = worker_env
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--interval", "0.1"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # several rounds: the scheduled runs of this hour are done, and a later heartbeat names no job
        _wait_for(lambda: _done_runs(database) >= 4 and _heartbeats(database), "ran its scheduled jobs")
        process.send_signal(signal_number)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "worker stopped" in out
    [(worker_id, current_job, stopped_at)] = _heartbeats(database)
    assert current_job is None and stopped_at is not None
    assert f"Worker {worker_id} stopped" in err


def _done_runs(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM worker_job_runs WHERE status = 'done'").fetchone()[0]
