"""What a Prometheus scrape of ``/metrics`` costs: ``python -m bench.metrics [--scrapes 300]`` (in ``make bench``).

The app first answers every GET route of its url map a few times (so the scrape renders a realistic number of
series: every route × status), queues mail, then is scraped ``--scrapes`` times with the token. The target is
≤ 5 ms per scrape: the CPU time a scrape takes from the server (median, ``time.thread_time``), printed beside
the wall-clock p50 and p95, which other work on the machine inflates. Measured twice: one process, and the
multiprocess mode of several gunicorn workers (``PROMETHEUS_MULTIPROC_DIR``, in a child process, because
prometheus_client reads that variable when it is imported), with the files of ``--processes`` workers.
Database: SQLite in a temporary directory, or ``ZONE_BENCH_DATABASE_URL`` (PostgreSQL).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import create_schema, database_url, make_app

TOKEN = "bench-scrape-" + "x" * 40


def _warm(app, client) -> None:
    """Every GET route with placeholder arguments, three times: as many series as a day of real traffic."""
    from zone.extensions import db
    from zone.mail.models import MailMessage

    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        path = rule.build(dict.fromkeys(rule.arguments, "1"), append_unknown=False)[1]
        for _ in range(3):
            client.get(path).close()
    with app.app_context():
        db.session.add_all(MailMessage(kind="bench", recipient=f"r{n}@example.test", subject="s", body="b\n",
                                       locale="ru") for n in range(50))
        db.session.commit()


def _other_workers(directory: Path, copies: int) -> None:
    """Copies of this process's metric files standing for ``copies`` more gunicorn workers."""
    for path in list(directory.glob("*.db")):
        kind, _, _pid = path.name.rpartition("_")
        for worker in range(copies):
            (directory / f"{kind}_{900000 + worker}.db").write_bytes(path.read_bytes())


def measure(scrapes: int, workdir: Path, processes: int = 1) -> dict:
    app = make_app(database_url(0, workdir, "-metrics"), workdir, METRICS_TOKEN=TOKEN)
    create_schema(app)
    client = app.test_client()
    _warm(app, client)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        _other_workers(Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]), processes - 1)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    client.get("/metrics", headers=headers).close()
    timings, cpu, size, series = [], [], 0, 0
    for _ in range(scrapes):
        started, started_cpu = time.perf_counter(), time.thread_time()
        response = client.get("/metrics", headers=headers)
        body = response.get_data()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        response.close()
        assert response.status_code == 200, response.status_code
        size = len(body)
        series = sum(1 for line in body.splitlines() if line and not line.startswith(b"#"))
    timings.sort()
    files = len(list(Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR", workdir)).glob("*.db")))
    return {"cpu_ms": round(statistics.median(cpu), 2), "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2), "bytes": size, "series": series,
            "files": files}


def _child(scrapes: int, processes: int) -> dict:
    """The multiprocess mode, as gunicorn's workers run it, in a child process with the variable set."""
    with tempfile.TemporaryDirectory(prefix="obs_bench_") as tmp:
        directory = Path(tmp) / "prom"
        directory.mkdir()
        env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
        code = ("import json, sys; from pathlib import Path; from bench.metrics import measure; "
                f"print(json.dumps(measure({scrapes}, Path(sys.argv[1]), {processes})))")
        child = subprocess.run([sys.executable, "-c", code, tmp], env=env, capture_output=True, text=True,  # noqa: S603 - our own code
                               check=True, cwd=Path(__file__).resolve().parents[1])
        return json.loads(child.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scrapes", type=int, default=300)
    parser.add_argument("--processes", type=int, default=4, help="gunicorn workers in multiprocess mode")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="obs_bench_") as tmp:
        single = measure(args.scrapes, Path(tmp))
    multi = _child(args.scrapes, args.processes)
    print(f"1-minute load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs, {args.scrapes} scrapes each")
    print("| mode | series | body | CPU per scrape | wall p50 | wall p95 | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, result in (("one process", single), (f"multiprocess, {args.processes} workers' files", multi)):
        verdict = "met" if result["cpu_ms"] <= 5 else "MISSED"
        print(f"| {label} | {result['series']} | {result['bytes'] // 1024} KB | {result['cpu_ms']} ms "
              f"| {result['p50_ms']} ms | {result['p95_ms']} ms | ≤ 5 ms: {verdict} |")
    return 0 if max(single["cpu_ms"], multi["cpu_ms"]) <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
