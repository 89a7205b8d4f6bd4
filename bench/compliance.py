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
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench import inprocess
from bench.__main__ import _token, create_schema, database_url, make_app, signing_identity
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


def measure(app, residents: int) -> list[str]:
    from zone.compliance.run import run
    from zone.extensions import db

    lines = []
    for label in ("first run (opens the cases, signs the letters)", "second run the same day (steady state)"):
        with app.app_context(), app.test_request_context("/", method="POST"), \
                inprocess.counting_queries(db.engine) as counter:
            started = time.perf_counter()
            counts = run(ON, batch_size=500)
            seconds = time.perf_counter() - started
        batches = -(-residents // 500)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        lines.append(f"{label}: {counts['residents']:,} residents in {seconds:.1f} s = "
                     f"{counts['residents'] / seconds:,.0f}/s; {counter.count / batches:.0f} statements per batch; "
                     f"opened {counts['opened']}; peak RSS {rss:.0f} MB")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compliance", description=__doc__)
    parser.add_argument("--residents", type=int, default=10_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zone-bench-compliance-") as tmp:
        workdir = Path(tmp)
        signing_identity(workdir)
        app = make_app(database_url(args.residents, workdir, "_compliance"), workdir)
        create_schema(app)
        with app.app_context():
            seed(int(args.residents / 0.7) + 10)
            residents = _residents(args.residents)
        print(f"seeded {residents:,} residents with 8 quarters each", flush=True)
        for line in measure(app, residents):
            print(line, flush=True)
        with app.app_context():
            from zone.extensions import db

            serial = db.session.execute(sa.text("SELECT serial FROM certificates WHERE status = 'active' "
                                                "ORDER BY id LIMIT 1")).scalar()
        latency = inprocess.page_latency(app, app.test_client(), "what-if",
                                         f"/api/v1/certificates/{serial}/compliance?on_date={ON.isoformat()}",
                                         headers=_auditor(app), runs=200)
        print(f"what-if endpoint: {latency}", flush=True)
    return 0


def _auditor(app) -> dict:
    from zone.extensions import db

    with app.app_context():
        email = db.session.execute(sa.text("SELECT email FROM users WHERE role = 'auditor' LIMIT 1")).scalar()
    return _token(app, email)


if __name__ == "__main__":
    sys.exit(main())
