"""Prometheus metrics: every request counted and timed by route (the url rule) and status, and at each scrape
the worker's heartbeat and the backlogs it drains, from the same one statement ``/healthz`` runs.

With several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, emptied at each start)
before the app is imported: prometheus_client then keeps each process's values in files there and a scrape
of any worker adds them all up (``gunicorn.conf.py`` tells the library when a worker exits).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import math
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

from flask import Flask, Request, Response, current_app, g, request
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from zone.extensions import db
from zone.worker.services import health

log = logging.getLogger(__name__)

METRICS = "zone_metrics"
UNMATCHED = "<unmatched>"  # every path no rule serves shares one label: a scan cannot add series
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Latency: per route the seconds spent answering (a counter: divided by the route's requests, its mean, and which
# route got slower), and the distribution of all requests in buckets (a histogram: the percentiles). A histogram
# per route would cost a scrape one series per bucket per route, and rendering (and under gunicorn, reading every
# worker's files) is what a scrape costs (docs/benchmarks.md, "/metrics").
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass
class RequestMetrics:
    registry: CollectorRegistry
    requests: Counter
    route_seconds: Counter
    duration: Histogram
    allowed: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


class WorkerCollector(Collector):
    """The worker's health, read from the database at each scrape (nothing kept between scrapes)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def describe(self) -> list:
        return []  # names are not checked against the request metrics: registering must not query

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("zone_database_up", "1 when the database answered this scrape's health query.")
        try:
            report = health(self.app)
        except Exception as error:  # the database is away: say so in the metrics, never fail the scrape
            db.session.rollback()
            log.warning("The metrics could not read the worker's health: %s", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily("zone_worker_up", "1 when a running worker copy beat within WORKER_STALE_AFTER.",
                                value=1 if report.status == "ok" else 0)
        yield GaugeMetricFamily("zone_worker_heartbeat_age_seconds",
                                "Seconds since the freshest heartbeat of a running worker copy (+Inf: none).",
                                value=math.inf if report.last_beat_s is None else report.last_beat_s)
        yield GaugeMetricFamily("zone_worker_copies", "Worker copies that beat within WORKER_STALE_AFTER.",
                                value=report.workers)
        items = GaugeMetricFamily("zone_worker_backlog_items", "Items waiting for the worker, per queue.",
                                  labels=["queue"])
        oldest = GaugeMetricFamily("zone_worker_backlog_oldest_seconds",
                                   "Seconds the oldest item of each queue has waited (0: none waits).",
                                   labels=["queue"])
        for queue, depth in report.depths.items():
            items.add_metric([queue], depth)
            oldest.add_metric([queue], report.pending.get(queue) or 0.0)
        yield items
        yield oldest


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def init_app(app: Flask) -> None:
    """Count and time every request of ``app``; ``exposition()`` renders them for a scrape."""
    disable_created_metrics()  # the *_created series double what a scrape renders and nobody graphs them
    registry = CollectorRegistry(auto_describe=True)
    metrics = app.extensions[METRICS] = RequestMetrics(
        registry=registry,
        requests=Counter("zone_http_requests", "HTTP requests answered, by url rule, method and status.",
                         ["route", "method", "status"], registry=registry),
        route_seconds=Counter("zone_http_route_seconds", "Seconds spent answering, by url rule and method.",
                              ["route", "method"], registry=registry),
        duration=Histogram("zone_http_request_duration_seconds", "Time to answer any request, in buckets.",
                           buckets=BUCKETS, registry=registry),
        allowed=tuple(ipaddress.ip_network(entry, strict=False) for entry in app.config["METRICS_ALLOW"]),
    )
    if not multiprocess_dir():
        registry.register(WorkerCollector(app))

    @app.before_request
    def _start_clock() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        started = g.get("metrics_started")
        if started is not None:
            route = request.url_rule.rule if request.url_rule is not None else UNMATCHED
            method = request.method if request.method in METHODS else "OTHER"
            elapsed = time.perf_counter() - started
            metrics.requests.labels(route, method, str(response.status_code)).inc()
            metrics.route_seconds.labels(route, method).inc(elapsed)
            metrics.duration.observe(elapsed)
        return response


def scraper_admitted(req: Request) -> bool:
    """The request bears ``METRICS_TOKEN`` as a bearer token, or comes from an address of ``METRICS_ALLOW``."""
    token = current_app.config["METRICS_TOKEN"]
    if token:
        scheme, _, given = req.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
    allowed = current_app.extensions[METRICS].allowed
    if allowed and req.remote_addr:
        try:
            address = ipaddress.ip_address(req.remote_addr)
        except ValueError:
            return False
        return any(address in network for network in allowed)
    return False


def exposition(app: Flask) -> bytes:
    """The text a scrape gets: this process's metrics, or every process's in multiprocess mode."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(WorkerCollector(app))
        return generate_latest(registry)
    return generate_latest(app.extensions[METRICS].registry)
