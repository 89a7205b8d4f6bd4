"""The benchmark table: printed, and written into docs/benchmarks.md between markers, so the benchmark
and the load test each replace only their own section."""

from __future__ import annotations

from pathlib import Path

HEADER = """# Benchmarks and load

Figures from `python -m bench` (seeded data, gunicorn on loopback, in-process latency and SQL counts) and
`python -m bench.load` (locust, 50 users, gunicorn + PostgreSQL). Both rewrite their own section of this
file; the machine is the project's standard 2-core VM, so the client shares the CPUs with the server.
"""


def _ms(value) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:,.0f} µs" if value < 0.1 else f"{value:,.1f} ms"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("**met**" if ok else "**missed**")


def replace_section(path: Path, name: str, body: str) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def write_report(results: dict, path: Path | None) -> str:
    small, large = min(results["sizes"]), max(results["sizes"])
    env = results["environment"]
    lines = [
        f"## `python -m bench` on {results['backend']}",
        "",
        f"Run {env['when']} on commit `{env['commit']}`: {env['cpus']} CPUs, Python {env['python']}, "
        f"{results['backend']}, {env['platform']}; took {results['elapsed'] / 60:.1f} min; "
        f"1-minute load average {env.get('load', '?')} (other work on the machine skews every figure).",
        "",
        "### Seeded data",
        "",
        "| applications | companies | documents | certificates | reports | seeding |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for size in results["sizes"]:
        s = results["seed"][size]
        lines.append(f"| {s['applications']:,} | {s['companies']:,} | {s['documents']:,} | {s['certificates']:,} "
                     f"| {s.get('reports', 0):,} | {s['seconds']:.1f} s |")

    lines += ["", f"### Pages at {small:,} vs {large:,} applications "
              "(in-process, 200 requests each after 20 to warm up)", "",
              f"| page | p50 @{small:,} | p95 @{small:,} | p50 @{large:,} | p95 @{large:,} | p95 ratio "
              f"| SQL statements per request |", "|---|---:|---:|---:|---:|---:|---|"]
    targets = []
    for a, b in zip(results["pages"][small], results["pages"][large], strict=True):
        if a.p95_ms is None or b.p95_ms is None:
            lines.append(f"| {a.label} | {a.note or b.note} | | | | | |")
            continue
        ratio = b.p95_ms / a.p95_ms
        counts = sorted({a.queries_min, a.queries_max, b.queries_min, b.queries_max})
        lines.append(f"| {a.label} | {_ms(a.p50_ms)} | {_ms(a.p95_ms)} | {_ms(b.p50_ms)} | {_ms(b.p95_ms)} "
                     f"| {ratio:.2f}× | {' / '.join(map(str, counts))}{' (constant)' if len(counts) == 1 else ''} |")
        if a.label.startswith("staff queue"):
            targets.append((f"staff queue p95 at {large:,} ≤ 1.5 × at {small:,}", f"{ratio:.2f}×", ratio <= 1.5))
            targets.append(("staff queue: constant SQL statements per request", " / ".join(map(str, counts)),
                            len(counts) == 1))
        if a.label.startswith("reports queue"):
            targets.append((f"reports queue p95 at {large:,} ≤ 1.3 × at {small:,}", f"{ratio:.2f}×", ratio <= 1.3))
            targets.append(("reports queue: constant SQL statements per request", " / ".join(map(str, counts)),
                            len(counts) == 1))

    if results["http"]:
        ceiling = results["http"][0].rps
        lines += ["", f"### Throughput over HTTP at {large:,} applications (gunicorn 2 workers × 4 threads, "
                  f"{results['http'][0].tool}, 16 connections; median of 3 interleaved rounds)", "",
                  "| endpoint | req/s | of trivial | p50 | p95 | errors |", "|---|---:|---:|---:|---:|---:|"]
        for t in results["http"]:
            errors = f"{t.errors:,}" + (f" (first answer: HTTP {t.first_status})" if t.errors else "")
            lines.append(f"| {t.label} | {t.rps:,.0f} | {t.rps / ceiling:.0%} | {_ms(t.p50_ms)} | {_ms(t.p95_ms)} "
                         f"| {errors} |")
        verify = results["http"][1]
        ok = verify.errors == 0 and verify.rps / ceiling >= 0.5
        targets.append(("public verify ≥ 50 % of the trivial endpoint", f"{verify.rps / ceiling:.0%}", ok))

    rates = {r.label: r for r in results["rates"]}
    lines += ["", "### Engine and certificates", "", "| what | per second | each |", "|---|---:|---:|"]
    for r in results["rates"]:
        lines.append(f"| {r.label} | {r.per_second:,.1f} | {_ms(r.seconds_each_ms)} |")
    evaluations = rates.get("eligibility evaluations (engine, one core)")
    if evaluations:
        targets.append(("≥ 20,000 eligibility evaluations/s", f"{evaluations.per_second:,.0f}/s",
                        evaluations.per_second >= 20_000))
    issue = rates.get("certificate issuance (end to end)")
    bare = rates.get("bare WeasyPrint render, same HTML")
    if issue and bare:
        ratio = issue.seconds_each_ms / bare.seconds_each_ms
        targets.append(("issuance ≤ 1.5 × bare render", f"{ratio:.2f}×", ratio <= 1.5))
    agreement = rates.get("agreement issuance (end to end)")
    if agreement and bare:
        ratio = agreement.seconds_each_ms / bare.seconds_each_ms
        targets.append(("agreement issuance adds ≤ 0.6 × a bare certificate render", f"{ratio:.2f}×", ratio <= 0.6))

    if results["exports"]:
        lines += ["", f"### Exports of the certificate register ({large:,} rows, streamed)", "",
                  "| export | rows | time | size | peak memory | note |", "|---|---:|---:|---:|---:|---|"]
        for e in results["exports"]:
            lines.append(f"| {e.label} | {e.rows:,} | {e.seconds:.1f} s | {e.megabytes:.1f} MB "
                         f"| {e.peak_rss_mb:.0f} MB | {e.note} |")

    compliance = results.get("compliance")
    if compliance:
        lines += ["", f"### The daily compliance run ({compliance['residents']:,} residents, eight quarters each; "
                  "one core)", "",
                  "| run | residents/s | SQL statements per batch (average; each batch after the first) "
                  "| cases opened | memory before → after |",
                  "|---|---:|---:|---:|---:|"]
        for r in compliance["runs"]:
            low, high = r.batch_statements
            lines.append(f"| {r.label} | {r.per_second:,.0f} | {r.statements_per_batch:.0f}; "
                         f"{low if low == high else f'{low}–{high}'} | {r.opened:,} "
                         f"| {r.rss_before_mb:.0f} → {r.rss_after_mb:.0f} MB |")
        _first, steady, halves = compliance["runs"]
        w = compliance["what_if"]
        lines.append(f"| what-if endpoint | p50 {_ms(w.p50_ms)}, p95 {_ms(w.p95_ms)} | {w.queries_max} per request "
                     "| | |")
        targets.append(("compliance run ≥ 500 residents/s (steady state)", f"{steady.per_second:,.0f}/s",
                        steady.per_second >= 500))
        targets.append(("compliance run: SQL statements per batch do not grow with the batch (most in a batch "
                        "of 500 / of 250)", f"{steady.batch_statements[1]} / {halves.batch_statements[1]}",
                        steady.batch_statements[1] <= halves.batch_statements[1]))
        growth = steady.rss_after_mb - steady.rss_before_mb
        targets.append(("compliance run: flat memory (steady-state growth ≤ 16 MB)", f"{growth:+.0f} MB",
                        growth <= 16))
        if w.p95_ms is not None:
            targets.append(("compliance what-if p95 ≤ 50 ms", _ms(w.p95_ms), w.p95_ms <= 50))

    lines += ["", "### Targets", "", "| target | measured | verdict |", "|---|---:|---|"]
    lines += [f"| {name} | {value} | {_verdict(ok)} |" for name, value, ok in targets]
    text = "\n".join(lines) + "\n"
    if path is not None:
        replace_section(path, f"bench-{results['backend'].lower()}", text)
    return text
