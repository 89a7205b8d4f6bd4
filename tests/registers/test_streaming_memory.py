"""Exports stay flat in memory: 100,000 certificates stream through CSV and ZIP without the response
ever holding the whole set (tracemalloc over the request and the body), and the XLSX writer's peak
memory does not grow with the row count (peak RSS of a fresh process: tracemalloc would make
openpyxl minutes slow). The XLSX response shares the row source with the CSV one."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

ROWS = 100_000
PDF = b"%PDF-1.7\n% tiny test original\n%%EOF\n"


@pytest.fixture
def many_certificates(app, make_company, make_user):
    from zone.applications.models import Application
    from zone.certificates.models import Certificate
    from zone.extensions import db

    company = make_company(name="ТОО «Большой Реестр»")
    user = make_user("applicant", company=company)
    with app.app_context():
        application = Application(company_id=company.id, created_by_id=user.id, status="approved", side="KZ",
                                  sector="machinery", number="A-2026-99999")
        db.session.add(application)
        db.session.flush()
        issued = datetime(2026, 3, 2, 6, tzinfo=UTC)
        digest = hashlib.sha256(PDF).hexdigest()
        batch = []
        for n in range(1, ROWS + 1):
            batch.append({
                "serial": f"ICIC-KZ-2026-{n:06d}", "side": "KZ", "year": 2026, "number": n,
                "application_id": application.id, "company_id": company.id, "status": "revoked",
                "company_name": company.name, "company_tax_id": company.tax_id, "sector": "machinery",
                "activity_codes": ["28.30"], "issued_at": issued, "valid_from": date(2026, 3, 2),
                "valid_until": date(2033, 3, 1), "benefits": [{"code": "KZ_CIT", "periods": []}],
                "verify_token": f"token-{n}", "pdf": PDF, "sha256": digest, "size": len(PDF),
            })
            if len(batch) == 10_000:
                db.session.execute(insert(Certificate), batch)
                batch = []
        db.session.commit()


def _download(client, path: str) -> tuple[int, int]:
    """(bytes received, peak traced memory in bytes) over the request and the whole streamed body.

    The test client produces the first chunk while it answers, so tracing starts before the request.
    """
    tracemalloc.start()
    try:
        response = client.get(path, buffered=False)
        assert response.status_code == 200 and response.is_streamed
        received = 0
        for chunk in response.response:
            received += len(chunk)
        _current, peak = tracemalloc.get_traced_memory()
        response.close()
    finally:
        tracemalloc.stop()
    return received, peak


@pytest.mark.slow
@pytest.mark.parametrize(("path", "limit_mb"), [("/registers/certificates/export.csv", 16),
                                                ("/registers/certificates/archive.zip", 16)])
def test_exports_of_100k_rows_stay_flat(client, login_as, many_certificates, path, limit_mb):
    login_as("auditor")
    received, peak = _download(client, path)
    print(f"{path}: {received / 1e6:.1f} MB sent, peak {peak / 1e6:.1f} MB")
    assert received > 3_000_000  # really 100k rows
    assert peak < limit_mb * 1_000_000


XLSX_PROBE = """
import re, sys, tempfile
from datetime import date, datetime
from zone.registers.streaming import write_xlsx
n = int(sys.argv[1])
rows = ([f"ICIC-KZ-2026-{i:06d}", "revoked", datetime(2026, 3, 2, 6), "KZ", "machinery", "ТОО «Большой Реестр»",
         "123456789012", datetime(2026, 3, 2, 6), date(2026, 3, 2), date(2033, 3, 1), "KZ_CIT", "a" * 64, 40]
        for i in range(n))
with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
    assert write_xlsx(handle.name, "Certificates", ["column"] * 13, rows) == n
# VmHWM (peak RSS) starts afresh with the new program; ru_maxrss would carry pytest's over the exec
print(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
"""


def _xlsx_peak_kb(rows: int) -> int:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", XLSX_PROBE, str(rows)], cwd=root, capture_output=True, text=True,
                          check=True)
    return int(done.stdout.strip())


@pytest.mark.slow
def test_the_xlsx_writer_does_not_grow_with_the_rows():
    small, large = _xlsx_peak_kb(1_000), _xlsx_peak_kb(ROWS)
    print(f"xlsx peak RSS: {small / 1024:.1f} MB for 1,000 rows, {large / 1024:.1f} MB for {ROWS:,} rows")
    assert large - small < 16 * 1024  # KB: a workbook held in memory would need hundreds of MB
