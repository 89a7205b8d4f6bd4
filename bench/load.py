"""``python -m bench.load``: 50 locust users for 2 minutes against gunicorn + PostgreSQL; fails on any error.

Database: ``ZONE_BENCH_DATABASE_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``); the load
test uses its own database on that server, ``zone_load``, dropped and recreated. It is seeded with
10,000 applications (``bench.seed``) plus one team per company user (a company, its reviewer and its
approver), then locust runs ``bench/locustfile.py`` headless. p50/p95 per page go to docs/benchmarks.md.
Options: ``--users 50 --minutes 2 --applications 10000``.

``make load MODE=cluster`` runs the same mix through several app servers: see ``bench.cluster_load``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bench.harness import create_schema, make_app, signing_identity
from bench.report import replace_section
from bench.seed import PASSWORD, seed
from bench.server import ROOT, gunicorn
from config import normalise_database_url

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
TEAMS = 60


def load_database(base_url: str) -> str:
    url = sa.engine.make_url(normalise_database_url(base_url))
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql('DROP DATABASE IF EXISTS "zone_load" WITH (FORCE)')
        conn.exec_driver_sql('CREATE DATABASE "zone_load"')
    admin.dispose()
    return url.set(database="zone_load").render_as_string(hide_password=False)


def seed_teams(app) -> list[dict]:
    """A company user with its own reviewer and approver per simulated company (four eyes, no races)."""
    from zone.accounts.models import User
    from zone.accounts.passwords import hash_password
    from zone.companies.models import Company
    from zone.extensions import db

    teams = []
    with app.app_context():
        password_hash = hash_password(PASSWORD)
        for n in range(TEAMS):
            company = Company(name=f"ТОО «Нагрузка {n}»", registration_country="KZ", tax_id=f"9{n:011d}",
                              address="г. Туркестан")
            db.session.add(company)
            db.session.flush()
            emails = {"company": f"load-company{n}@bench.icic.kz", "reviewer": f"load-reviewer{n}@bench.icic.kz",
                      "approver": f"load-approver{n}@bench.icic.kz"}
            for role, email in emails.items():
                db.session.add(User(email=email, role="applicant" if role == "company" else role,
                                    company_id=company.id if role == "company" else None,
                                    password_hash=password_hash, full_name=f"Load {role} {n}"))
            teams.append(emails)
        db.session.commit()
    return teams


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def results_table(rows: list[dict], failures: list[dict]) -> list[str]:
    """Totals and one line per request name, from locust's CSV; the failures, if any."""
    total = next(r for r in rows if r["Name"] == "Aggregated")
    lines = [
        f"**{int(total['Request Count']):,} requests, {int(total['Failure Count'])} failed**, "
        f"{float(total['Requests/s']):.1f} req/s; p50 {total['50%']} ms, p95 {total['95%']} ms overall.",
        "",
        "| request | count | failures | p50 | p95 | max |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: r["Name"]):
        lines.append(f"| {r['Type']} {r['Name']} | {int(r['Request Count']):,} | {int(r['Failure Count'])} "
                     f"| {r['50%']} ms | {r['95%']} ms | {float(r['Max Response Time']):,.0f} ms |")
    if failures:
        lines += ["", "Failures:", ""]
        lines += [f"- {f['Method']} {f['Name']}: {f['Error']} ({f['Occurrences']}×)" for f in failures]
    return lines


def report(rows: list[dict], args, elapsed: float, failures: list[dict]) -> str:
    lines = [
        "## `python -m bench.load`",
        "",
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}: {args.users} users for {args.minutes:g} min "
        f"(locust, headless) against gunicorn (2 workers × 4 threads) + PostgreSQL, seeded with "
        f"{args.applications:,} applications; took {elapsed / 60:.1f} min in all; 1-minute load average "
        f"{os.getloadavg()[0]:.1f} at the end (other work on the machine skews the latencies).",
        "",
        *results_table(rows, failures),
    ]
    return "\n".join(lines) + "\n"


def load_data(app, seeded) -> dict:
    """What the locust users read (``ZONE_LOAD_DATA``): accounts and verify tokens of the seeded data."""
    return {"password": PASSWORD, "teams": seed_teams(app), "verify_tokens": seeded.verify_tokens,
            "serial_tax": seeded.serial_tax, "auditor": seeded.users["auditor"],
            "staff": [seeded.users["reviewer"], seeded.users["approver"], seeded.users["admin"]]}


def read_failures(prefix: Path) -> list[dict]:
    with open(f"{prefix}_failures.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def run_locust(args, base: str, data_path: Path, prefix: Path, extra_env: dict | None = None) -> int:
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "-u", str(args.users), "-r", "10", "-t", f"{int(args.minutes * 60)}s", "--host", base,
         "--csv", str(prefix), "--only-summary", "--stop-timeout", "20", "--loglevel", "WARNING"],
        cwd=ROOT, env={**os.environ, "ZONE_LOAD_DATA": str(data_path), **(extra_env or {})}, check=False)
    return run.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    started = time.monotonic()
    url = load_database(os.environ.get("ZONE_BENCH_DATABASE_URL", DEFAULT_URL))
    with tempfile.TemporaryDirectory(prefix="zone-load-") as tmp:
        workdir = Path(tmp)
        signing_identity(workdir)
        app = make_app(url, workdir)
        create_schema(app)
        with app.app_context():
            seeded = seed(args.applications)
        data = load_data(app, seeded)
        (workdir / "data.json").write_text(json.dumps(data))
        env = {"UPLOAD_DIR": str(workdir / "uploads"), "MAIL_OUTBOX_DIR": str(workdir / "outbox"),
               "SIGNING_P12_PATH": str(workdir / "signing" / "signer.p12"),
               "SIGNING_CA_PATH": str(workdir / "signing" / "ca.pem")}
        prefix = workdir / "locust"
        with gunicorn(url, extra_env=env, log_path=workdir / "gunicorn.log") as base:
            print(f"seeded; running {args.users} users for {args.minutes:g} min against {base}", flush=True)
            returncode = run_locust(args, base, workdir / "data.json", prefix)
        rows = read_stats(prefix)
        failures = read_failures(prefix)
        server_log = (workdir / "gunicorn.log").read_text(errors="replace")[-3000:]
    text = report(rows, args, time.monotonic() - started, failures)
    print(text)
    if not args.no_write:
        replace_section(ROOT / "docs" / "benchmarks.md", "load", text)
    failed = int(next(r for r in rows if r["Name"] == "Aggregated")["Failure Count"])
    if failed or returncode != 0:
        print(f"LOAD TEST FAILED: {failed} failed requests (locust exit {returncode})\n{server_log}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
