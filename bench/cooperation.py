"""Cooperation and figures at scale: ``python -m bench.cooperation [--residents 10000] [--sizes 1000,100000]``
(part of ``make bench``).

1. Matches: ``--residents`` residents (companies with an active certificate, about half on each side) offer
   three products each and need one input each, with HS codes drawn from the shipped nomenclature (a third
   of them in chapters 39 and 84, so the chapter joins are crowded); one company with 20 needs and three
   products asks ``GET /api/v1/cooperation/matches``. Target (issue 21): p95 ≤ 50 ms.
2. The public figures page at 1,000 and 100,000 applications (bench.seed), with the figures' snapshot as the
   worker keeps it, in five interleaved rounds of 100 requests (the median round by p95 counts):
   p95 at 100,000 ≤ 1.3 × p95 at 1,000. The time to compute the snapshot (the worker's
   job, or a request when the snapshot is over an hour old) is reported beside it.
Database: SQLite in a temporary directory, or ``ZONE_BENCH_DATABASE_URL`` (PostgreSQL). ``--write`` puts the
figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from bench import inprocess
from bench.harness import create_schema, database_url, make_app, token
from bench.report import replace_section
from bench.seed import _insert, seed
from zone.calendar import today as zone_today

ROOT = Path(__file__).resolve().parent.parent
CROWDED = ("39", "84")


def _codes(rng: random.Random) -> tuple[list[str], list[str]]:
    from zone.cooperation import hs

    six = sorted(code for code in hs.nomenclature() if len(code) == 6)
    return six, [code for code in six if code[:2] in CROWDED]


def _seed_cooperation(residents: int, rng: random.Random) -> str:
    """Offers and needs for the first ``residents`` companies with an active certificate; returns the email of
    the measured company's user."""
    from zone.extensions import db

    rows = db.session.execute(sa.text(
        "SELECT company_id, MIN(side) AS side FROM certificates WHERE status = 'active' "
        "GROUP BY company_id ORDER BY company_id LIMIT :n"), {"n": residents}).all()
    sides = dict(rows)  # the seed's companies: two in three on the KZ side
    everything, crowded = _codes(rng)
    now = datetime.now(UTC)
    offers, needs = [], []

    def code() -> str:
        return rng.choice(crowded if rng.random() < 0.33 else everything)

    for company, side in sides.items():
        for _ in range(3):
            c = code()
            offers.append({"id": len(offers) + 1, "company_id": company, "side": side, "hs_code": c,
                           "hs_heading": c[:4], "hs_chapter": c[:2], "name": f"Product {c}",
                           "capacity": Decimal(rng.randint(10, 20_000)), "unit": rng.choice(("t", "t", "pcs")),
                           "source": "application", "active": True, "created_at": now, "updated_at": now})
        c = code()
        needs.append({"id": len(needs) + 1, "company_id": company, "side": side, "hs_code": c, "hs_heading": c[:4],
                      "hs_chapter": c[:2], "description": f"Input {c}", "annual_volume": Decimal(rng.randint(10, 5000)),
                      "unit": "t", "certificates_required": [], "active": True, "created_by_id": 1,
                      "created_at": now, "updated_at": now})
    measured = next(company for company, side in sides.items() if side == "KZ")
    for _ in range(19):
        c = rng.choice(crowded)
        needs.append({**needs[0], "id": len(needs) + 1, "company_id": measured, "side": sides[measured],
                      "hs_code": c, "hs_heading": c[:4], "hs_chapter": c[:2]})
    _insert("cooperation_offers", offers)
    _insert("cooperation_needs", needs)
    db.session.commit()
    email = db.session.execute(sa.text("SELECT email FROM users WHERE company_id = :c AND role = 'applicant' "
                                       "ORDER BY id LIMIT 1"), {"c": measured}).scalar()
    print(f"seeded {len(sides):,} residents, {len(offers):,} offers, {len(needs):,} needs", flush=True)
    return email


def _analyze() -> None:
    """On PostgreSQL, gather the planner's statistics as autovacuum would minutes after a bulk load (the
    benchmark measures seconds after it; without them the planner guesses and picks poor plans)."""
    from zone.database import is_postgresql
    from zone.extensions import db

    if is_postgresql():
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def matches(residents: int, workdir: Path) -> inprocess.Latency:
    app = make_app(database_url(residents, workdir, "_cooperation"), workdir)
    create_schema(app)
    rng = random.Random(2026)
    started = time.perf_counter()
    with app.app_context():
        seed(int(residents * 3.1) + 10)  # about one company in three applications
        email = _seed_cooperation(residents, rng)
        _analyze()
    print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    latency = inprocess.page_latency(app, app.test_client(), f"matches, 20 needs among {residents:,} residents",
                                     "/api/v1/cooperation/matches?limit=50", headers=token(app, email), runs=200)
    _dispose(app)
    return latency


def figures_app(size: int, workdir: Path) -> tuple[object, float]:
    """An app on ``size`` seeded applications with the figures' snapshot computed (seconds it took)."""
    from zone.figures import services

    app = make_app(database_url(size, workdir, "_figures"), workdir)
    create_schema(app)
    with app.app_context():
        seed(size)
        _analyze()
        started = time.perf_counter()
        services.refresh()
        compute = time.perf_counter() - started
    return app, compute


def figures_pages(sizes: list[int], workdir: Path, rounds: int = 5) -> dict[int, tuple[inprocess.Latency, float]]:
    """``/figures`` at each size, measured in interleaved rounds (so a busy moment of the machine hits every
    size alike); each size's figures are the round with its median p95."""
    apps = {size: figures_app(size, workdir) for size in sizes}
    clients = {size: app.test_client() for size, (app, _compute) in apps.items()}
    measured: dict[int, list[inprocess.Latency]] = {size: [] for size in sizes}
    for _ in range(rounds):
        for size, (app, _compute) in apps.items():
            measured[size].append(inprocess.page_latency(app, clients[size], f"/figures at {size:,} applications",
                                                         "/figures", runs=100, warmup=10))
    found = {}
    for size, (app, compute) in apps.items():
        by_p95 = sorted(measured[size], key=lambda latency: latency.p95_ms)
        found[size] = (by_p95[len(by_p95) // 2], compute)
        _dispose(app)
    return found


def _dispose(app) -> None:
    from zone.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def run(residents: int, sizes: list[int], workdir: Path) -> dict:
    found = {"matches": matches(residents, workdir), "figures": {}}
    print(f"{found['matches']}", flush=True)
    found["figures"] = figures_pages(sizes, workdir)
    for latency, compute in found["figures"].values():
        print(f"{latency}; snapshot computed in {compute * 1000:.0f} ms", flush=True)
    return found


def markdown(found: dict, backend: str) -> str:
    m = found["matches"]
    lines = [f"### Cooperation and figures ({backend}, {zone_today().isoformat()}, "
             "`python -m bench.cooperation`)", "",
             "| measure | p50 ms | p95 ms | SQL statements | target | verdict |", "|---|---:|---:|---:|---|---|",
             f"| {m.label} | {m.p50_ms:.1f} | {m.p95_ms:.1f} | {m.queries_min}–{m.queries_max} | p95 ≤ 50 ms | "
             f"{'**met**' if m.p95_ms <= 50 else '**missed**'} |"]
    sizes = sorted(found["figures"])
    for size in sizes:
        latency, compute = found["figures"][size]
        lines.append(f"| {latency.label} (snapshot computed in {compute * 1000:,.0f} ms) | {latency.p50_ms:.1f} | "
                     f"{latency.p95_ms:.1f} | {latency.queries_min}–{latency.queries_max} | | |")
    if len(sizes) > 1:
        small, large = found["figures"][sizes[0]][0], found["figures"][sizes[-1]][0]
        ratio = large.p95_ms / small.p95_ms
        lines.append(f"| /figures p95 at {sizes[-1]:,} ÷ at {sizes[0]:,} | | {ratio:.2f} × | | ≤ 1.3 × | "
                     f"{'**met**' if ratio <= 1.3 else '**missed**'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cooperation", description=__doc__)
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--write", action="store_true", help="write the figures into docs/benchmarks.md")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="zone-bench-cooperation-") as tmp:
        found = run(args.residents, sizes, Path(tmp))
    import os

    backend = "PostgreSQL" if os.environ.get("ZONE_BENCH_DATABASE_URL") else "SQLite"
    text = markdown(found, backend)
    print(text)
    if args.write:
        replace_section(ROOT / "docs" / "benchmarks.md", f"cooperation-{backend.lower()}", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
