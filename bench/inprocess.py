"""Measurements inside one Python process: page latency and SQL statements per request, the
eligibility engine, certificate and agreement issuance against a bare WeasyPrint render, and exports."""

from __future__ import annotations

import resource
import statistics
import time
import tracemalloc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event


@dataclass
class Latency:
    label: str
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries_min: int | None = None
    queries_max: int | None = None
    status: int | None = None
    note: str = ""


@dataclass
class Rate:
    label: str
    per_second: float
    seconds_each_ms: float
    note: str = ""


@dataclass
class Export:
    label: str
    rows: int
    seconds: float
    megabytes: float
    peak_rss_mb: float
    note: str = ""


@dataclass
class QueryCounter:
    count: int = 0
    statements: list[str] = field(default_factory=list)


@contextmanager
def counting_queries(engine):
    counter = QueryCounter()

    def _count(conn, cursor, statement, parameters, context, executemany):
        counter.count += 1

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def page_latency(app, client, label: str, url: str, *, headers: dict | None = None, runs: int = 200,
                 warmup: int = 20) -> Latency:
    """Median and 95th percentile over ``runs`` GETs, and the SQL statements each one ran."""
    from zone.extensions import db

    with app.app_context():
        engine = db.engine
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        return Latency(label, status=response.status_code, note=f"HTTP {response.status_code} for {url}")
    for _ in range(warmup):
        client.get(url, headers=headers)
    times, counts = [], []
    for _ in range(runs):
        with counting_queries(engine) as counter:
            start = time.perf_counter()
            response = client.get(url, headers=headers)
            response.get_data()
            times.append(time.perf_counter() - start)
        counts.append(counter.count)
    q = statistics.quantiles(times, n=20)
    return Latency(label, statistics.median(times) * 1000, q[18] * 1000, min(counts), max(counts), 200)


# --- eligibility ------------------------------------------------------------------------------------

KZ_FACTS = {"side": "KZ", "registration_country": "KZ", "is_legal_entity": True, "activity_codes": ["22.21", "25.11"],
            "investment_amount": "13000000000", "investment_currency": "KZT", "priority_income_share": 95,
            "has_branches_outside_zone": False, "capital_shares": {"KZ": 60, "UZ": 40}}
UZ_FACTS = {"side": "UZ", "registration_country": "UZ", "is_legal_entity": True, "activity_codes": ["28.30"],
            "investment_amount": 12000000, "investment_currency": "USD", "capital_shares": {"UZ": 100}}


def evaluations_per_second(seconds: float = 3.0) -> Rate:
    """The engine alone on one core: validated facts and a compiled rule set, dates across a year."""
    from zone.eligibility.engine import evaluate
    from zone.eligibility.facts import validate_facts
    from zone.eligibility.registry import default_registry

    registry = default_registry()
    facts = [validate_facts(KZ_FACTS), validate_facts(UZ_FACTS)]
    dates = [date(2026, 1, 1) + timedelta(days=d) for d in range(365)]
    for i in range(2000):
        evaluate(facts[i & 1], dates[i % 365], registry)
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for i in range(1000):
            evaluate(facts[i & 1], dates[i % 365], registry)
        count += 1000
    elapsed = time.perf_counter() - start
    return Rate("eligibility evaluations (engine, one core)", count / elapsed, elapsed / count * 1000)


# --- certificates -----------------------------------------------------------------------------------

def issuance_vs_bare_render(app, runs: int = 8) -> tuple[Rate, Rate]:
    """Full issuance (serial, snapshot, render, PAdES signature, store, audit, mail, commit) against
    WeasyPrint laying out the same certificate's HTML, both warmed up."""
    from sqlalchemy import select

    from zone.accounts.models import User
    from zone.applications.models import Application
    from zone.certificates import pdf
    from zone.certificates.document import pdf_context
    from zone.certificates.services import issue_certificate
    from zone.extensions import db

    with app.app_context(), app.test_request_context("/"):
        approver = db.session.scalar(select(User).where(User.role == "approver"))
        ids = db.session.scalars(
            select(Application.id).where(Application.status == "approved")
            .where(~Application.id.in_(select(_certificate_table().c.application_id)))
            .limit(runs + 1)).all()
        if len(ids) < runs + 1:
            raise RuntimeError("issuance benchmark needs approved applications without a certificate")
        benefits = [{"code": "KZ_CIT", "periods": [{"from": "2026-01-15", "until": "2041-01-15",
                                                    "reduction_pct": "100"}]}]
        pdf.warm_up()
        issue_times, html = [], None
        for n, app_id in enumerate(ids):
            application = db.session.get(Application, app_id)
            start = time.perf_counter()
            certificate = issue_certificate(application, granted_benefits=benefits,
                                            decided_at=datetime(2026, 1, 15, 9, tzinfo=UTC), actor=approver)
            db.session.commit()
            if n:  # the first one warms caches
                issue_times.append(time.perf_counter() - start)
            html = pdf.render_certificate_html(pdf_context(certificate))
        render_times = []
        for n in range(runs + 1):
            start = time.perf_counter()
            pdf.bare_render(html)
            if n:
                render_times.append(time.perf_counter() - start)
    issue = statistics.median(issue_times)
    render = statistics.median(render_times)
    return (Rate("certificate issuance (end to end)", 1 / issue, issue * 1000),
            Rate("bare WeasyPrint render, same HTML", 1 / render, render * 1000))


def agreement_issuance(app, runs: int = 8) -> Rate:
    """The activity agreement an admission adds to the certificate (number, obligations from the rule set,
    render, PAdES signature, store, audit, mail, commit), for certificates issued without one."""
    from sqlalchemy import select

    from zone.accounts.models import User
    from zone.agreements import layers, pdf
    from zone.agreements.models import Agreement
    from zone.agreements.services import create_agreement
    from zone.certificates.models import Certificate
    from zone.extensions import db

    with app.app_context(), app.test_request_context("/"):
        approver = db.session.scalar(select(User).where(User.role == "approver"))
        certificates = db.session.scalars(
            select(Certificate).where(~Certificate.application_id.in_(select(Agreement.application_id)))
            .where(Certificate.sha256 != _placeholder_sha()).order_by(Certificate.id).limit(runs + 1)).all()
        if len(certificates) < runs + 1:
            raise RuntimeError("agreement benchmark needs issued certificates without an agreement")
        pdf.warm_up()
        layers.warm_up()
        times = []
        for n, certificate in enumerate(certificates):
            start = time.perf_counter()
            create_agreement(certificate.application, certificate, actor=approver)
            db.session.commit()
            if n:  # the first one warms caches
                times.append(time.perf_counter() - start)
    each = statistics.median(times)
    return Rate("agreement issuance (end to end)", 1 / each, each * 1000)


def _placeholder_sha() -> str:
    from bench.seed import PLACEHOLDER_SHA

    return PLACEHOLDER_SHA


def _certificate_table():
    from zone.extensions import db

    return db.metadata.tables["certificates"]


def _peak_rss_mb() -> float:
    """This process's peak resident memory. /proc's VmHWM starts afresh at exec; ru_maxrss would carry
    the parent's peak over (the benchmark's parent holds the seeded data)."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):  # noqa: SIM115
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _consume(client, url: str, headers: dict) -> tuple[int, int, int]:
    response = client.get(url, headers=headers)
    size, lines = 0, 0
    for chunk in response.response:
        data = chunk if isinstance(chunk, bytes) else chunk.encode()
        size += len(data)
        lines += data.count(b"\n")
    response.close()
    return response.status_code, size, lines


def export_probe(app, url: str, headers: dict, label: str) -> Export:
    """Time and peak memory of one export, streamed and counted. Run in a fresh process: the first pass
    gives the time and the growth of the process's peak RSS; a second pass under tracemalloc gives the
    peak of Python allocations (tracemalloc slows it, so it is not timed)."""
    client = app.test_client()
    client.get("/healthz")
    baseline = _peak_rss_mb()
    start = time.perf_counter()
    status, size, lines = _consume(client, url, headers)
    elapsed = time.perf_counter() - start
    peak_rss = _peak_rss_mb() - baseline
    if status != 200:
        return Export(label, 0, elapsed, size / 1e6, peak_rss, note=f"HTTP {status}")
    tracemalloc.start()
    _consume(client, url, headers)
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return Export(label, lines - 1 if url.endswith(".csv") else 0, elapsed, size / 1e6, traced_peak,
                  note=f"peak Python allocations (tracemalloc); process peak RSS grew {peak_rss:.0f} MB "
                       f"over a {baseline:.0f} MB baseline")
