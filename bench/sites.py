"""Site plan and site ranking at scale: ``python -m bench.sites [--sites 2000]`` (part of ``make bench``).

Seeds ``--sites`` sites on the Kazakh side (a grid of plots and buildings, a third of them leased to residents
so the staff plan names holders), then measures in-process, 200 timed requests after 20 warm-ups:
the staff plan page (every site drawn, labelled and listed with its holder; target p95 ≤ 150 ms), the public
plan page (free sites only), the staff plan drawn anew on every request (as right after a site changed: the
plan cache kept nothing), and ``zone.sites.matching.rank()`` for an application's needs (target p95 ≤ 20 ms).
Database: SQLite in a temporary directory, or ``ZONE_BENCH_DATABASE_URL`` (PostgreSQL).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from bench.harness import create_schema, database_url, make_app
from bench.inprocess import page_latency
from bench.seed import _insert

ADMIN = "bench-admin@example.org"
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway database
PLAN_TARGET_MS = 150
RANK_TARGET_MS = 20


def _seed(count: int) -> None:
    """``count`` KZ sites in a grid (one in three leased to its own resident), staff users, one company."""
    from zone.accounts.models import User
    from zone.accounts.passwords import hash_password
    from zone.extensions import db

    now = datetime(2026, 1, 5, tzinfo=UTC)
    db.session.add(User(id=1, email=ADMIN, role="admin", password_hash=hash_password(PASSWORD),
                        full_name="Bench admin", locale="en"))
    db.session.commit()
    companies, applications, sites, leases = [], [], [], []
    side = 45  # sites per row
    for index in range(count):
        x, y = (index % side) * 30, (index // side) * 30
        leased = index % 3 == 0
        sites.append({
            "id": index + 1, "code": f"KZ-{'B' if index % 2 else 'P'}{index:05d}", "side": "KZ",
            "kind": "building" if index % 2 else "plot", "name": "", "area_m2": Decimal(400 + index % 40 * 100),
            "power_kw": Decimal(index % 900), "water_m3_day": Decimal(index % 120), "gas_m3_h": Decimal(index % 30),
            "rent_per_m2_year": Decimal(18), "currency": "USD", "status": "leased" if leased else "free",
            "outline": [[x, y], [x + 25, y], [x + 25, y + 25], [x, y + 25]], "version": 1, "created_at": now,
            "updated_at": now})
        if leased:
            n = len(companies) + 1
            companies.append({"id": n, "name": f"ТОО «Резидент {n}»", "registration_country": "KZ",
                              "tax_id": f"{n:012d}", "address": "Туркестан", "is_legal_entity": True,
                              "created_at": now, "updated_at": now})
            applications.append({"id": n, "company_id": n, "created_by_id": 1, "status": "approved", "side": "KZ",
                                 "version": 3, "number": f"A-2026-{n:05d}", "created_at": now, "updated_at": now})
            leases.append({"id": n, "site_id": index + 1, "application_id": n, "company_id": n,
                           "status": "signed", "area_m2": sites[-1]["area_m2"], "rent_per_m2_year": Decimal(18),
                           "currency": "USD", "reduction_pct": 50, "reduction_until": date(2029, 1, 5),
                           "starts_on": date(2026, 1, 5), "sign_by": date(2026, 2, 4), "rule_set_version": "2026.1",
                           "pdf": b"%PDF-bench", "sha256": hashlib.sha256(str(n).encode()).hexdigest(),
                           "created_at": now})
    _insert("companies", companies)
    _insert("applications", applications)
    _insert("sites", sites)
    _insert("site_leases", leases)
    db.session.commit()


def _rank_latency(app, runs: int = 200) -> tuple[float, float]:
    from zone.sites import matching

    needs = matching.Needs("building", Decimal(1500), Decimal(400), Decimal(20))
    times = []
    with app.app_context():
        for _ in range(20):
            matching.rank("KZ", needs)
        for _ in range(runs):
            start = time.perf_counter()
            matching.rank("KZ", needs)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, statistics.quantiles(times, n=20)[18] * 1000


def run(count: int, workdir: Path) -> dict:
    app = make_app(database_url(count, workdir, "-sites"), workdir)
    create_schema(app)
    with app.app_context():
        _seed(count)
    client = app.test_client()
    signed_in = client.post("/login", data={"email": ADMIN, "password": PASSWORD})
    if signed_in.status_code != 302:
        raise SystemExit("the benchmark's administrator cannot sign in")
    staff = page_latency(app, client, "staff plan", "/sites?side=KZ")
    public = page_latency(app, app.test_client(), "public plan", "/sites?side=KZ")
    # Drawn anew on every request (a cache that keeps nothing): the first view after a site changed.
    from zone.sites.plan import EXTENSION, PlanCache

    app.extensions[EXTENSION] = PlanCache(size=0)
    staff_cold = page_latency(app, client, "staff plan drawn anew", "/sites?side=KZ")
    rank_p50, rank_p95 = _rank_latency(app)
    return {"staff": staff, "public": public, "staff_cold": staff_cold, "rank_p50": rank_p50,
            "rank_p95": rank_p95}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zone-bench-sites-") as tmp:
        r = run(args.sites, Path(tmp))
    for latency in (r["staff"], r["public"], r["staff_cold"]):
        if latency.status != 200:
            print(f"{latency.label}: {latency.note}")
            return 1
        print(f"{latency.label} with {args.sites} sites: p50 {latency.p50_ms:.1f} ms, p95 {latency.p95_ms:.1f} ms, "
              f"{latency.queries_min}-{latency.queries_max} SQL statements")
    print(f"ranking {args.sites} sites for an application: p50 {r['rank_p50']:.2f} ms, p95 {r['rank_p95']:.2f} ms "
          f"(target ≤ {RANK_TARGET_MS} ms)")
    ok = r["staff"].p95_ms <= PLAN_TARGET_MS and r["rank_p95"] <= RANK_TARGET_MS
    print(f"staff plan target p95 ≤ {PLAN_TARGET_MS} ms: {'met' if r['staff'].p95_ms <= PLAN_TARGET_MS else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
