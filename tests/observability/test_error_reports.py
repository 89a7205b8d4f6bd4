"""Error reports: with SENTRY_DSN an unhandled error reaches the (here local) Sentry endpoint without any
form field; without it sentry-sdk is not even imported."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SECRET_PASSWORD = "Obs-Very-Secret-Passw0rd"
EMAIL = "obs.leak.check@example.test"


class FakeSentry(BaseHTTPRequestHandler):
    """Receives envelopes the way Sentry's ingestion endpoint does; keeps their decoded bodies."""

    received: list[bytes]

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.server.received.append(body)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_args):
        pass


def broken_sign_in(email, password):
    """Stands in for the sign-in service (its source lines go into the report: no secret near them)."""
    raise RuntimeError("obs: the sign-in broke")


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSentry)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def app_overrides(sentry_server):
    port = sentry_server.server_address[1]
    return {"SENTRY_DSN": f"http://obspublickey@127.0.0.1:{port}/42", "SENTRY_RELEASE": "zone@obs-test",
            "PROPAGATE_EXCEPTIONS": False}


@pytest.fixture
def reporting(app):
    import sentry_sdk

    yield sentry_sdk
    client = sentry_sdk.get_client()
    client.close(timeout=5)
    sentry_sdk.get_global_scope().set_client(None)


def _events(envelopes: list[bytes]) -> list[dict]:
    events = []
    for envelope in envelopes:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def test_an_unhandled_error_is_reported_without_form_fields(app, client, sentry_server, reporting, monkeypatch,
                                                             make_user):
    from zone.accounts import services

    make_user("reviewer", email=EMAIL)
    monkeypatch.setattr(services, "authenticate", broken_sign_in)
    response = client.post("/login", data={"email": EMAIL, "password": SECRET_PASSWORD},
                           headers={"Cookie": "session=obs-cookie-value", "Authorization": "Bearer obs-token"})
    assert response.status_code == 500
    reporting.flush(timeout=5)
    raw = b"".join(sentry_server.received)
    [event] = _events(sentry_server.received)
    assert event["exception"]["values"][-1]["value"] == "obs: the sign-in broke"
    assert event["release"] == "zone@obs-test"
    assert event["environment"] == "test"
    assert event["request"]["url"].endswith("/login")
    for secret in (SECRET_PASSWORD.encode(), EMAIL.encode(), b"obs-cookie-value", b"obs-token"):
        at = raw.find(secret)
        assert at < 0, f"{secret!r} reached the error report: …{raw[max(at - 300, 0):at + 40]!r}"
    assert "data" not in event["request"] or not event["request"]["data"]


def test_without_a_dsn_nothing_is_imported(tmp_path):
    code = ("import sys; from zone import create_app; "
            "create_app('test', {'SQLALCHEMY_DATABASE_URI': 'sqlite://'}); "
            "print('sentry_sdk' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "ZONE_INSTANCE_DIR": str(tmp_path)}, check=False,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
