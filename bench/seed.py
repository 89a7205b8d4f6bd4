"""Realistic bulk data for benchmarks: companies, their users, applications in every status, document
metadata and certificates (active ones plus superseded predecessors), inserted with Core bulk inserts.

Proportions (of N applications): 10 % drafts, 10 % in the review queue (submitted, in review,
information requested, recommended), 70 % approved with an active certificate, 7 % rejected,
3 % withdrawn; approved applications carry 0.3 N superseded certificates as well, so the certificate
register holds N rows. About three applications per company; one "dashboard company" has 25.
The stored PDF of a seeded certificate is a small placeholder (the issuance benchmark renders real ones).
"""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from zone.extensions import db

PASSWORD = "bench-password-2026"  # noqa: S105  (seeded benchmark accounts on loopback)
BATCH = 5_000
STATUS_SHARES = [("draft", 0.10), ("submitted", 0.04), ("in_review", 0.04), ("info_requested", 0.01),
                 ("recommended", 0.01), ("approved", 0.70), ("rejected", 0.07), ("withdrawn", 0.03)]
SECTORS = ["machinery", "metalworking", "automotive", "agricultural_machinery", "electrical", "pharmaceuticals",
           "chemicals", "plastics", "construction_materials", "textiles_leather", "food_processing",
           "other_manufacturing"]
KINDS = ["charter", "registration_certificate", "director_id", "business_plan", "financial_statements",
         "proof_of_funds"]
PLACEHOLDER_PDF = b"%PDF-1.7\n% seeded placeholder for benchmarks\n" + b"0" * 900 + b"\n%%EOF\n"
PLACEHOLDER_SHA = hashlib.sha256(PLACEHOLDER_PDF).hexdigest()
DASHBOARD_APPLICATIONS = 25


@dataclass
class Seeded:
    applications: int = 0
    companies: int = 0
    documents: int = 0
    certificates: int = 0
    users: dict[str, str] = field(default_factory=dict)  # role -> email
    dashboard_email: str = ""
    agreements: int = 0
    reports: int = 0
    verify_tokens: list[str] = field(default_factory=list)
    serial_tax: list[tuple[str, str]] = field(default_factory=list)


def _table(name: str) -> sa.Table:
    return db.metadata.tables[name]


def _insert(name: str, rows: list[dict]) -> None:
    """Insert rows in batches; keys that the table does not have are dropped (the models evolve)."""
    if not rows:
        return
    table = _table(name)
    columns = set(table.columns.keys())
    keys = [k for k in rows[0] if k in columns]
    with db.engine.begin() as conn:
        for start in range(0, len(rows), BATCH):
            conn.execute(table.insert(), [{k: r[k] for k in keys} for r in rows[start:start + BATCH]])


FIRST_RULES = date(2026, 1, 1)  # the shipped rule set 2026.1 takes effect


def _statuses(n: int, rng: random.Random) -> list[str]:
    out: list[str] = []
    for status, share in STATUS_SHARES:
        out += [status] * round(n * share)
    out = (out + ["approved"] * n)[:n]
    rng.shuffle(out)
    return out


def _application(i: int, company_id: int, user_id: int, status: str, now: datetime, rng: random.Random,
                 reviewer_id: int, approver_id: int) -> dict:
    side = "KZ" if i % 3 else "UZ"
    currency = "KZT" if side == "KZ" else "USD"
    amount = Decimal(rng.randrange(300_000, 40_000_000)) * (510 if currency == "KZT" else 1)
    # Submitted since the first rule set took effect (a decision before it would have no rules to apply, and the
    # worker's compliance run rightly refuses to judge a certificate by rules that did not exist).
    span = max(30, (now.date() - FIRST_RULES).days - 12)
    submitted = None if status == "draft" else now - timedelta(days=rng.randrange(1, span), minutes=i % 1440)
    decided = status in ("approved", "rejected")
    return {
        "id": i, "number": None if status == "draft" else f"A-{2024 + i % 3}-{i:06d}", "company_id": company_id,
        "created_by_id": user_id, "status": status, "version": 1 if status == "draft" else 4 + i % 5,
        "side": side, "project_title": f"Завод №{i}: {SECTORS[i % len(SECTORS)]}",
        "project_description": "Производство для экспорта в страны Центральной Азии. " * 4,
        "sector": SECTORS[i % len(SECTORS)], "activity_codes": ["22.21", "25.11"][: 1 + i % 2],
        "products": [{"name": "Изделие", "hs_code": "8424820000", "annual_volume": "1000", "unit": "шт"}],
        "investment_amount": amount, "investment_currency": currency, "own_funds_share": Decimal(40),
        "jobs_total": 50 + i % 400, "jobs_local": 40 + i % 300, "land_area_ha": Decimal("2.5"),
        "building_area_m2": Decimal(5000), "priority_income_share": Decimal(95) if side == "KZ" else None,
        "has_branches_outside_zone": False if side == "KZ" else None,
        "capital_shares": {"KZ": 60, "UZ": 40}, "export_share": Decimal(30),
        "construction_start": date(2026, 3, 1), "production_start": date(2027, 3, 1),
        "foreign_documents_apostilled": None, "investment_usd": amount / (510 if currency == "KZT" else 1),
        "submitted_at": submitted, "review_deadline": (submitted + timedelta(days=14)).date() if submitted else None,
        "assignee_id": reviewer_id if status in ("in_review", "info_requested", "recommended") or decided else None,
        "recommendation": "approve" if status in ("recommended", "approved") else None,
        "recommended_by_id": reviewer_id if status in ("recommended", "approved", "rejected") else None,
        "decided_at": submitted + timedelta(days=9) if decided and submitted else None,
        "decided_by_id": approver_id if decided else None,
        "rejection_grounds": ["CRITERIA_NOT_MET"] if status == "rejected" else None,
        "decision_comment": "Решение принято." if decided else None,
        "created_at": (submitted or now) - timedelta(days=3), "updated_at": now,
        "updated_by_id": user_id,
    }


def _certificate(cert_id: int, app: dict, company: dict, number: int, year: int, status: str,
                 issued: datetime) -> dict:
    valid_from = issued.date()
    return {
        "id": cert_id, "serial": f"ICIC-{app['side']}-{year}-{number:06d}", "side": app["side"], "year": year,
        "number": number, "application_id": app["id"], "company_id": company["id"], "status": status,
        "company_name": company["name"], "company_tax_id": company["tax_id"], "sector": app["sector"],
        "activity_codes": app["activity_codes"], "issued_at": issued, "valid_from": valid_from,
        "valid_until": valid_from + timedelta(days=365 * 7), "verify_token": secrets.token_urlsafe(24),
        "benefits": [{"code": "KZ_CIT" if app["side"] == "KZ" else "UZ_PROFIT_TAX",
                      "periods": [{"from": valid_from.isoformat(),
                                   "until": (valid_from + timedelta(days=365 * 7)).isoformat(),
                                   "reduction_pct": "100"}]}],
        "pdf": PLACEHOLDER_PDF, "sha256": PLACEHOLDER_SHA, "size": len(PLACEHOLDER_PDF),
        "supersedes_id": None, "superseded_by_id": None, "status_changed_at": None, "issued_by_id": None,
    }


def seed(n: int, rng_seed: int = 2026, spare_approved: int = 0) -> Seeded:
    """Insert ``n`` applications with everything around them into the app's (empty) database; the last
    ``spare_approved`` approved applications get no certificate (the issuance benchmark issues them)."""
    from zone.accounts.passwords import hash_password

    rng = random.Random(rng_seed)
    now = datetime.now(UTC)
    out = Seeded(applications=n)
    password_hash = hash_password(PASSWORD)

    staff = []
    for offset, role in enumerate(("reviewer", "approver", "auditor", "admin"), start=1):
        email = f"{role}@bench.icic.kz"
        out.users[role] = email
        staff.append({"id": offset, "email": email, "password_hash": password_hash, "role": role,
                      "full_name": f"Bench {role}", "company_id": None, "locale": "ru", "active": True,
                      "session_nonce": secrets.token_hex(16), "created_at": now})
    reviewer_id, approver_id = 1, 2

    n_companies = max(1, (n - DASHBOARD_APPLICATIONS) // 3) + 1
    companies, users = [], []
    for c in range(1, n_companies + 1):
        country = "KZ" if c % 3 else "UZ"
        tax_id = f"{c:012d}" if country == "KZ" else f"{300000000 + c}"
        companies.append({"id": c, "name": f"ТОО «Бенч Индастри {c}»", "name_en": f"Bench Industry {c} LLP",
                          "legal_form": "ТОО", "registration_country": country, "tax_id": tax_id,
                          "is_legal_entity": True, "address": "г. Туркестан", "created_at": now, "updated_at": now})
        users.append({"id": 100 + c, "email": f"company{c}@bench.icic.kz", "password_hash": password_hash,
                      "role": "applicant", "full_name": f"Директор {c}", "company_id": c, "locale": "ru",
                      "active": True, "session_nonce": secrets.token_hex(16), "created_at": now})
    out.companies = n_companies
    out.dashboard_email = users[0]["email"]
    _insert("companies", companies)
    _insert("users", staff + users)

    statuses = _statuses(n, rng)
    applications = []
    for i in range(1, n + 1):
        # The first company (the dashboard benchmark's) gets DASHBOARD_APPLICATIONS; the rest share.
        company = 1 if i <= DASHBOARD_APPLICATIONS else 2 + (i - DASHBOARD_APPLICATIONS) % (n_companies - 1 or 1)
        company = min(company, n_companies)
        applications.append(_application(i, company, 100 + company, statuses[i - 1], now, rng, reviewer_id,
                                         approver_id))
    _insert("applications", applications)

    documents = []
    for app in applications:
        if app["status"] == "draft":
            continue
        for kind in KINDS:
            doc_id = len(documents) + 1
            documents.append({"id": doc_id, "application_id": app["id"], "kind": kind, "filename": f"{kind}.pdf",
                              "storage_name": f"bench-{doc_id:09d}.pdf", "content_type": "application/pdf",
                              "size": 120_000 + doc_id % 5000,
                              "sha256": hashlib.sha256(str(doc_id).encode()).hexdigest(),
                              "apostilled": False, "uploaded_by_id": app["created_by_id"],
                              "uploaded_at": app["submitted_at"] or now})
    _insert("documents", documents)
    out.documents = len(documents)

    by_id = {c["id"]: c for c in companies}
    approved = [a for a in applications if a["status"] == "approved"]
    approved = approved[: len(approved) - spare_approved]
    counters: dict[tuple[str, int], int] = {}
    certificates = []

    def next_number(side: str, year: int) -> int:
        counters[(side, year)] = counters.get((side, year), 0) + 1
        return counters[(side, year)]

    superseded_wanted = n - len(approved)
    for index, app in enumerate(approved):
        issued = app["decided_at"] or now
        if index < superseded_wanted:  # an older certificate, replaced after an amendment
            old_issued = issued - timedelta(days=200)
            certificates.append(_certificate(len(certificates) + 1, app, by_id[app["company_id"]],
                                             next_number(app["side"], old_issued.year), old_issued.year,
                                             "superseded", old_issued))
        certificates.append(_certificate(len(certificates) + 1, app, by_id[app["company_id"]],
                                         next_number(app["side"], issued.year), issued.year, "active", issued))
    _insert("certificates", certificates)
    out.certificates = len(certificates)
    _insert_counters("certificate_serial_counters", counters)  # a certificate issued later takes the next serial
    active = [c for c in certificates if c["status"] == "active"]
    _agreements_and_reports(out, active, n, now, rng)
    sample = rng.sample(active, min(2000, len(active)))
    out.verify_tokens = [c["verify_token"] for c in sample]
    out.serial_tax = [(c["serial"], c["company_tax_id"]) for c in sample]
    _sync_sequences()
    return out


REPORT_STATUSES = ["accepted"] * 60 + ["submitted"] * 15 + ["returned"] * 10 + ["draft"] * 15
QUARTERS_PER_AGREEMENT = 12  # 2024-Q1 … 2026-Q4


def _agreements_and_reports(out: Seeded, active: list[dict], n: int, now: datetime, rng: random.Random) -> None:
    """``n`` quarterly reports (as many as applications), twelve quarters per agreement, one agreement per
    active certificate as far as needed: the reports queue is measured at the same sizes as the rest."""
    from datetime import date

    needed = min(len(active), -(-n // QUARTERS_PER_AGREEMENT))
    agreements, reports = [], []
    counters: dict[tuple[str, int], int] = {}
    for index, cert in enumerate(active[:needed], start=1):
        decided = cert["valid_from"]
        key = (cert["side"], decided.year)
        counters[key] = sequence = counters.get(key, 0) + 1
        agreements.append({
            "id": index, "number": f"AG-{key[0]}-{key[1]}-{sequence:06d}", "side": key[0],
            "year": key[1], "sequence": sequence, "application_id": cert["application_id"],
            "certificate_id": cert["id"], "company_id": cert["company_id"], "company_name": cert["company_name"],
            "company_tax_id": cert["company_tax_id"], "status": "concluded", "decided_on": decided,
            "countersign_due": decided + timedelta(days=10), "rule_set_version": "2026.1", "obligations": [],
            "sha256": hashlib.sha256(f"agreement {index}".encode()).hexdigest(), "size": 120_000,
            "zone_signed_at": now, "company_signed_at": now, "created_at": now})
    for agreement in agreements:
        for q in range(QUARTERS_PER_AGREEMENT):
            if len(reports) >= n:
                break
            year, quarter = 2024 + q // 4, q % 4 + 1
            start = date(year, 3 * quarter - 2, 1)
            end = (date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1))
            status = rng.choice(REPORT_STATUSES)
            reports.append({
                "id": len(reports) + 1, "agreement_id": agreement["id"], "company_id": agreement["company_id"],
                "side": agreement["side"], "kind": "quarterly", "period": f"{year}-Q{quarter}",
                "period_start": start, "period_end": end, "due": end + timedelta(days=25), "status": status,
                "version": 1, "revision": 1, "head": True,
                "in_queue": status in ("draft", "submitted", "returned"), "currency": "USD", "jobs_total": 120,
                "jobs_local": 100, "jobs_foreign": 20, "benefits_used": {}, "output": [],
                "submitted_at": None if status == "draft" else now, "created_by_id": 100 + agreement["company_id"],
                "created_at": now, "updated_at": now})
    _insert("agreements", agreements)
    _insert_counters("agreement_number_counters", counters)  # an agreement made later takes the next number
    _insert("reports", reports)
    out.agreements, out.reports = len(agreements), len(reports)


def _insert_counters(table: str, counters: dict[tuple[str, int], int]) -> None:
    """A numbering counter (side, year → last number given) that matches the seeded rows, so that what the app
    numbers next (a certificate, an agreement) takes the next free number."""
    if counters:
        _insert(table, [{"side": side, "year": year, "last_number": last}
                        for (side, year), last in sorted(counters.items())])


def _sync_sequences() -> None:
    """Explicit ids bypass PostgreSQL sequences; move them past the seeded rows."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.begin() as conn:
        for table in ("companies", "users", "applications", "documents", "certificates", "agreements", "reports"):
            conn.exec_driver_sql(  # table names from the literal tuple above
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
