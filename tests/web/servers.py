"""Real servers for deployment tests: zone under gunicorn in its own process, and nginx in front of it.

Each runs as a subprocess on a free port of 127.0.0.1 with an environment the test writes, exactly as an
operator would start it, and is stopped (SIGTERM, then waited for) when the test ends.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_DEADLINE = 60.0  # seconds a server may take to accept connections on a loaded machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_environment(workdir: Path, **settings: str) -> dict[str, str]:
    """What an operator exports for production (README), with a fresh random key and a SQLite file."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("ZONE_", "SECRET_KEY", "DATABASE_URL", "TRUSTED_PROXY", "MAIL_", "RATELIMIT",
                                  "AUDIT_"))}
    env.update({
        "ZONE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "AUDIT_CHAIN_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": f"sqlite:///{workdir / 'zone.sqlite3'}",
        "ZONE_BASE_URL": "https://residents.zone.test",
        "ZONE_INSTANCE_DIR": str(workdir / "instance"),
        "MAIL_BACKEND": "file",
        "MAIL_OUTBOX_DIR": str(workdir / "outbox"),
        "PYTHONUNBUFFERED": "1",
    })
    env.update(settings)
    return env


def flask_command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def migrated_database(template: Path, workdir: Path) -> Path:
    """A copy of a migrated SQLite file (``template``) in ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / "zone.sqlite3"
    shutil.copyfile(template, target)
    return target


@dataclass
class Process:
    """A server subprocess; ``output()`` is what it wrote so far (stdout and stderr together)."""

    name: str
    args: list[str]
    env: dict[str, str]
    log_path: Path
    port: int
    popen: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> Process:
        self._log = self.log_path.open("wb")
        self.popen = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=self._log,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def exited(self) -> int | None:
        return self.popen.poll()

    def wait_exit(self) -> int:
        """For a server expected to refuse to start: its exit status."""
        try:
            return self.popen.wait(timeout=START_DEADLINE)
        finally:
            self._log.close()

    def wait_ready(self) -> None:
        """Until the port accepts connections; fails with the server's output if it exits instead."""
        deadline = time.monotonic() + START_DEADLINE
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.popen.returncode}:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.popen.wait(timeout=0.05)  # wakes at once if the process dies meanwhile
        raise AssertionError(f"{self.name} did not accept connections on {self.port}:\n{self.output()}")

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        if hasattr(self, "_log"):
            self._log.close()


def gunicorn(env: dict[str, str], workdir: Path, port: int | None = None, workers: int = 1) -> Process:
    """gunicorn with the repository's gunicorn.conf.py, as deploy/systemd/zone-web.service starts it."""
    port = port or free_port()
    args = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--threads", "4", "--graceful-timeout", "5", "wsgi:app"]
    return Process("gunicorn", args, env, workdir / f"gunicorn-{port}.log", port)


NGINX_CONF = """
daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log info;
events {{ worker_connections 64; }}
http {{
    access_log {workdir}/nginx-access.log;
    client_max_body_size 12m;
    client_body_temp_path {workdir}/nginx-body;
    proxy_temp_path {workdir}/nginx-proxy;
    fastcgi_temp_path {workdir}/nginx-fastcgi;
    uwsgi_temp_path {workdir}/nginx-uwsgi;
    scgi_temp_path {workdir}/nginx-scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto {scheme};
            proxy_set_header X-Request-ID $request_id;
        }}
        location = /metrics {{
            return 404;
        }}
    }}
}}
"""


def nginx(workdir: Path, upstream: int, scheme: str = "https") -> Process:
    """nginx as the README configures it, in front of ``upstream``; ``scheme`` is what TLS would set.

    The test speaks plain HTTP to nginx, so the ``X-Forwarded-Proto`` a TLS listener sends (``$scheme``)
    is written as a constant.
    """
    executable = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(executable).exists():
        raise AssertionError("nginx is not installed: `make system-deps-test` installs the Debian package")
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workdir=workdir, port=port, upstream=upstream, scheme=scheme))
    args = [executable, "-p", str(workdir), "-c", str(conf), "-e", str(workdir / "nginx-error.log")]
    return Process("nginx", args, dict(os.environ), workdir / "nginx-stdout.log", port)


def request(port: int, method: str, path: str, *, source: str | None = None, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One HTTP request to 127.0.0.1:``port``, sent from the loopback address ``source`` if given."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60,
                                            source_address=(source, 0) if source else None)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()
