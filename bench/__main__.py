"""``python -m bench``: seed 1,000 and 100,000 applications, measure, print a table, write docs/benchmarks.md.

Database: SQLite files in a temporary directory, or the PostgreSQL server of ``ZONE_BENCH_DATABASE_URL``
(one database per size, ``zone_bench_<n>``, dropped and recreated). Options: ``--sizes 1000,100000``,
``--seconds 10`` (per throughput run), ``--compliance-residents 10000`` (the daily compliance run, 0 skips
it), ``--no-write`` (print only).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench import http_load, inprocess
from bench.harness import create_schema, database_url, make_app, signing_identity, token
from bench.report import write_report
from bench.seed import PASSWORD, seed
from bench.server import ROOT, gunicorn

DEFAULT_SIZES = (1_000, 100_000)


def _login(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"cannot sign in as {email}: HTTP {response.status_code}")


def _url(app, endpoint: str, **values) -> str | None:
    from flask import url_for

    if endpoint not in app.view_functions:
        return None
    with app.test_request_context("/"):
        return url_for(endpoint, **values)


def measure_pages(app, seeded) -> list[inprocess.Latency]:
    """Staff queues (applications, reports) and the applicant dashboard (HTML), and the JSON lists, as their
    users see them."""
    results = []
    staff, company = app.test_client(), app.test_client()
    _login(staff, seeded.users["reviewer"])
    _login(company, seeded.dashboard_email)
    auditor = token(app, seeded.users["auditor"])
    pages = [
        ("staff queue (HTML, reviewer)", staff, "review.queue"),
        ("applicant dashboard (HTML, 25 applications)", company, "applications.dashboard"),
        ("reports queue (HTML, reviewer)", staff, "reports.queue"),
    ]
    for label, client, endpoint in pages:
        url = _url(app, endpoint)
        results.append(inprocess.page_latency(app, client, label, url) if url
                       else inprocess.Latency(label, note=f"endpoint {endpoint} not built"))
    api = app.test_client()
    for label, url in (("applications list (API, auditor, 50)", "/api/v1/applications?limit=50"),
                       ("certificates list (API, auditor, 50)", "/api/v1/certificates?limit=50")):
        results.append(inprocess.page_latency(app, api, label, url, headers=auditor))
    return results


def measure_http(url: str, seeded, seconds: float, workdir: Path) -> list[http_load.Throughput]:
    tokens = seeded.verify_tokens
    with gunicorn(url, log_path=workdir / "gunicorn.log") as base:
        runs = [("/healthz (trivial ceiling)", ["/healthz"], "application/json"),
                ("/api/v1/verify/<token> (public verify, JSON)", [f"/api/v1/verify/{t}" for t in tokens],
                 "application/json"),
                ("/verify/<token> (public verify page, HTML)", [f"/verify/{t}" for t in tokens], "text/html")]
        for _label, paths, accept in runs:  # warm every worker up first: imports, templates, caches
            http_load.measure(base, "warm-up", paths, seconds=2, accept=accept)
        # Three interleaved rounds, the median round kept: the machine's other work drifts over minutes.
        rounds: dict[str, list] = {label: [] for label, _paths, _accept in runs}
        for _round in range(3):
            for label, paths, accept in runs:
                rounds[label].append(http_load.measure(base, label, paths, seconds=seconds / 3, accept=accept))
        return [sorted(found, key=lambda t: t.rps)[1] for found in rounds.values()]


def measure_exports(url: str, seeded) -> list[inprocess.Export]:
    results = []
    for kind in ("csv", "xlsx"):
        out = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench", "--probe-export", kind, "--database", url,
             "--email", seeded.users["auditor"]], cwd=ROOT, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            results.append(inprocess.Export(f"export.{kind}", 0, 0, 0, 0, note=out.stderr.strip()[-300:]))
            continue
        data = json.loads(out.stdout.strip().splitlines()[-1])
        data["rows"] = data["rows"] or seeded.certificates
        results.append(inprocess.Export(**data))
    return results


def probe_export(kind: str, url: str, email: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(url, Path(tmp))
        headers = token(app, email)
        result = inprocess.export_probe(app, f"/api/v1/certificates/export.{kind}", headers, f"export.{kind}")
    print(json.dumps(asdict(result)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--compliance-residents", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--probe-export")
    parser.add_argument("--database")
    parser.add_argument("--email")
    args = parser.parse_args(argv)
    if args.probe_export:
        probe_export(args.probe_export, args.database, args.email)
        return 0

    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    results: dict = {"sizes": sizes, "seed": {}, "pages": {}, "http": [], "exports": [], "rates": [],
                     "backend": "PostgreSQL" if os.environ.get("ZONE_BENCH_DATABASE_URL") else "SQLite"}
    # First, before any database work: bulk loads leave the database server busy (autovacuum) for a while.
    results["rates"].append(inprocess.evaluations_per_second())
    with tempfile.TemporaryDirectory(prefix="zone-bench-") as tmp:
        workdir = Path(tmp)
        signing_identity(workdir)
        for size in sizes:
            url = database_url(size, workdir)
            app = make_app(url, workdir)
            create_schema(app)
            t0 = time.perf_counter()
            with app.app_context():
                seeded = seed(size)
            results["seed"][size] = {"seconds": time.perf_counter() - t0, "applications": seeded.applications,
                                     "companies": seeded.companies, "documents": seeded.documents,
                                     "certificates": seeded.certificates, "reports": seeded.reports}
            print(f"seeded {size:,} applications in {results['seed'][size]['seconds']:.1f} s", flush=True)
            results["pages"][size] = measure_pages(app, seeded)
            if size == max(sizes):
                results["http"] = measure_http(url, seeded, args.seconds, workdir)
                print("measured HTTP throughput", flush=True)
                results["exports"] = measure_exports(url, seeded)
                print("measured exports", flush=True)
            _dispose(app)
        url = database_url(100, workdir, "_issue")
        app = make_app(url, workdir)
        create_schema(app)
        with app.app_context():
            seed(100, spare_approved=10)
        results["rates"].extend(inprocess.issuance_vs_bare_render(app, runs=8))
        results["rates"].append(inprocess.agreement_issuance(app, runs=8))
        _dispose(app)
        if args.compliance_residents:
            from bench import compliance

            results["compliance"] = compliance.bench(args.compliance_residents, workdir)
    results["elapsed"] = time.monotonic() - started
    results["environment"] = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cpus": os.cpu_count(),
        "python": platform.python_version(), "platform": platform.platform(terse=True),
        "load": f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after",
        "commit": os.environ.get("ZONE_BENCH_COMMIT") or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,  # noqa: S607
            check=False).stdout.strip(),
    }
    text = write_report(results, None if args.no_write else ROOT / "docs" / "benchmarks.md")
    print(text)
    return 0


def _dispose(app) -> None:
    from zone.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
