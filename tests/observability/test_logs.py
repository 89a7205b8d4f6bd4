"""JSON log lines: one object per line with the request id, the user and the route; the id is echoed."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD
from zone.observability import logs


@pytest.fixture
def log_lines(app):
    """What the app logs through the handler production installs (JSON), as parsed objects."""
    stream = io.StringIO()
    handler = logs.install_handler(app, stream=stream, log_format="json")
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger().removeHandler(handler)


def _log_in_view(app):
    """A route that logs one line, as any view does."""
    from zone.web.access import PUBLIC, allow

    @allow(PUBLIC)
    def shout(n: int):
        logging.getLogger("zone.test").warning("hello from a view")
        return "ok"

    app.add_url_rule("/obs-shout/<int:n>", "obs_shout", shout)


def test_a_line_in_a_request_carries_request_id_user_and_route(app, client, make_user, log_lines):
    _log_in_view(app)
    user = make_user("reviewer")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    response = client.get("/obs-shout/7", headers={"X-Request-ID": "abc123-nginx.req_1"})
    assert response.headers["X-Request-ID"] == "abc123-nginx.req_1"
    [line] = [line for line in log_lines() if line["message"] == "hello from a view"]
    assert line["level"] == "WARNING"
    assert line["logger"] == "zone.test"
    assert line["time"].startswith("20")
    assert line["request_id"] == "abc123-nginx.req_1"
    assert line["user_id"] == user.id
    assert line["route"] == "/obs-shout/<int:n>"


def test_anonymous_request_gets_a_generated_id_and_no_user(app, client, log_lines):
    _log_in_view(app)
    response = client.get("/obs-shout/1")
    generated = response.headers["X-Request-ID"]
    assert logs.REQUEST_ID.fullmatch(generated)
    [line] = [line for line in log_lines() if line["message"] == "hello from a view"]
    assert line["request_id"] == generated
    assert line.get("user_id") is None


@pytest.mark.parametrize("hostile", [
    "x" * 129,
    "abc\ndef",
    "abc\r\nX-Injected: 1",
    "abc\x00def",
    "abc\x1bdef",
    "abc def",
    "<script>",
    "",
])
def test_a_hostile_request_id_is_replaced(app, client, hostile, log_lines):
    _log_in_view(app)
    response = client.get("/obs-shout/1", environ_base={"HTTP_X_REQUEST_ID": hostile})
    echoed = response.headers["X-Request-ID"]
    assert echoed != hostile
    assert logs.REQUEST_ID.fullmatch(echoed)
    assert len(echoed) == 32
    [line] = [line for line in log_lines() if line["message"] == "hello from a view"]
    assert line["request_id"] == echoed


def test_the_worker_names_its_job_on_its_lines(app, log_lines):
    with logs.job_context("mail.send"):
        logging.getLogger("zone.mail").warning("sent 3")
    logging.getLogger("zone.mail").warning("between jobs")
    lines = {line["message"]: line for line in log_lines()}
    assert lines["sent 3"]["job"] == "mail.send"
    assert "job" not in lines["between jobs"]
    assert "request_id" not in lines["between jobs"]


def test_text_format_stays_readable(app):
    stream = io.StringIO()
    handler = logs.install_handler(app, stream=stream, log_format="text")
    try:
        logging.getLogger("zone.test").warning("plain words")
    finally:
        logging.getLogger().removeHandler(handler)
    assert "WARNING zone.test plain words" in stream.getvalue()
    assert not stream.getvalue().lstrip().startswith("{")


def test_production_logs_json_and_development_text_unless_asked():
    from config import DevelopmentConfig, ProductionConfig

    assert ProductionConfig.LOG_FORMAT == "json"
    assert DevelopmentConfig.LOG_FORMAT in ("text", "json")  # text unless LOG_FORMAT=json in the environment


@pytest.mark.parametrize("overrides", [{"LOG_FORMAT": "xml"}, {"LOG_LEVEL": "LOUD"}])
def test_unknown_log_settings_are_refused(overrides):
    from config import ConfigurationError
    from zone import create_app

    with pytest.raises(ConfigurationError):
        create_app("test", overrides)


def test_a_worker_round_logs_under_the_jobs_name(app, log_lines):
    from zone.worker.loop import Worker
    from zone.worker.registry import register_job

    def failing():
        logging.getLogger("zone.obs_job").warning("working on it")
        raise RuntimeError("obs job broke")

    register_job(app, "obs.failing", failing, every=timedelta(hours=1), drains_queue=True)
    with app.app_context():
        Worker(app, interval=0.01).round()
    lines = log_lines()
    assert {"working on it", "Job obs.failing failed (1 in a row); trying again in 1.0 s"} <= {
        line["message"] for line in lines if line.get("job") == "obs.failing"}
    assert "obs job broke" in next(line["exc_info"] for line in lines if line["message"].startswith("Job obs."))
