"""Run gunicorn on a free loopback port for the duration of a ``with`` block."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, *, workers: int = 2, threads: int = 4, extra_env: dict | None = None,
             log_path: Path | None = None):
    """Yield the base URL of a gunicorn (gthread workers) serving ``bench.wsgi_app`` on ``database_url``."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database_url, "ZONE_ENV": "development", "ZONE_BASE_URL": base,
           **(extra_env or {})}
    log = open(log_path or os.devnull, "ab")  # noqa: SIM115  (closed below)
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "gthread", "--threads", str(threads), "--log-level", "warning",
         # Idle keep-alive connections outlive the load test's think time (1-5 s), as behind a proxy;
         # with gunicorn's default of 2 s a client may reuse a connection the server is just closing.
         "--keep-alive", "30", "--graceful-timeout", "5", "bench.wsgi_app:app"],
        cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start (exit {process.poll()}); see {log_path}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
