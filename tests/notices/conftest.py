"""A real receiver on 127.0.0.1 that verifies every notice's signature with the standardwebhooks library,
and helpers to subscribe it, write events and run the delivery worker."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks.webhooks import Webhook


class Receiver:
    """Answers each POST as ``mode`` says: ``ok`` (204), ``fail`` (500), ``hang`` (never answers in time),
    ``close`` (drops the connection). Keeps what it accepted, verified, in arrival order."""

    def __init__(self):
        self.mode = "ok"
        self.secret: str | None = None
        self.received: list[dict] = []  # accepted and verified: {"id", "payload"}
        self.seen: list[str] = []  # every webhook-id that arrived, whatever the answer
        self.bad_signatures = 0
        self._stop = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.seen.append(self.headers.get("webhook-id"))
                if receiver.mode == "hang":
                    receiver._stop.wait(5)
                    return
                if receiver.mode == "close":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if receiver.mode == "fail":
                    self.send_response(500)
                    self.end_headers()
                    return
                try:
                    payload = Webhook(receiver.secret).verify(body, dict(self.headers.items()))
                except Exception:
                    receiver.bad_signatures += 1
                    self.send_response(400)
                    self.end_headers()
                    return
                receiver.received.append({"id": self.headers["webhook-id"], "payload": payload,
                                          "headers": dict(self.headers.items())})
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/notices"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.close()


@pytest.fixture
def make_receiver():
    made: list[Receiver] = []

    def _make() -> Receiver:
        made.append(Receiver())
        return made[-1]

    yield _make
    for r in made:
        r.close()


@pytest.fixture
def admin(make_user, api_token):
    return api_token(make_user("admin"))


@pytest.fixture
def subscribe(client, admin):
    def _subscribe(receiver: Receiver, events=("certificate.issued", "certificate.suspended"), side=None,
                   name="Tax KZ") -> dict:
        body = {"name": name, "url": receiver.url, "events": list(events)}
        if side:
            body["side"] = side
        response = client.post("/api/v1/subscriptions", json=body, headers=admin)
        assert response.status_code == 201, response.get_json()
        created = response.get_json()
        receiver.secret = created["secret"]
        return created

    return _subscribe


@pytest.fixture
def emit_events(app):
    """``emit_events(n, type=...)``: ``n`` events committed one transaction each; returns their ids."""
    from zone.events.services import emit
    from zone.extensions import db

    def _emit(n: int, type_: str = "certificate.issued", side: str = "KZ") -> list[str]:
        ids = []
        with app.app_context():
            for i in range(n):
                ids.append(emit(type_, {"serial": f"KZ-2027-{i:06d}", "side": side, "status": "active",
                                        "company": {"name": "ТОО «Тест»", "tax_id": "123456789012"}}).id)
                db.session.commit()
        return ids

    return _emit


@pytest.fixture
def deliver(runner):
    """One round of ``flask notices deliver``; returns its output."""

    def _deliver() -> str:
        result = runner.invoke(args=["notices", "deliver"])
        assert result.exit_code == 0, result.output
        return result.output

    return _deliver


def wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def body_of(entry: dict) -> dict:
    return json.loads(json.dumps(entry["payload"]))
