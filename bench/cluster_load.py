"""``python -m bench.cluster_load`` (``make load MODE=cluster``): the mixed load through several app servers.

The cluster is ``bench.cluster`` (nginx with TLS, two gunicorn app servers, one worker, PostgreSQL, Redis, an
S3 server, all in the production configuration), seeded like ``bench.load``. Locust's 50 users go through
nginx, which spreads every request over both servers, so an application created on one is uploaded to,
submitted, decided and downloaded through both. Then, and the run fails unless all of it holds:

1. **Uploads are the cluster's**: every document uploaded during the load is read back through each app
   server directly, and its bytes match the SHA-256 recorded at upload.
2. **Limits are the cluster's**: failed sign-ins on one account, sent to the two servers in turn, are refused
   after ``LOGIN_LIMIT_PER_ACCOUNT``'s smallest amount in all, not per server.
3. **The proxy adds little**: the public verify endpoint through nginx and both servers against one server
   reached directly (without TLS on either path, so the figure is the proxy's and the second server's).

All source addresses are 127.0.0.1 here, so the per-address limits are raised for the run (they would count
the 50 simulated users as one visitor); the per-account limit keeps its production value and is the one
checked. Figures go to the ``load-cluster`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bench.cluster import DEFAULT_DATABASE, DEFAULT_REDIS, Cluster, cluster, limits_shared_across_servers, request
from bench.harness import make_app
from bench.http_load import Throughput, measure
from bench.load import load_data, read_failures, read_stats, results_table, run_locust
from bench.report import replace_section
from bench.seed import PASSWORD, seed
from bench.server import ROOT
from config import normalise_database_url

# 50 users share one address: per-address limits off in effect, the per-account limit as in production.
LOAD_SETTINGS = {"LOGIN_LIMIT_PER_IP": "100000 per hour", "PUBLIC_LIMIT": "1000000 per minute",
                 "LOGIN_LIMIT_PER_ACCOUNT": "5 per minute;30 per hour"}
VERIFY_SECONDS = 15
VERIFY_RATIO_TARGET = 0.9


def uploads_read_through_every_server(c: Cluster, reviewer: str, since: datetime) -> dict:
    """Each document uploaded since ``since``, downloaded from every app server and checked."""
    status, body = request(c.instances[0] + "/api/v1/tokens", method="POST",
                            body={"email": reviewer, "password": PASSWORD})
    if status != 201:
        raise RuntimeError(f"the reviewer's token: HTTP {status} {body[:200]!r}")
    headers = {"Authorization": f"Bearer {json.loads(body)['token']}"}
    engine = sa.create_engine(normalise_database_url(c.database_url))
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, application_id, sha256 FROM documents WHERE uploaded_at >= :since "
                                    "ORDER BY id"), {"since": since.replace(tzinfo=None)}).all()
    engine.dispose()
    bad: list[str] = []
    for document_id, application_id, sha256 in rows:
        for base in c.instances:
            status, data = request(f"{base}/api/v1/applications/{application_id}/documents/{document_id}",
                                    headers=headers)
            if status != 200 or hashlib.sha256(data).hexdigest() != sha256:
                bad.append(f"document {document_id} through {base}: HTTP {status}")
    return {"documents": len(rows), "reads": len(rows) * len(c.instances), "bad": bad}


def verify_through_proxy(c: Cluster, tokens: list[str]) -> tuple[Throughput, Throughput]:
    paths = [f"/api/v1/verify/{token}" for token in tokens[:500]]
    measure(c.instances[0], "warm-up", paths, seconds=3)
    one = measure(c.instances[0], "one app server, directly", paths, seconds=VERIFY_SECONDS)
    both = measure(c.plain_url, "nginx + two app servers", paths, seconds=VERIFY_SECONDS)
    return one, both


def report(args, rows, failures, uploads, limits, one: Throughput, both: Throughput, elapsed: float) -> str:
    ratio = both.rps / one.rps if one.rps else 0.0
    lines = [
        "## `make load MODE=cluster` (`python -m bench.cluster_load`)",
        "",
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}: {args.users} users for {args.minutes:g} min "
        "(locust, headless) through nginx (TLS) in front of two gunicorn app servers (2 workers × 4 threads "
        "each) and one worker, production configuration, sharing PostgreSQL, Redis (rate limits) and an S3 "
        f"server (moto) for the stored files; seeded with {args.applications:,} applications; took "
        f"{elapsed / 60:.1f} min in all; 1-minute load average {os.getloadavg()[0]:.1f} at the end. Everything, "
        "the load generator included, shares this machine's 2 cores.",
        "",
        *results_table(rows, failures),
        "",
        "After the load:",
        "",
        f"- **Uploads readable through the other server**: {uploads['documents']:,} documents uploaded during "
        f"the load, each read through both app servers directly ({uploads['reads']:,} downloads): "
        f"{len(uploads['bad'])} failed or differed from the SHA-256 recorded at upload.",
        f"- **Limits across servers**: failed sign-ins on one account alternating between the two servers: "
        f"{', '.join(map(str, limits['statuses']))} (the limit is {limits['allowed']} a minute) "
        f"— {'held' if limits['held'] else '**NOT held**'}.",
        f"- **Public verify endpoint** ({both.tool}, {VERIFY_SECONDS} s each, 16 connections): one app server "
        f"directly {one.rps:,.0f} req/s (p95 {one.p95_ms:.1f} ms, {one.errors} errors); nginx + two app servers "
        f"{both.rps:,.0f} req/s (p95 {both.p95_ms:.1f} ms, {both.errors} errors): **{ratio:.0%}** of one "
        f"server (target ≥ {VERIFY_RATIO_TARGET:.0%}: {'met' if ratio >= VERIFY_RATIO_TARGET else 'missed'}). "
        "On 2 cores a second server adds no CPU, so this measures what the proxy costs.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster_load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--workdir", type=Path, help="keep the servers' files and logs there (default: removed)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    seeded_data: dict = {}

    def prepare(c: Cluster) -> None:
        app = make_app(c.database_url, c.workdir, AUDIT_CHAIN_KEY=c.env["AUDIT_CHAIN_KEY"])
        with app.app_context():
            seeded = seed(args.applications)
        seeded_data.update(load_data(app, seeded))
        (c.workdir / "data.json").write_text(json.dumps(seeded_data))

    with cluster(database_url=os.environ.get("ZONE_BENCH_DATABASE_URL", DEFAULT_DATABASE),
                 redis_url=os.environ.get("ZONE_CLUSTER_REDIS_URL", DEFAULT_REDIS), settings=LOAD_SETTINGS,
                 prepare=prepare, workdir=args.workdir) as c:
        print(f"seeded; running {args.users} users for {args.minutes:g} min against {c.url} "
              f"({' + '.join(c.instances)})", flush=True)
        load_started = datetime.now(UTC)
        prefix = c.workdir / "locust"
        returncode = run_locust(args, c.url, c.workdir / "data.json", prefix,
                                {"ZONE_LOAD_CA": str(c.ca_path)})
        rows, failures = read_stats(prefix), read_failures(prefix)
        uploads = uploads_read_through_every_server(c, seeded_data["staff"][0], load_started)
        limits = limits_shared_across_servers(c, LOAD_SETTINGS["LOGIN_LIMIT_PER_ACCOUNT"])
        one, both = verify_through_proxy(c, seeded_data["verify_tokens"])
        logs = c.logs()
    text = report(args, rows, failures, uploads, limits, one, both, time.monotonic() - started)
    print(text)
    if not args.no_write:
        replace_section(ROOT / "docs" / "benchmarks.md", "load-cluster", text)
    failed = int(next(r for r in rows if r["Name"] == "Aggregated")["Failure Count"])
    problems = [f"{failed} failed requests (locust exit {returncode})"] if failed or returncode else []
    problems += uploads["bad"][:20]
    if not uploads["documents"]:
        problems.append("no document was uploaded during the load")
    if not limits["held"]:
        problems.append(f"the sign-in limit did not hold across servers: {limits['statuses']}")
    if one.errors or both.errors:
        problems.append(f"verify endpoint errors: {one.errors} direct, {both.errors} through nginx")
    if problems:
        print("CLUSTER LOAD TEST FAILED:\n" + "\n".join(problems) + "\n" + logs[-6000:], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
