"""The README's several-servers setup, as ``make cluster`` starts it: nginx (TLS) in front of two app servers and a
worker, all in the production configuration, sharing PostgreSQL, Redis and an S3 server.

What only several servers can get wrong: a file uploaded through one is read through the other, the sign-in
limit counts attempts on both, and the one worker is seen by both. It needs PostgreSQL (the PostgreSQL pass of
``make test`` runs it; the SQLite pass has no shared database to offer) and Redis.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time

import pytest
import requests

from bench.cluster import cluster, limits_shared_across_servers
from bench.harness import make_app
from tests.applications.conftest import PDF

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    os.environ.get("ZONE_TEST_BACKEND") != "postgresql",
    reason="several app servers share one PostgreSQL database (the PostgreSQL pass runs this)")]

REDIS_URL = os.environ.get("ZONE_TEST_CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "cluster-company-2026"


def _company_account(c) -> None:
    from zone.accounts.models import User
    from zone.accounts.passwords import hash_password
    from zone.companies.models import Company
    from zone.extensions import db

    app = make_app(c.database_url, c.workdir, AUDIT_CHAIN_KEY=c.env["AUDIT_CHAIN_KEY"])
    with app.app_context():
        company = Company(name="ТОО «Кластер»", registration_country="KZ", tax_id="990140000123",
                          address="г. Туркестан")
        db.session.add(company)
        db.session.flush()
        db.session.add(User(email="company@cluster.zone.test", role="applicant", company_id=company.id,
                            password_hash=hash_password(PASSWORD), full_name="Кластер"))
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    base = os.environ.get("ZONE_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    with cluster(database_url=base, redis_url=REDIS_URL, workers=1, threads=4, prepare=_company_account,
                 settings={"LOGIN_LIMIT_PER_ACCOUNT": "3 per minute"},
                 workdir=tmp_path_factory.mktemp("cluster"), database_name=f"zone_cluster_{os.getpid()}") as c:
        yield c


def test_an_upload_through_nginx_is_read_through_either_app_server(servers):
    # nginx's TLS certificate, per request: a session's own `verify` loses to REQUESTS_CA_BUNDLE when that is set
    public = functools.partial(requests.request, verify=str(servers.ca_path), timeout=30)
    token = public("POST", f"{servers.url}/api/v1/tokens",
                        json={"email": "company@cluster.zone.test", "password": PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    created = public("POST", f"{servers.url}/api/v1/applications", headers=headers,
                          json={"side": "KZ", "project_title": "Завод в кластере"})
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    uploaded = public("POST", f"{servers.url}/api/v1/applications/{app_id}/documents", headers=headers,
                           data={"kind": "charter"}, files={"file": ("устав.pdf", PDF, "application/pdf")})
    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
    for instance in servers.instances:  # one of them received the upload through nginx, the other did not
        response = requests.get(f"{instance}/api/v1/applications/{app_id}/documents/{document['id']}",
                                headers=headers, timeout=30)
        assert response.status_code == 200, (instance, response.text)
        assert response.content == PDF
    assert not list(servers.workdir.glob("instance/uploads/**/*.pdf")), "the files live in S3, not on a server"


def test_failed_sign_ins_count_on_every_app_server(servers):
    limits = limits_shared_across_servers(servers, "3 per minute")
    assert limits["statuses"] == [401, 401, 401, 429, 429]


def test_both_app_servers_see_the_one_worker(servers):
    deadline = time.monotonic() + 60
    while True:
        seen = [requests.get(f"{i}/healthz", timeout=10).json()["worker"] for i in servers.instances]
        if all(w["status"] == "ok" for w in seen) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert [w["status"] for w in seen] == ["ok", "ok"], seen
    assert all(w["workers"] == 1 for w in seen), seen


def test_nginx_compresses_what_carries_no_secret_and_never_a_page(servers):
    """A slow line gets stylesheets and JSON compressed; HTML, which carries the form token beside what the
    visitor typed, is never compressed (BREACH)."""
    def get(path: str):
        return requests.get(f"{servers.url}{path}", headers={"Accept-Encoding": "gzip"}, verify=str(servers.ca_path),
                            timeout=30)

    stylesheet = get("/static/css/zone.css")
    assert stylesheet.status_code == 200 and stylesheet.headers.get("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in stylesheet.headers.get("Vary", "")
    assert get("/api/v1/openapi.json").headers.get("Content-Encoding") == "gzip"
    page = get("/login")
    assert page.status_code == 200 and "Content-Encoding" not in page.headers
