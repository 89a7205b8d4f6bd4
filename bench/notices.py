"""Notices delivery speed: ``python -m bench.notices [--notices 1000]`` (part of ``make bench``).

1. One worker delivers ``--notices`` signed notices to a receiver on 127.0.0.1 (target: ≤ 10 s for 1,000).
2. Four healthy receivers, measured alone and then beside a fifth that never answers (the worker's timeout
   ends each try): the healthy receivers' deliveries must not be slowed by more than 10 %.
Database: SQLite in a temporary directory, or ``ZONE_BENCH_DATABASE_URL`` (PostgreSQL).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.harness import create_schema, database_url, make_app


class Receiver:
    """Accepts every POST (204) and notes when the last one arrived; ``hang`` never answers in time."""

    def __init__(self, hang: bool = False):
        self.count = 0
        self.last = 0.0
        self.stop = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if hang:
                    outer.stop.wait(30)
                    return
                outer.count += 1
                outer.last = time.monotonic()
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


def _subscribe(receivers: list[Receiver]) -> None:
    from zone.accounts.models import User
    from zone.extensions import db
    from zone.notices.services import create_subscription

    admin = db.session.query(User).filter_by(email="bench-admin@example.org").first()
    if admin is None:
        admin = User(email="bench-admin@example.org", role="admin", password_hash="!", full_name="Bench")  # noqa: S106 - cannot sign in
        db.session.add(admin)
        db.session.flush()
    for index, receiver in enumerate(receivers):
        create_subscription(admin, name=f"receiver {index}", url=receiver.url, events=["certificate.issued"])
    db.session.commit()


def _emit(count: int) -> None:
    from zone.events.services import emit
    from zone.extensions import db

    for index in range(count):
        emit("certificate.issued", {"serial": f"ICIC-KZ-2027-{index:06d}", "side": "KZ", "status": "active",
                                    "company": {"name": f"ТОО «Компания {index}»", "tax_id": f"{index:012d}"},
                                    "agreement": {"number": None}, "benefits": [], "reason": None,
                                    "effective_from": "2027-01-05"})
        if index % 100 == 99:
            db.session.commit()
    db.session.commit()


def _deliver_until(receivers: list[Receiver], expected: int, limit: float = 120.0) -> float:
    """Run rounds until every receiver in ``receivers`` has ``expected`` notices; seconds to the last one."""
    from zone.notices.delivery import deliver_due

    start = time.monotonic()
    while any(r.count < expected for r in receivers) and time.monotonic() - start < limit:
        deliver_due()
    return max(r.last for r in receivers) - start


def run(notices: int, workdir: Path) -> dict:
    overrides = {"NOTICES_ALLOW_LOOPBACK": True, "NOTICES_BATCH": 1000, "NOTICES_TIMEOUT": 2}
    results: dict = {}

    app = make_app(database_url(notices, workdir, "-notices-1"), workdir, **overrides)
    create_schema(app)
    one = Receiver()
    with app.app_context():
        _subscribe([one])
        _emit(notices)
        results["one_receiver_s"] = _deliver_until([one], notices)
    one.close()

    per = max(notices // 4, 50)
    timings = {}
    for label, with_hang in (("alone", False), ("beside_hanging", True)):
        app = make_app(database_url(notices, workdir, f"-notices-{label}"), workdir, **overrides)
        create_schema(app)
        healthy = [Receiver() for _ in range(4)]
        hanging = [Receiver(hang=True)] if with_hang else []
        with app.app_context():
            _subscribe(healthy + hanging)
            _emit(per)
            timings[label] = _deliver_until(healthy, per)
        for receiver in healthy + hanging:
            receiver.close()
    results["healthy_alone_s"] = timings["alone"]
    results["healthy_beside_hanging_s"] = timings["beside_hanging"]
    results["slowdown_pct"] = 100 * (timings["beside_hanging"] - timings["alone"]) / max(timings["alone"], 1e-9)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zone-bench-notices-") as tmp:
        r = run(args.notices, Path(tmp))
    print(f"{args.notices} notices to one receiver: {r['one_receiver_s']:.2f} s (target ≤ 10 s)")
    print(f"4 healthy receivers: alone {r['healthy_alone_s']:.2f} s, beside a hanging one "
          f"{r['healthy_beside_hanging_s']:.2f} s ({r['slowdown_pct']:+.1f} %, target ≤ +10 %)")
    ok = r["one_receiver_s"] <= 10 and r["slowdown_pct"] <= 10
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
