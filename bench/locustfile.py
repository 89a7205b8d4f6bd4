"""The load mix of ``python -m bench.load``: the journeys of DOMAIN.md as locust users.

* ``Company`` (the journey that writes): a company creates an application through the API, uploads its
  six documents, submits; its own reviewer starts the review and recommends, its own approver approves
  (four eyes, and no two users race for one application), then the company downloads the certificate;
  in between it looks at its dashboard and application pages like a person would.
* ``Visitor``: home page, the benefits check (page and API), verification by QR token (page and API)
  and by serial + tax id, the public register.
* ``Staff``: the review queue and dashboard, the certificates list, an application's review page.
* ``Auditor``: audit events, chain verification, the certificate list and register page.

Any failed request fails the run. Data (accounts, verify tokens) come from ``ZONE_LOAD_DATA`` (JSON).
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["ZONE_LOAD_DATA"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = DATA["password"]
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
       b"endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
KINDS = ("charter", "registration_certificate", "director_id", "business_plan", "financial_statements",
         "proof_of_funds")
APPLICATION = {
    "side": "KZ", "project_title": "Завод систем капельного орошения", "sector": "plastics",
    "project_description": "Производство капельных линий и фитингов из ПВХ для хлопковых и рисовых полей.",
    "activity_codes": ["22.21"], "investment_amount": "6500000000", "investment_currency": "KZT",
    "products": [{"name": "Капельная лента", "hs_code": "3917320000", "annual_volume": "12000", "unit": "км"}],
    "own_funds_share": "40", "jobs_total": 180, "jobs_local": 160, "land_area_ha": "4.5",
    "priority_income_share": "95", "has_branches_outside_zone": False, "capital_shares": {"KZ": 60, "UZ": 40},
    "export_share": "35", "construction_start": "2026-04-01", "production_start": "2027-03-01",
}
_teams = itertools.count()


def _token(client, email: str) -> dict:
    with client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD}, name="/api/v1/tokens",
                     catch_response=True) as response:
        if response.status_code != 201:
            response.failure(f"token for {email}: HTTP {response.status_code}")
            return {}
        return {"Authorization": f"Bearer {response.json()['token']}"}


def _sign_in(client, email: str) -> None:
    page = client.get("/login", name="/login")
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    data = {"email": email, "password": PASSWORD, "csrf_token": match.group(1) if match else ""}
    # A browser sends the page it posts from (Referrer-Policy: same-origin); over HTTPS the CSRF check wants it.
    with client.post("/login", data=data, name="/login [POST]", allow_redirects=False, catch_response=True,
                     headers={"Referer": page.url}) as response:
        if response.status_code != 302:
            response.failure(f"sign-in of {email}: HTTP {response.status_code}")


class ZoneUser(HttpUser):
    """A user of the load; through TLS (the cluster), it trusts the certificate in ``ZONE_LOAD_CA``."""

    abstract = True

    def __init__(self, environment):
        super().__init__(environment)
        if os.environ.get("ZONE_LOAD_CA"):
            self.client.verify = os.environ["ZONE_LOAD_CA"]


class Company(ZoneUser):
    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        team = DATA["teams"][next(_teams) % len(DATA["teams"])]
        self.company = _token(self.client, team["company"])
        self.reviewer = _token(self.client, team["reviewer"])
        self.approver = _token(self.client, team["approver"])
        _sign_in(self.client, team["company"])

    def _act(self, headers, app_id, action):
        version = self.client.get(f"/api/v1/applications/{app_id}", headers=headers,
                                  name="/api/v1/applications/[id]").json()["version"]
        return self.client.post(f"/api/v1/applications/{app_id}/actions", headers=headers,
                                json={"action": action, "comment": action, "version": version},
                                name=f"/api/v1/applications/[id]/actions {action}")

    @task(1)
    def apply_and_get_certified(self):
        created = self.client.post("/api/v1/applications", headers=self.company, json=APPLICATION,
                                   name="/api/v1/applications [POST]")
        app_id = created.json()["id"]
        for kind in KINDS:
            self.client.post(f"/api/v1/applications/{app_id}/documents", headers=self.company,
                             files={"file": (f"{kind}.pdf", io.BytesIO(PDF), "application/pdf")},
                             data={"kind": kind}, name="/api/v1/applications/[id]/documents [POST]")
        self.client.get(f"/applications/{app_id}", name="/applications/[id]")
        self.client.post(f"/api/v1/applications/{app_id}/submit", headers=self.company,
                         name="/api/v1/applications/[id]/submit")
        self._act(self.reviewer, app_id, "start_review")
        self._act(self.reviewer, app_id, "recommend_approval")
        approved = self._act(self.approver, app_id, "approve")
        serial = (approved.json().get("certificate") or {}).get("serial")
        if serial:
            self.client.get(f"/api/v1/certificates/{serial}/pdf", headers=self.company,
                            name="/api/v1/certificates/[serial]/pdf")

    @task(3)
    def follow_the_dashboard(self):
        self.client.get("/applications", name="/applications")
        self.client.get("/api/v1/applications?limit=20", headers=self.company, name="/api/v1/applications")


class Visitor(ZoneUser):
    weight = 3
    wait_time = between(1, 3)

    @task(2)
    def verify_by_qr(self):
        token = random.choice(DATA["verify_tokens"])
        self.client.get(f"/verify/{token}", name="/verify/[token]")
        self.client.get(f"/api/v1/verify/{token}", name="/api/v1/verify/[token]")

    @task(1)
    def verify_by_serial(self):
        serial, tax_id = random.choice(DATA["serial_tax"])
        self.client.get("/api/v1/verify", params={"serial": serial, "tax_id": tax_id}, name="/api/v1/verify?serial")

    @task(1)
    def check_benefits(self):
        self.client.get("/", name="/")
        self.client.get("/eligibility", name="/eligibility")
        self.client.post("/api/v1/eligibility/check", json={
            "side": "UZ", "registration_country": "UZ", "is_legal_entity": True, "activity_codes": ["28.30"],
            "investment_amount": "12000000", "investment_currency": "USD", "capital_shares": {"UZ": 70, "KZ": 30}},
            name="/api/v1/eligibility/check")

    @task(1)
    def public_register(self):
        self.client.get("/residents", name="/residents")
        self.client.get("/api/v1/register?limit=50", name="/api/v1/register")


class Staff(ZoneUser):
    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        _sign_in(self.client, random.choice(DATA["staff"]))

    @task(3)
    def queue(self):
        page = self.client.get("/review", name="/review")
        ids = re.findall(r'href="/review/applications/(\d+)"', page.text)
        if ids:
            self.client.get(f"/review/applications/{random.choice(ids)}", name="/review/applications/[id]")

    @task(1)
    def dashboards(self):
        self.client.get("/review/dashboard", name="/review/dashboard")
        self.client.get("/certificates", name="/certificates")


class Auditor(ZoneUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.headers = _token(self.client, DATA["auditor"])
        _sign_in(self.client, DATA["auditor"])

    @task(2)
    def trail(self):
        self.client.get("/audit", name="/audit")
        self.client.get("/api/v1/audit/events?limit=50", headers=self.headers, name="/api/v1/audit/events")

    @task(1)
    def verify_chain(self):
        self.client.get("/api/v1/audit/verify", headers=self.headers, name="/api/v1/audit/verify")

    @task(2)
    def registers(self):
        self.client.get("/registers/certificates", name="/registers/certificates")
        self.client.get("/api/v1/certificates?limit=50", headers=self.headers, name="/api/v1/certificates")
