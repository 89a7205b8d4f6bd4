"""Under real concurrent commits the chain stays gap-free and valid, and verification never raises a
false alarm while others write (PostgreSQL: real row locks, real threads)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from zone.audit.models import AuditEvent
from zone.audit.services import record, verify_chain
from zone.extensions import db

THREADS = 8
COMMITS = 25


@pytest.mark.postgres_only
def test_concurrent_writers_keep_the_chain_gap_free_and_valid(app):
    start = threading.Barrier(THREADS + 1)
    errors: list[BaseException] = []
    reports = []
    writing = threading.Event()
    writing.set()

    def writer(n: int) -> None:
        try:
            with app.app_context():
                start.wait()
                for i in range(COMMITS):
                    record("test.concurrent", object_type="writer", object_id=n, details={"i": i})
                    if i % 5 == 0:  # some transactions carry several events
                        record("test.concurrent.extra", object_type="writer", object_id=n, details={"i": i})
                    db.session.commit()
        except BaseException as error:  # collected and re-raised in the main thread
            errors.append(error)

    def verifier() -> None:
        try:
            with app.app_context():
                start.wait()
                while writing.is_set():
                    reports.append(verify_chain())
                    db.session.remove()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    checker = threading.Thread(target=verifier)
    for thread in threads:
        thread.start()
    checker.start()
    for thread in threads:
        thread.join()
    writing.clear()
    checker.join()
    assert not errors, errors

    expected = THREADS * (COMMITS + COMMITS // 5)
    with app.app_context():
        seqs = db.session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
        assert seqs == list(range(1, expected + 1))
        for n in range(THREADS):
            mine = db.session.scalars(select(AuditEvent.details).where(
                AuditEvent.object_id == str(n), AuditEvent.action == "test.concurrent")).all()
            assert sorted(d["i"] for d in mine) == list(range(COMMITS))
        final = verify_chain()
        assert final.ok and final.length == expected
    print("verifications during the writes:", len(reports))
    assert reports and all(r.ok for r in reports), [r for r in reports if not r.ok][:3]
