"""A small, realistic data set made through the JSON API itself (the same calls an integrator makes).

Each stage runs only while the previous one succeeded, so the seed also works on a partial build (while
the domains land); ``Seed.stages`` tells how far it got.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

DOCUMENT_KINDS = ("charter", "registration_certificate", "director_id", "business_plan", "financial_statements",
                  "proof_of_funds")

KZ_APPLICATION = {
    "side": "KZ",
    "project_title": "Завод капельного орошения «Жетысай»",
    "project_description": "Производство систем капельного орошения из ПВХ для хлопковых и рисовых полей.",
    "sector": "plastics",
    "activity_codes": ["22.21", "28.30"],
    "products": [{"name": "Капельная лента", "hs_code": "3917320000", "annual_volume": "12000", "unit": "км"}],
    "investment_amount": "6500000000",
    "investment_currency": "KZT",
    "own_funds_share": "40",
    "jobs_total": 180,
    "jobs_local": 160,
    "land_area_ha": "4.5",
    "building_area_m2": "12000",
    "priority_income_share": "95",
    "has_branches_outside_zone": False,
    "capital_shares": {"KZ": 60, "UZ": 40},
    "export_share": "35",
    "construction_start": "2026-04-01",
    "production_start": "2027-03-01",
}

PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
             b"endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@dataclass
class Seed:
    tokens: dict[str, dict] = field(default_factory=dict)  # role -> Authorization header
    users: dict[str, object] = field(default_factory=dict)
    application_ids: list[int] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    serials: list[str] = field(default_factory=list)
    verify_tokens: list[str] = field(default_factory=list)
    agreement_numbers: list[str] = field(default_factory=list)
    tax_ids: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _ok(seed: Seed, response, stage: str, *statuses: int) -> bool:
    if response.status_code in statuses:
        return True
    seed.problems.append(f"{stage}: HTTP {response.status_code} {response.get_data(as_text=True)[:300]}")
    return False


def upload(client, headers: dict, app_id: int, kind: str, name: str = "document.pdf"):
    return client.post(f"/api/v1/applications/{app_id}/documents", headers=headers,
                       data={"kind": kind, "file": (io.BytesIO(PDF_BYTES), name, "application/pdf")},
                       content_type="multipart/form-data")


def action(client, headers: dict, app_id: int, name: str, comment: str = "", **extra):
    version = client.get(f"/api/v1/applications/{app_id}", headers=headers).get_json()["version"]
    return client.post(f"/api/v1/applications/{app_id}/actions", headers=headers,
                       json={"action": name, "comment": comment or name, "version": version, **extra})


def seed_through_api(client, make_company, make_user, api_token) -> Seed:
    """Users of every role; a draft, an application under review and an approved one with its certificate."""
    seed = Seed()
    company = make_company(name="ТОО «Жетысай Полимер»")
    seed.users["applicant"] = make_user("applicant", company=company)
    seed.tax_ids.append(company.tax_id)
    for role in ("reviewer", "approver", "auditor", "admin"):
        seed.users[role] = make_user(role)
    for role, user in seed.users.items():
        seed.tokens[role] = api_token(user)
    seed.stages.append("users")

    company_headers, reviewer, approver = seed.tokens["applicant"], seed.tokens["reviewer"], seed.tokens["approver"]
    for _ in range(3):
        response = client.post("/api/v1/applications", headers=company_headers, json=KZ_APPLICATION)
        if not _ok(seed, response, "create application", 201):
            return seed
        seed.application_ids.append(response.get_json()["id"])
    seed.stages.append("drafts")

    for app_id in seed.application_ids[1:]:
        for kind in DOCUMENT_KINDS:
            response = upload(client, company_headers, app_id, kind, f"{kind}.pdf")
            if not _ok(seed, response, f"upload {kind}", 201):
                return seed
            seed.document_ids.append(response.get_json()["id"])
    seed.stages.append("documents")

    for app_id in seed.application_ids[1:]:
        if not _ok(seed, client.post(f"/api/v1/applications/{app_id}/submit", headers=company_headers),
                   "submit", 200):
            return seed
    seed.stages.append("submitted")

    approved = seed.application_ids[2]
    for headers, name in ((reviewer, "start_review"), (reviewer, "recommend_approval"), (approver, "approve")):
        response = action(client, headers, approved, name)
        if not _ok(seed, response, name, 200):
            return seed
    certificate = response.get_json().get("certificate") or {}
    if certificate.get("serial"):
        seed.serials.append(certificate["serial"])
        seed.stages.append("approved")
        detail = client.get(f"/api/v1/certificates/{certificate['serial']}", headers=company_headers)
        if _ok(seed, detail, "certificate", 200):
            seed.verify_tokens.append(detail.get_json()["verify_url"].rstrip("/").rsplit("/", 1)[-1])
            seed.stages.append("certificate")
    agreement = response.get_json().get("agreement") or {}
    if agreement.get("number"):
        seed.agreement_numbers.append(agreement["number"])
        seed.stages.append("agreement")
    _ok(seed, action(client, reviewer, seed.application_ids[1], "start_review"), "start_review", 200)
    return seed
