"""Observability of the production setup: gunicorn (two workers, gunicorn.conf.py) behind nginx as the README
configures them. Log lines are JSON and carry nginx's request id; /metrics adds up both workers and is not
reachable through nginx; without PROMETHEUS_MULTIPROC_DIR nothing of it is needed."""

from __future__ import annotations

import json

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.web.servers import gunicorn, nginx, production_environment, request

TOKEN = "obs-scrape-" + "t" * 40


@pytest.fixture
def served(workdir):
    env = production_environment(workdir, METRICS_TOKEN=TOKEN, PROMETHEUS_MULTIPROC_DIR=str(workdir / "prom"),
                                 TRUSTED_PROXY_HOPS="1", PUBLIC_LIMIT="1 per minute")
    app_server = gunicorn(env, workdir, workers=2).start()
    proxy = None
    try:
        app_server.wait_ready()
        proxy = nginx(workdir / "nginx", app_server.port).start()
        proxy.wait_ready()
        yield app_server, proxy
    finally:
        if proxy is not None:
            proxy.stop()
        app_server.stop()


def _count(port: int, route: str, status: str) -> float:
    code, _headers, body = request(port, "GET", "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert code == 200, body
    return sum(sample.value for family in text_string_to_metric_families(body.decode())
               for sample in family.samples
               if sample.name == "zone_http_requests_total" and sample.labels["route"] == route
               and sample.labels["status"] == status)


def test_metrics_add_up_both_workers_and_stay_behind_nginx(served, workdir):
    app_server, proxy = served
    for _ in range(20):
        assert request(app_server.port, "GET", "/healthz")[0] == 200
    # Whichever worker answers the scrape, it counts every worker's requests.
    assert {_count(app_server.port, "/healthz", "200") for _ in range(6)} == {20}
    assert list((workdir / "prom").glob("*.db")), "no multiprocess files"
    assert request(proxy.port, "GET", "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})[0] == 404
    assert request(app_server.port, "GET", "/metrics")[0] == 404


def test_log_lines_are_json_with_nginxs_request_id(served):
    app_server, proxy = served
    # PUBLIC_LIMIT (1 a minute, counted per worker in memory here): the limiter logs the refusal.
    for _ in range(10):
        status, headers, _body = request(proxy.port, "GET", "/verify/not-a-token",
                                         headers={"X-Request-ID": "chosen-by-the-client"})
        if status == 429:
            break
    assert status == 429
    request_id = headers["X-Request-ID"]
    assert request_id != "chosen-by-the-client" and len(request_id) == 32  # nginx's $request_id
    app_server.stop()
    lines = [line for line in app_server.output().splitlines() if line.strip()]
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except ValueError:
            raise AssertionError(f"not a JSON log line: {line!r}") from None
    assert all({"time", "level", "logger", "message"} <= set(line) for line in parsed)
    mine = [line for line in parsed if line.get("request_id") == request_id]
    assert mine, "no line carries nginx's request id:\n" + "\n".join(lines)
    assert all(line["route"] == "/verify/<token>" for line in mine)
    assert any(line["logger"].startswith("gunicorn") for line in parsed)
