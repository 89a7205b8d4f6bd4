"""The authorization matrix: every route of ``app.url_map`` × every kind of caller.

Each endpoint must declare who may call it (``zone.web.access.allow`` sets ``view.access_rule``); the
expected outcome of each call is derived from that rule and from who owns the objects in the URL, so
the table stays right as routes are added:

- nobody ever gets a 500;
- a route for a machine's credential (the metrics scraper) answers every caller 404: no user, whatever
  their role, holds that credential;
- a public route never answers an anonymous caller with 401/403;
- anonymous on anything else: the sign-in page (302) for HTML, 401 under ``/api/``;
- a signed-in caller whose role the rule does not name: 403;
- company B on company A's application, document or certificate: 404 (it may not know they exist);
- a caller the rule names explicitly, reading (GET) an object that exists: a page or a download
  (2xx/3xx), company A on its own objects too, and every reader through the API;
- the auditor on any non-GET: refused (403/404/405) and nothing but the audit trail and the caller's
  own session changed; self-service account routes and declared read-only POSTs (checking a kept
  audit anchor) may answer, but must change no data either;
- an authority (a KZ tax or customs service) reaches only the routes that name its role (the events
  feed) and its own account: 403 everywhere else, "any signed-in user" routes included, and it changes no
  data; the feed it reads holds its side's events only (the world holds a UZ event too).

URL arguments are built from seeded objects of company A, by argument name; an argument nobody
seeded (a new route's ``<int:thing_id>``) gets a value that does not exist, and then an allowed caller
may get 404. Failures are listed per route, all at once, with the exact method and path.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import g
from werkzeug.routing.converters import IntegerConverter

from tests.conftest import PASSWORD
from zone.accounts.roles import OUTSIDE_ROLES, Role
from zone.web.access import AccessRule

CALLERS = ("anonymous", "applicant_a", "applicant_b", "reviewer", "approver", "auditor", "admin", "authority")
ROLE_OF = {"applicant_a": Role.APPLICANT, "applicant_b": Role.APPLICANT, "reviewer": Role.REVIEWER,
           "approver": Role.APPROVER, "auditor": Role.AUDITOR, "admin": Role.ADMIN, "authority": Role.AUTHORITY}
# Callers who may change no data whatever they call.
READ_ONLY_CALLERS = {"auditor", "authority"}
READERS = {Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMIN}
SKIPPED_ENDPOINTS = {"static"}
# Arguments that name company A's objects: company B must get 404 for them.
OWNED_ARGUMENTS = {"application_id", "document_id", "serial", "number", "reference", "report_id", "file_id",
                   "need_id", "offer_id", "request_id", "site_code"}
# Account self-service: any signed-in user (the auditor too) may use them for their own account.
SELF_SERVICE_BLUEPRINTS = {"accounts", "accounts_api"}
# Non-GET routes that only read (they check what is uploaded): the auditor may use them.
READ_ONLY_NON_GET = {"audit.verify_anchor", "audit_api.verify_with_anchor"}
# What a caller's own use of the system may change without it being a change of data.
SESSION_TABLES = {"audit_events", "audit_head", "api_tokens", "mail_outbox"}
# ...and the columns that hold a caller's sessions (signing out rotates the account's session nonce).
SESSION_COLUMNS = {("users", "session_nonce")}
MISSING_ID = 987654


def _rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_endpoint_declares_an_access_rule(app):
    undeclared = sorted(
        f"{rule.endpoint} ({rule.rule})" for rule in app.url_map.iter_rules()
        if rule.endpoint not in SKIPPED_ENDPOINTS
        and not isinstance(getattr(app.view_functions[rule.endpoint], "access_rule", None), AccessRule))
    assert not undeclared, "endpoints without @allow(...): " + ", ".join(undeclared)


# --- the world: company A's objects, company B, staff ------------------------------------------------

@pytest.fixture
def fresh_user_per_request(app):
    """Requests share no ``g`` in production; make the test client behave the same."""
    app.teardown_request(lambda _exc: g.pop("_login_user", None))


@pytest.fixture
def world(app, make_company, make_user, fresh_user_per_request):
    from zone.accounts.models import User
    from zone.agreements.models import Agreement, AgreementRevision
    from zone.applications.documents import add_document, store_upload
    from zone.applications.models import Application
    from zone.certificates.models import Certificate, CertificateEvent
    from zone.companies.models import ClaimProof
    from zone.cooperation.models import ContactRequest, Need, Offer
    from zone.events.services import emit
    from zone.extensions import db
    from zone.reports.models import Report, ReportDocument
    from zone.sites.models import Lease, Site

    company_a = make_company(name="ТОО «Компания А»")
    company_b = make_company(name="ТОО «Компания Б»")
    company_c = make_company(name="MChJ «Kompaniya C»", registration_country="UZ")  # a resident of the other side
    users = {
        "applicant_a": make_user("applicant", company=company_a),
        "applicant_b": make_user("applicant", company=company_b),
        **{name: make_user(name) for name in ("reviewer", "approver", "auditor", "admin")},
        "authority": make_user("authority", side="KZ"),
    }
    victim = make_user("reviewer")  # the admin's user routes act on this account, nobody else's
    now = datetime.now(UTC)
    with app.test_request_context(method="POST"):
        owner = db.session.get(User, users["applicant_a"].id)
        application = Application(company_id=company_a.id, created_by_id=owner.id, status="draft", side="KZ",
                                  sector="machinery", project_title="Завод сельхозтехники")
        db.session.add(application)
        db.session.flush()
        document = add_document(application, owner, "charter", io.BytesIO(b"%PDF-1.7\n% charter\n%%EOF\n"),
                                filename="charter.pdf")
        application.status, application.number, application.submitted_at = "submitted", "A-2026-00001", now
        approved = Application(company_id=company_a.id, created_by_id=owner.id, status="approved", side="KZ",
                               sector="machinery", number="A-2026-00002", submitted_at=now, decided_at=now)
        db.session.add(approved)
        db.session.flush()
        pdf = b"%PDF-1.7\n% certificate of company A\n%%EOF\n"
        certificate = Certificate(
            serial="ICIC-KZ-2026-000001", side="KZ", year=2026, number=1, application_id=approved.id,
            company_id=company_a.id, status="active", company_name=company_a.name,
            company_tax_id=company_a.tax_id, sector="machinery", activity_codes=["28.30"], issued_at=now,
            valid_from=now.date(), valid_until=now.date() + timedelta(days=3650),
            benefits=[{"code": "KZ_CIT", "periods": []}], verify_token=secrets.token_urlsafe(32), pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf))
        db.session.add(certificate)
        db.session.flush()
        db.session.add(CertificateEvent(certificate_id=certificate.id, action="issue", to_status="active",
                                        effective_date=now.date()))
        agreement = Agreement(
            number="AG-KZ-2026-000001", side="KZ", year=2026, sequence=1, application_id=approved.id,
            certificate_id=certificate.id, company_id=company_a.id, company_name=company_a.name,
            company_tax_id=company_a.tax_id, decided_on=now.date(), countersign_due=now.date() + timedelta(days=10),
            rule_set_version="2026.1", obligations=[], sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf))
        db.session.add(agreement)
        db.session.flush()
        db.session.add(AgreementRevision(agreement_id=agreement.id, number=1, obligations=[], zone_pdf=pdf,
                                         zone_sha256=agreement.sha256, zone_size=len(pdf)))
        # Company A asked for the statement that proves its tax id.
        db.session.add(ClaimProof(company_id=company_a.id, kind="statement", reference="TS-1-0000", statement=pdf,
                                  registration_country="KZ", tax_id=company_a.tax_id,
                                  statement_sha256=hashlib.sha256(pdf).hexdigest()))
        # A submitted quarterly report of company A with its statements: staff may return or accept it.
        report = Report(agreement_id=agreement.id, company_id=company_a.id, side="KZ", kind="quarterly",
                        period="2026-Q1", period_start=datetime(2026, 1, 1).date(),
                        period_end=datetime(2026, 3, 31).date(), due=datetime(2026, 4, 27).date(),
                        status="submitted", submitted_at=now, created_by_id=owner.id, benefits_used={}, output=[])
        db.session.add(report)
        db.session.flush()
        storage_name, size, sha256, content_type = store_upload(io.BytesIO(b"%PDF-1.7\n% statements\n%%EOF\n"))
        report_file = ReportDocument(report_id=report.id, kind="audited_statements", filename="statements.pdf",
                                     storage_name=storage_name, content_type=content_type, size=size,
                                     sha256=sha256, uploaded_by_id=owner.id)
        db.session.add(report_file)
        # A site leased to company A at its admission (its lease awaits the company's signature).
        site = Site(code="KZ-W01", side="KZ", kind="building", area_m2=500, power_kw=400, water_m3_day=20,
                    gas_m3_h=5, rent_per_m2_year=18, currency="USD", status="leased",
                    outline=[[0, 0], [10, 0], [10, 10], [0, 10]])
        db.session.add(site)
        db.session.flush()
        db.session.add(Lease(site_id=site.id, application_id=approved.id, company_id=company_a.id,
                             certificate_serial=certificate.serial, area_m2=500, rent_per_m2_year=18, currency="USD",
                             starts_on=now.date(), sign_by=now.date() + timedelta(days=30), rule_set_version="2026.1",
                             pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest()))
        # The certificate's inclusion, as notices tell the authorities of it (event 1: its letter).
        emit("certificate.issued", {"serial": certificate.serial, "side": "KZ", "status": "active",
                                    "company": {"name": company_a.name, "tax_id": company_a.tax_id}})
        # A resident of the other side: the KZ authority must never read of it.
        emit("certificate.issued", {"serial": "ICIC-UZ-2026-000001", "side": "UZ", "status": "active",
                                    "company": {"name": "MChJ «Sirdaryo»", "tax_id": "301234567"}})
        # Cooperation: company A's need and product, and its request to a resident of the other side (C).
        need = Need(company_id=company_a.id, side="KZ", description="ПВХ", annual_volume=1500, unit="t",
                    certificates_required=[], created_by_id=owner.id)
        need.set_code("390410")
        offer = Offer(company_id=company_a.id, side="KZ", name="Сеялки", capacity=100, unit="pcs")
        offer.set_code("843231")
        offer_c = Offer(company_id=company_c.id, side="UZ", name="PVC", capacity=9000, unit="t")
        offer_c.set_code("390410")
        db.session.add_all([need, offer, offer_c])
        db.session.flush()
        contact = ContactRequest(sender_company_id=company_a.id, recipient_company_id=company_c.id, sender_side="KZ",
                                 recipient_side="UZ", need_id=need.id, offer_id=offer_c.id, hs_code="390410",
                                 message="Нужен ПВХ", created_by_id=owner.id)
        db.session.add(contact)
        db.session.commit()
        ids = SimpleNamespace(application=application.id, document=document.id, serial=certificate.serial,
                              verify_token=certificate.verify_token, victim=victim.id, company=company_a.id,
                              agreement=agreement.number, report=report.id, report_file=report_file.id,
                              statement="TS-1-0000", need=need.id, offer=offer.id, request=contact.id, site="KZ-W01")
    return SimpleNamespace(users=users, ids=ids)


@dataclass
class Target:
    path: str
    owned: bool  # names company A's objects
    missing: bool  # names something that does not exist


def _section() -> str:
    from zone.applications.fields import SECTIONS

    return next(iter(SECTIONS))


def build_target(rule, method: str, ids) -> Target:
    """A URL for ``rule`` with plausible arguments, and what they refer to."""
    values, owned, missing = {}, False, False
    reads = method == "GET"
    for name, converter in rule._converters.items():
        if name == "application_id":
            values[name] = ids.application
        elif name == "document_id":
            values[name] = ids.document
        elif name == "serial":
            values[name] = ids.serial
        elif name == "number":  # an activity agreement's number
            values[name] = ids.agreement
        elif name == "reference":  # company A's statement proving its tax id
            values[name] = ids.statement
        elif name == "report_id":
            values[name] = ids.report
        elif name == "file_id":  # a report's document
            values[name] = ids.report_file
        elif name == "need_id":  # company A's need, product and contact request (cooperation)
            values[name] = ids.need
        elif name == "offer_id":
            values[name] = ids.offer
        elif name == "request_id":
            values[name] = ids.request
        elif name == "site_code":  # a site leased to company A
            values[name] = ids.site
        elif name == "revision":
            values[name] = 1
        elif name == "token":
            values[name] = ids.verify_token if rule.endpoint.startswith("certificates") else "not-a-valid-token"
            missing = missing or not rule.endpoint.startswith("certificates")
        elif name == "user_id":
            values[name] = ids.victim
        elif name == "company_id":  # the administrators' claim pages of company A
            values[name] = ids.company
        elif name == "version":  # rule sets: read the shipped one, never change it
            values[name] = "2026.1" if reads else "0000.0"
            missing = missing or not reads
        elif name == "seq":
            values[name] = 1
        elif name == "object_type":
            values[name] = "application"
        elif name == "object_id":
            values[name] = ids.application
        elif name == "section":
            values[name] = _section()
        elif name == "action":
            values[name] = ("suspend" if rule.endpoint.startswith("certificates")
                            else "withdraw" if rule.endpoint.startswith("cooperation") else "start_review")
        elif name == "code":
            values[name] = "ru"
        elif isinstance(converter, IntegerConverter):
            values[name], missing = MISSING_ID, True
        else:
            values[name], missing = "unknown", True
        owned = owned or name in OWNED_ARGUMENTS
    path = rule.build(values, append_unknown=False)[1]
    return Target(path=path, owned=owned, missing=missing)


# --- the callers ---------------------------------------------------------------------------------------

class Caller:
    """A test client signed in as one kind of caller (session for pages, bearer token for the API)."""

    def __init__(self, app, name: str, user):
        self.app, self.name, self.user = app, name, user
        self.client = app.test_client()
        self.headers: dict[str, str] = {}
        self.authenticate()

    def authenticate(self) -> None:
        if self.user is None:
            return
        response = self.client.post("/login", data={"email": self.user.email, "password": PASSWORD})
        assert response.status_code == 302, f"{self.name} cannot sign in"
        response = self.client.post("/api/v1/tokens", json={"email": self.user.email, "password": PASSWORD})
        assert response.status_code == 201, f"{self.name} gets no API token"
        self.headers = {"Authorization": f"Bearer {response.get_json()['token']}"}

    def call(self, method: str, path: str):
        kwargs: dict = {"method": method}
        if path.startswith("/api/"):
            kwargs["headers"] = self.headers
            if method in ("POST", "PUT", "PATCH"):
                kwargs["json"] = {}
        elif method != "GET":
            kwargs["data"] = {}
        return self.client.open(path, **kwargs)


def data_fingerprint(app) -> str:
    """A digest of every table's rows except the audit trail and the caller's own session records."""
    from zone.extensions import db

    digest = hashlib.sha256()
    with app.app_context(), db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            if table.name in SESSION_TABLES:
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            columns = [c for c in table.columns if (table.name, c.name) not in SESSION_COLUMNS]
            for row in connection.execute(sa.select(*columns).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


# --- the expectations ----------------------------------------------------------------------------------

def judge(caller: str, rule, method: str, target: Target, status: int, location: str,
          changed: bool | None) -> str | None:
    """What is wrong with this answer, or None."""
    access: AccessRule = rule.access_rule
    api = target.path.startswith("/api/")
    blueprint = rule.endpoint.split(".")[0]
    if status >= 500:
        return "server error"
    if changed:
        return f"the {caller} changed data"
    if access.machine:
        return None if status == 404 else "a route for a machine credential answered a caller without it"
    if access.public:
        if caller == "anonymous" and status in (401, 403):
            return "a public route refused an anonymous caller"
        return None
    if caller == "anonymous":
        if api:
            return None if status == 401 else "anonymous API call not answered 401"
        return None if status == 302 and "/login" in location else "anonymous page not sent to sign in"
    role = ROLE_OF[caller]
    if access.roles and role not in access.roles:
        return None if status == 403 else "a role the rule does not name was not refused with 403"
    if not access.roles and role in OUTSIDE_ROLES and not access.own_account:
        return None if status == 403 else "an outside body reached a route for the zone's own users"
    if status == 401:
        return "a signed-in caller the rule admits got 401"
    if caller == "applicant_b" and target.owned:
        return None if status == 404 else "company B reached company A's object (expected 404)"
    if caller in READ_ONLY_CALLERS and method != "GET":
        if blueprint in SELF_SERVICE_BLUEPRINTS or rule.endpoint in READ_ONLY_NON_GET:
            return None
        return None if status in (403, 404, 405) else "a write route did not refuse the auditor"
    if method == "GET" and not target.missing and status >= 400:
        named = role in access.roles
        own = caller == "applicant_a" and target.owned
        reader_api = api and role in READERS and target.owned
        if named or own or reader_api:
            return "an admitted caller could not read it"
    return None


@pytest.mark.parametrize("caller_name", CALLERS)
def test_access_matrix(app, world, caller_name):
    caller = Caller(app, caller_name, world.users.get(caller_name))
    routes = list(_rules(app))
    # Reads first: the writes that follow (a withdrawal, a sign-out) must not change what they see.
    routes.sort(key=lambda item: item[1] != "GET")
    problems = []
    for rule, method in routes:
        rule.access_rule = getattr(app.view_functions[rule.endpoint], "access_rule", None)
        if not isinstance(rule.access_rule, AccessRule):
            problems.append(f"{method} {rule.rule} [{rule.endpoint}]: no @allow(...) rule")
            continue
        target = build_target(rule, method, world.ids)
        watch = caller_name in READ_ONLY_CALLERS and method != "GET"
        before = data_fingerprint(app) if watch else None
        response = caller.call(method, target.path)
        status, location = response.status_code, response.headers.get("Location", "")
        response.close()
        changed = (data_fingerprint(app) != before) if watch else None
        problem = judge(caller_name, rule, method, target, status, location, changed)
        if problem:
            problems.append(f"{method} {target.path} [{rule.endpoint}, rule {_describe(rule.access_rule)}]: "
                            f"{caller_name} got {status}: {problem}")
        if method != "GET":
            caller.authenticate()  # the call may have signed the caller out or revoked the token
    assert not problems, f"{len(problems)} access problems:\n" + "\n".join(problems)


def _describe(rule: AccessRule) -> str:
    if rule.machine:
        return "MACHINE_CREDENTIAL"
    if rule.public:
        return "PUBLIC"
    return ",".join(sorted(rule.roles)) or ("OWN_ACCOUNT" if rule.own_account else "AUTHENTICATED")


def test_the_authority_reads_its_sides_events_only(app, world):
    caller = Caller(app, "authority", world.users["authority"])
    response = caller.call("GET", "/api/v1/events")
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [e["data"]["side"] for e in items] == ["KZ"]
    admin = Caller(app, "admin", world.users["admin"]).call("GET", "/api/v1/events").get_json()["items"]
    assert [e["data"]["side"] for e in admin] == ["KZ", "UZ"]
