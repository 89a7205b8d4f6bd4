"""Serials stay gap-free and unique when many approvals issue certificates at once.

Each thread plays an approval request: it issues a certificate and commits; every ninth one fails
after its serial was taken and rolls back. Afterwards the committed serials must be exactly
1..N for the side and year. The PDF is stubbed here (the render is tested elsewhere): what is under
test is the numbering under contention.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from tests.certificates.factories import DECIDED_AT, FACTS, KZ_BENEFITS, decide


class Boom(Exception):
    """The rest of the approval fails after the certificate was issued."""


def _stub_render(certificate):
    certificate.pdf = b"%PDF-stub " + certificate.serial.encode()
    certificate.sha256 = f"{certificate.number:064d}"
    certificate.size = len(certificate.pdf)


def _applications(app, company, user, count: int) -> list[int]:
    from zone.applications.models import Application
    from zone.extensions import db

    with app.app_context():
        rows = [
            Application(
                company_id=company.id,
                created_by_id=user.id,
                status="approved",
                side="KZ",
                sector="machinery",
                number=f"C-{i:05d}",
                activity_codes=["28.30"],
                capital_shares={"KZ": 60, "UZ": 40},
                **FACTS["KZ"],
            )
            for i in range(count)
        ]
        db.session.add_all(rows)
        db.session.commit()
        ids = [row.id for row in rows]
    with app.test_request_context(method="POST"):
        for application_id in ids:
            decide(db.session.get(Application, application_id), DECIDED_AT)  # what an approval stores
        db.session.commit()
    return ids


def _run(app, application_ids: list[int], threads: int) -> tuple[list[str], int]:
    from zone.applications.models import Application
    from zone.certificates.services import issue_certificate
    from zone.extensions import db

    committed: list[str] = []
    failures: list[BaseException] = []
    rolled_back = 0
    lock = threading.Lock()
    chunks = [application_ids[k::threads] for k in range(threads)]
    start = threading.Barrier(threads)

    def worker(ids: list[int]) -> None:
        nonlocal rolled_back
        start.wait()
        for application_id in ids:
            with app.test_request_context(method="POST", base_url=app.config["BASE_URL"]):
                try:
                    application = db.session.get(Application, application_id)
                    certificate = issue_certificate(
                        application, granted_benefits=KZ_BENEFITS, decided_at=DECIDED_AT, actor=None
                    )
                    serial = certificate.serial
                    if application_id % 9 == 0:
                        raise Boom(serial)
                    db.session.commit()
                    with lock:
                        committed.append(serial)
                except Boom:
                    db.session.rollback()
                    with lock:
                        rolled_back += 1
                except BaseException as error:  # surfaced below; a thread must not die silently
                    db.session.rollback()
                    with lock:
                        failures.append(error)

    pool = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert not failures, failures[:3]
    return committed, rolled_back


def _check(app, committed: list[str], expected: int) -> None:
    from zone.certificates.models import Certificate, SerialCounter
    from zone.extensions import db

    assert len(committed) == expected
    numbers = sorted(int(serial.rsplit("-", 1)[1]) for serial in committed)
    assert numbers == list(range(1, expected + 1))  # no duplicate, no gap
    with app.app_context():
        stored = db.session.scalars(sa.select(Certificate.number).order_by(Certificate.number)).all()
        assert stored == numbers
        assert db.session.get(SerialCounter, ("KZ", 2026)).last_number == expected


@pytest.fixture
def stub_render(monkeypatch):
    monkeypatch.setattr("zone.certificates.services.render_and_sign", _stub_render)


@pytest.mark.postgres_only
@pytest.mark.slow
def test_eight_threads_times_fifty_issuances_on_postgresql(app, make_company, make_user, stub_render):
    company = make_company()
    user = make_user("applicant", company=company)
    ids = _applications(app, company, user, 400)
    committed, rolled_back = _run(app, ids, threads=8)
    assert rolled_back == sum(1 for i in ids if i % 9 == 0) and rolled_back > 0
    _check(app, committed, 400 - rolled_back)


@pytest.mark.slow
def test_concurrent_issuances_on_the_current_database(app, make_company, make_user, stub_render):
    company = make_company()
    user = make_user("applicant", company=company)
    ids = _applications(app, company, user, 40)
    committed, rolled_back = _run(app, ids, threads=4)
    assert rolled_back > 0
    _check(app, committed, 40 - rolled_back)
