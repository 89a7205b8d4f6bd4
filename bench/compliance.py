"""The daily compliance run at scale: ``python -m bench.compliance [--residents 10000]``.

Seeds the benchmark data (bench.seed) and gives every active certificate an agreement with eight filed
quarters (2025-Q1 to 2026-Q4); one resident in a hundred misses its last quarter. Measures the first run
(which opens those cases, with their signed letters) and a second one the same day (the steady state: all
evaluated, nothing new), in residents per second, statements per batch and peak memory; then the what-if
endpoint's latency. Target (issue 16): ≥ 500 residents/s on one core, flat memory, p95 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bench import inprocess
from bench.harness import create_schema, database_url, make_app, signing_identity, token
from bench.seed import _insert, seed

ON = date(2027, 2, 1)


def _residents(count: int) -> int:
    """Give every active certificate (up to ``count``) an agreement and eight filed quarters."""
    from zone.extensions import db

    certs = db.session.execute(sa.text(
        "SELECT id, side, year, application_id, company_id, company_name, company_tax_id, valid_from "
        "FROM certificates WHERE status = 'active' ORDER BY id LIMIT :n"), {"n": count}).mappings().all()
    db.session.execute(sa.text("DELETE FROM reports"))
    db.session.execute(sa.text("DELETE FROM agreements"))
    db.session.commit()
    now = datetime(2025, 1, 2, tzinfo=UTC)
    agreements, reports = [], []
    for index, cert in enumerate(certs, start=1):
        agreements.append({
            "id": index, "number": f"AG-{cert['side']}-2025-{index:06d}", "side": cert["side"], "year": 2025,
            "sequence": index, "application_id": cert["application_id"], "certificate_id": cert["id"],
            "company_id": cert["company_id"], "company_name": cert["company_name"],
            "company_tax_id": cert["company_tax_id"], "status": "concluded", "decided_on": date(2025, 1, 2),
            "countersign_due": date(2025, 1, 12), "rule_set_version": "2026.1", "obligations": [],
            "sha256": hashlib.sha256(f"agreement {index}".encode()).hexdigest(), "size": 1000,
            "zone_signed_at": now, "company_signed_at": now, "created_at": now})
        quarters = 8 if index % 100 else 7  # one in a hundred misses 2026-Q4
        for q in range(quarters):
            year, quarter = 2025 + q // 4, q % 4 + 1
            start = date(year, 3 * quarter - 2, 1)
            end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
            reports.append({
                "id": len(reports) + 1, "agreement_id": index, "company_id": cert["company_id"],
                "side": cert["side"], "kind": "quarterly", "period": f"{year}-Q{quarter}", "period_start": start,
                "period_end": end, "due": end + timedelta(days=25), "status": "accepted", "version": 1,
                "revision": 1, "head": True, "in_queue": False, "currency": "USD", "jobs_total": 120,
                "jobs_local": 100, "jobs_foreign": 20, "benefits_used": {}, "output": [],
                "submitted_at": datetime.combine(end + timedelta(days=5), datetime.min.time(), UTC),
                "created_by_id": 1, "created_at": now, "updated_at": now})
    _insert("agreements", agreements)
    _insert("reports", reports)
    db.session.commit()
    # 2025 annual reports are due too; the bench files only quarters, so exclude annual periods from the
    # measurement by giving every resident its 2025 annual report as well.
    annual = [{**r, "id": len(reports) + i + 1, "kind": "annual", "period": "2025", "period_start": date(2025, 1, 1),
               "period_end": date(2025, 12, 31), "due": date(2026, 4, 30)}
              for i, r in enumerate(r for r in reports if r["period"] == "2025-Q1")]
    _insert("reports", annual)
    db.session.commit()
    return len(certs)


@dataclass
class RunFigure:
    label: str
    residents: int
    seconds: float
    statements_per_batch: float
    batch_statements: tuple[int, int]  # fewest and most statements of one batch after the first
    opened: int
    rss_before_mb: float
    rss_after_mb: float

    @property
    def per_second(self) -> float:
        return self.residents / self.seconds


def _rss_mb() -> float:
    """The process's resident memory now (Linux), in MB; the peak where /proc is missing."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed_run(app, label: str, batch_size: int) -> RunFigure:
    from zone.compliance.run import run
    from zone.extensions import db

    before = _rss_mb()
    marks: list[int] = []  # the statement count at each commit: the run commits once per batch
    with app.app_context(), app.test_request_context("/", method="POST"), \
            inprocess.counting_queries(db.engine) as counter:

        def _mark(_session) -> None:
            marks.append(counter.count)

        sa.event.listen(Session, "after_commit", _mark)
        try:
            started = time.perf_counter()
            counts = run(ON, batch_size=batch_size)
            seconds = time.perf_counter() - started
        finally:
            sa.event.remove(Session, "after_commit", _mark)
    batches = -(-counts["residents"] // batch_size)
    # Batches after the first (which also reads the rule set and the calendar once for the run); the last
    # commit is the end of the run (cases of certificates no longer live).
    per_batch = [b - a for a, b in itertools.pairwise(marks[:batches])] or [0]
    return RunFigure(label, counts["residents"], seconds, counter.count / batches, (min(per_batch), max(per_batch)),
                     counts["opened"], before, _rss_mb())


def measure(app) -> list[RunFigure]:
    """The first run, the steady state (a second run the same day) and the steady state in half-size
    batches: the same statements per batch shows that they do not grow with the residents in a batch."""
    return [_timed_run(app, "first run (opens the cases, signs the letters)", 500),
            _timed_run(app, "second run the same day (steady state)", 500),
            _timed_run(app, "steady state in batches of 250", 250)]


def what_if(app) -> inprocess.Latency:
    from zone.extensions import db

    with app.app_context():
        serial = db.session.execute(sa.text("SELECT serial FROM certificates WHERE status = 'active' "
                                            "ORDER BY id LIMIT 1")).scalar()
    return inprocess.page_latency(app, app.test_client(), "what-if (GET /api/v1/certificates/{serial}/compliance)",
                                  f"/api/v1/certificates/{serial}/compliance?on_date={ON.isoformat()}",
                                  headers=_auditor(app), runs=200)


def bench(residents: int, workdir: Path) -> dict:
    """Seed ``residents`` residents in ``workdir`` and measure; the figures for :mod:`bench.report`."""
    app = make_app(database_url(residents, workdir, "_compliance"), workdir)
    create_schema(app)
    started = time.perf_counter()
    with app.app_context():
        seed(int(residents / 0.7) + 10)
        count = _residents(residents)
    print(f"seeded {count:,} residents with 8 quarters each in {time.perf_counter() - started:.0f} s", flush=True)
    runs = measure(app)
    for figure in runs:
        print(f"{figure.label}: {figure.residents:,} residents in {figure.seconds:.1f} s = {figure.per_second:,.0f}/s; "
              f"{figure.statements_per_batch:.0f} statements per batch on average, "
              f"{figure.batch_statements[0]}–{figure.batch_statements[1]} after the first; opened {figure.opened}; "
              f"RSS {figure.rss_before_mb:.0f} → {figure.rss_after_mb:.0f} MB", flush=True)
    latency = what_if(app)
    print(f"what-if endpoint: {latency}", flush=True)
    with app.app_context():
        from zone.extensions import db

        db.session.remove()
        db.engine.dispose()
    return {"residents": count, "runs": runs, "what_if": latency}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compliance", description=__doc__)
    parser.add_argument("--residents", type=int, default=10_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zone-bench-compliance-") as tmp:
        workdir = Path(tmp)
        signing_identity(workdir)
        bench(args.residents, workdir)
    return 0


def _auditor(app) -> dict:
    from zone.extensions import db

    with app.app_context():
        email = db.session.execute(sa.text("SELECT email FROM users WHERE role = 'auditor' LIMIT 1")).scalar()
    return token(app, email)


if __name__ == "__main__":
    sys.exit(main())
