"""``python -m bench.cluster``: the README's production setup, on this machine, by one command.

nginx (TLS with a throw-away certificate) in front of two gunicorn app servers and one worker, all with
``ZONE_ENV=production``, sharing PostgreSQL (a database of their own, ``zone_cluster``, dropped and made again
by ``flask db upgrade``), Redis (rate limits, database 15 of ``ZONE_CLUSTER_REDIS_URL``, emptied at start) and
an S3 server (moto's standalone server on loopback, a bucket made at start). It serves until Ctrl-C and
prints its addresses; ``make load MODE=cluster`` (``python -m bench.load --cluster``) runs the mixed load
through it. Nothing is installed or kept: every file lives in a temporary directory.

The two app servers are also reachable directly (the printed ``instance`` addresses, plain HTTP), which is
how the load test reads every upload back through the instance that did not receive it and spreads failed
sign-ins over both to show that the limits are the cluster's, not each server's.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import ipaddress
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from bench.server import ROOT, free_port
from config import normalise_database_url

BIN = Path(sys.executable).parent
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
BUCKET = "zone-cluster"
START_DEADLINE = 90.0

NGINX_CONF = """
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format zone '$remote_addr [$time_local] "$request" $status $body_bytes_sent $request_time '
                    '$upstream_addr $request_id';
    access_log {dir}/nginx-access.log zone;
    client_max_body_size 12m;
    # Compressed for a slow line: stylesheets, scripts, SVG and JSON, never HTML (a page carries its form token
    # beside what the visitor typed, which compression would leak: BREACH). nginx always compresses text/html
    # where gzip is on, so it is on only under /static/ and /api/. As the README's block.
    gzip off;
    gzip_proxied any;
    gzip_vary on;
    gzip_min_length 512;
    gzip_types text/css application/javascript image/svg+xml application/json text/csv;
    client_body_temp_path {dir}/nginx-body;
    proxy_temp_path {dir}/nginx-proxy;
    fastcgi_temp_path {dir}/nginx-fastcgi;
    uwsgi_temp_path {dir}/nginx-uwsgi;
    scgi_temp_path {dir}/nginx-scgi;
    upstream zone {{
{servers}
        keepalive 32;
    }}
    # The README's server block, with TLS (a certificate made for 127.0.0.1). The host passed on keeps its port
    # ($http_host): here the public address is not on 443, and the CSRF check compares the Referer with it.
    server {{
        listen 127.0.0.1:{tls_port} ssl;
        ssl_certificate {dir}/tls.pem;
        ssl_certificate_key {dir}/tls.key;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Request-ID $request_id;
        location / {{
            proxy_pass http://zone;
        }}
        location ~ ^/(static|api)/ {{
            gzip on;
            proxy_pass http://zone;
        }}
        location = /metrics {{
            return 404;
        }}
    }}
    # The same without TLS, for measuring what the proxy costs against one app server reached directly
    server {{
        listen 127.0.0.1:{plain_port};
        location / {{
            proxy_pass http://zone;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Request-ID $request_id;
        }}
    }}
}}
"""


@dataclass
class Cluster:
    """What a started cluster offers: its public address, each app server's and the environment they share."""

    url: str  # https through nginx, as users reach it
    plain_url: str  # http through nginx (same upstreams), for throughput against ``instances``
    instances: list[str]  # each app server directly
    database_url: str
    env: dict[str, str]
    ca_path: Path  # the TLS certificate clients trust
    workdir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        return flask(self.env, *args)

    def logs(self, tail: int = 2000) -> str:
        parts = []
        for path in sorted(self.workdir.glob("*.log")):
            text = path.read_text(errors="replace")
            if text.strip():
                parts.append(f"--- {path.name}\n{text[-tail:]}")
        return "\n".join(parts)


def flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,  # noqa: S603
                            capture_output=True, text=True, timeout=600, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def fresh_database(base_url: str, name: str = "zone_cluster") -> str:
    url = sa.engine.make_url(normalise_database_url(base_url))
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def empty_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def tls_certificate(directory: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 (``tls.pem``, ``tls.key``); clients trust ``tls.pem``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "zone cluster on 127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (directory / "tls.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    pem = directory / "tls.pem"
    pem.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return pem


def wait_for(url: str, process: subprocess.Popen, name: str, log: Path) -> None:
    deadline = time.monotonic() + START_DEADLINE
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{name} did not answer {url}:\n{log.read_text(errors='replace')[-3000:]}")


def production_env(workdir: Path, database_url: str, redis_url: str, s3_endpoint: str, base_url: str,
                   settings: dict[str, str]) -> dict[str, str]:
    """What the README exports for production, the same for every server of the cluster."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("ZONE_", "SECRET_KEY", "DATABASE_URL", "TRUSTED_PROXY", "MAIL_", "RATELIMIT",
                                  "AUDIT_", "STORAGE_", "S3_", "AWS_", "SIGNING_", "PROMETHEUS_"))}
    env.update({
        "ZONE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "AUDIT_CHAIN_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "ZONE_BASE_URL": base_url,
        "ZONE_INSTANCE_DIR": str(workdir / "instance"),
        "TRUSTED_PROXY_HOPS": "1",
        "RATELIMIT_STORAGE_URI": redis_url,
        "STORAGE_BACKEND": "s3", "S3_BUCKET": BUCKET, "S3_PREFIX": "documents", "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "zone-cluster", "AWS_SECRET_ACCESS_KEY": "zone-cluster",
        "AWS_CONFIG_FILE": "/nonexistent/zone-aws-config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/zone-aws",
        "MAIL_BACKEND": "file", "MAIL_OUTBOX_DIR": str(workdir / "outbox"),
        "SIGNING_P12_PATH": str(workdir / "signing" / "signer.p12"),
        "SIGNING_CA_PATH": str(workdir / "signing" / "ca.pem"),
        "PYTHONUNBUFFERED": "1",
    })
    env.update(settings)
    return env


@contextlib.contextmanager
def cluster(*, database_url: str = DEFAULT_DATABASE, redis_url: str = DEFAULT_REDIS, instances: int = 2,
            workers: int = 2, threads: int = 4, settings: dict[str, str] | None = None,
            prepare: Callable[[Cluster], None] | None = None, workdir: Path | None = None,
            database_name: str = "zone_cluster") -> Iterator[Cluster]:
    """Start the cluster; ``prepare`` runs on the migrated database before the app servers start."""
    nginx_executable = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx_executable).exists():
        raise RuntimeError("nginx is not installed: `make system-deps-test` installs the Debian package")
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="zone-cluster-")))
        workdir.mkdir(parents=True, exist_ok=True)
        started: dict[str, subprocess.Popen] = {}

        def start(name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
            log = stack.enter_context((workdir / f"{name}.log").open("ab"))
            process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                                       start_new_session=True)
            stack.callback(_stop, process)
            started[name] = process
            return process

        s3_port = free_port()
        s3_endpoint = f"http://127.0.0.1:{s3_port}"
        s3 = start("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)], dict(os.environ))
        wait_for(s3_endpoint + "/moto-api/", s3, "the S3 server", workdir / "s3.log")
        empty_redis(redis_url)
        database = fresh_database(database_url, database_name)
        tls_port, plain_port = free_port(), free_port()
        base_url = f"https://127.0.0.1:{tls_port}"
        env = production_env(workdir, database, redis_url, s3_endpoint, base_url, settings or {})
        _bucket(env)
        from zone.certificates.signing import create_dev_signing_identity

        create_dev_signing_identity(workdir / "signing")
        flask(env, "db", "upgrade")
        flask(env, "audit", "init-key")
        ports = [free_port() for _ in range(instances)]
        result = Cluster(url=base_url, plain_url=f"http://127.0.0.1:{plain_port}",
                         instances=[f"http://127.0.0.1:{port}" for port in ports], database_url=database, env=env,
                         ca_path=tls_certificate(workdir), workdir=workdir, processes=started)
        if prepare is not None:
            prepare(result)
        for n, port in enumerate(ports, 1):
            start(f"app{n}", [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "--bind",
                              f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
                              "--keep-alive", "30", "--graceful-timeout", "5", "wsgi:app"],
                  {**env, "PROMETHEUS_MULTIPROC_DIR": str(workdir / f"metrics-{n}")})
        start("worker", [str(BIN / "flask"), "--app", "wsgi", "worker"], env)
        for n, port in enumerate(ports, 1):
            wait_for(f"http://127.0.0.1:{port}/healthz", started[f"app{n}"], f"app server {n}",
                     workdir / f"app{n}.log")
        conf = workdir / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=workdir, tls_port=tls_port, plain_port=plain_port,
                                          servers="\n".join(f"        server 127.0.0.1:{p};" for p in ports)))
        proxy = start("nginx", [nginx_executable, "-p", str(workdir), "-c", str(conf), "-e",
                                str(workdir / "nginx-error.log")], dict(os.environ))
        wait_for(result.plain_url + "/healthz", proxy, "nginx", workdir / "nginx-error.log")
        yield result


def _bucket(env: dict[str, str]) -> None:
    from zone.storage.backends import s3_client

    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    os.environ.update({k: env[k] for k in saved})
    try:
        s3_client(endpoint_url=env["S3_ENDPOINT_URL"], region=env["S3_REGION"]).create_bucket(Bucket=BUCKET)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def request(url: str, *, method: str = "GET", body: dict | None = None, headers: dict | None = None):
    """One JSON request with urllib: (status, body), whatever the status."""
    data = json.dumps(body).encode() if body is not None else None
    prepared = urllib.request.Request(url, data=data, method=method,  # noqa: S310 - loopback
                                      headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(prepared, timeout=60) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def limits_shared_across_servers(c: Cluster, limit: str) -> dict:
    """Failed sign-ins on one account (``LOGIN_LIMIT_PER_ACCOUNT`` = ``limit``), sent to the app servers in turn:
    held when they are refused after the limit's smallest amount in all, not per server."""
    from limits import parse_many

    allowed = min(item.amount for item in parse_many(limit))
    statuses = []
    for n in range(allowed + 2):
        status, _ = request(c.instances[n % len(c.instances)] + "/api/v1/tokens", method="POST",
                            body={"email": "limit-probe@cluster.zone.test", "password": "not-the-password-1"})
        statuses.append(status)
    held = statuses[:allowed] == [401] * allowed and all(s == 429 for s in statuses[allowed:])
    return {"allowed": allowed, "statuses": statuses, "held": held}


def demo_accounts(c: Cluster) -> None:
    c.flask("users", "create", "--email", "admin@cluster.zone.test", "--role", "admin", "--password",
            "cluster-admin-2026")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=os.environ.get("ZONE_BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--redis", default=os.environ.get("ZONE_CLUSTER_REDIS_URL", DEFAULT_REDIS))
    args = parser.parse_args(argv)
    with cluster(database_url=args.database, redis_url=args.redis, prepare=demo_accounts) as c:
        print(f"zone cluster: {c.url}  (TLS certificate to trust: {c.ca_path})", flush=True)
        print(f"  app servers: {', '.join(c.instances)}; worker, nginx, S3 {c.env['S3_ENDPOINT_URL']}, "
              f"PostgreSQL {c.database_url}, Redis {c.env['RATELIMIT_STORAGE_URI']}", flush=True)
        print(f"  logs in {c.workdir}; sign in as admin@cluster.zone.test / cluster-admin-2026; Ctrl-C stops",
              flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while all(p.poll() is None for p in c.processes.values()):
                time.sleep(1)
            stopped = [name for name, p in c.processes.items() if p.poll() is not None]
            print(f"stopped unexpectedly: {', '.join(stopped)}\n{c.logs()}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
