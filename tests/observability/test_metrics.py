"""/metrics: refused without the scraper's token or address, served with it, labelled by url rule."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

TOKEN = "scrape-" + "s" * 40


@pytest.fixture
def app_overrides():
    return {"METRICS_TOKEN": TOKEN}


def _samples(response) -> dict[tuple[str, frozenset], float]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/plain"
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def _scrape(client):
    return _samples(client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}))


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                                     {"Authorization": f"Basic {TOKEN}"}])
def test_refused_without_the_token(client, headers):
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 404
    assert b"zone_http_requests_total" not in response.get_data()


def test_served_with_the_token_and_counts_requests_by_url_rule(client):
    label = frozenset({"route": "/lang/<code>", "method": "GET", "status": "302"}.items())
    before = _scrape(client).get(("zone_http_requests_total", label), 0.0)
    for code in ("ru", "en", "kk-nonsense"):
        client.get(f"/lang/{code}")
    samples = _scrape(client)
    assert samples[("zone_http_requests_total", label)] == before + 3
    routes = {dict(labels)["route"] for name, labels in samples if name == "zone_http_requests_total"}
    assert not any(route.startswith("/lang/") and route != "/lang/<code>" for route in routes), "raw paths"
    assert samples[("zone_http_route_seconds_total",
                    frozenset({"route": "/lang/<code>", "method": "GET"}.items()))] > 0
    assert samples[("zone_http_request_duration_seconds_count", frozenset())] >= 3


def test_unmatched_paths_share_one_label(client):
    for n in range(3):
        client.get(f"/no-such-page-{n}")
    routes = {dict(labels).get("route") for name, labels in _scrape(client) if name == "zone_http_requests_total"}
    assert "<unmatched>" in routes
    assert not any(route and route.startswith("/no-such-page") for route in routes)


def test_the_outbox_gauges_show_a_queued_mail(app, client):
    from zone.extensions import db
    from zone.mail.models import MailMessage

    samples = _scrape(client)
    assert samples[("zone_worker_backlog_items", frozenset({"queue": "mail"}.items()))] == 0
    with app.app_context():
        db.session.add(MailMessage(kind="test", recipient="someone@example.test", subject="s", body="b\n",
                                   locale="ru"))
        db.session.commit()
    samples = _scrape(client)
    assert samples[("zone_worker_backlog_items", frozenset({"queue": "mail"}.items()))] == 1
    assert samples[("zone_worker_backlog_oldest_seconds", frozenset({"queue": "mail"}.items()))] >= 0
    assert ("zone_worker_backlog_items", frozenset({"queue": "notices"}.items())) in samples
    assert ("zone_worker_heartbeat_age_seconds", frozenset()) in samples
    assert samples[("zone_worker_up", frozenset())] == 0  # no worker runs in this test


def test_the_worker_heartbeat_shows(app, client):
    from zone.worker import services

    with app.app_context():
        services.beat(services.Identity("obs-test:1:0", "obs-test", 1), None)
    samples = _scrape(client)
    assert samples[("zone_worker_up", frozenset())] == 1
    assert 0 <= samples[("zone_worker_heartbeat_age_seconds", frozenset())] < 60


class TestAllowedAddresses:
    @pytest.fixture
    def app_overrides(self):
        return {"METRICS_ALLOW": ["10.1.2.0/24", "127.0.0.1"]}

    def test_served_to_an_allowed_address_only(self, client):
        assert client.get("/metrics").status_code == 200  # the test client comes from 127.0.0.1
        elsewhere = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.3.4"})
        assert elsewhere.status_code == 404
        inside = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.200"})
        assert inside.status_code == 200


class TestNothingConfigured:
    @pytest.fixture
    def app_overrides(self):
        return {}

    def test_refused_even_from_this_machine(self, client):
        assert client.get("/metrics").status_code == 404
        assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
