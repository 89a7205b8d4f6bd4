"""Test fixtures shared by every domain.

Backends: ``ZONE_TEST_BACKEND=sqlite`` (default) gives each test a fresh copy of a schema-only SQLite
file; ``ZONE_TEST_BACKEND=postgresql`` uses ``ZONE_TEST_DATABASE_URL`` (one database per xdist worker,
tables truncated between tests) and fails the run, never skips, when that database is unreachable.

Fixtures: ``app``, ``client``, ``runner``, ``ctx`` (an app context), ``make_company``, ``make_user``,
``login_as(role_or_user)``, ``api_token(user)``, ``valid_bin()``, ``outbox_dir``.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from config import normalise_database_url

BACKEND = os.environ.get("ZONE_TEST_BACKEND", "sqlite")
PG_URL = os.environ.get("ZONE_TEST_DATABASE_URL")
PASSWORD = "correct-horse-battery"
# Fixtures kept beside their helpers: the local timestamp authority (certificates and agreements use it).
pytest_plugins = ["tests.certificates.tsa"]


def pytest_configure(config):
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # once, in the controlling process
        from zone.web.catalogs import compile_all

        compile_all()
    config.addinivalue_line("markers", "postgres_only: needs PostgreSQL (real row locks, threads)")
    config.addinivalue_line("markers", "browser: drives a real browser (Playwright + Chromium)")
    config.addinivalue_line("markers", "slow: takes more than a few seconds")


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="PostgreSQL-only test; runs in the PostgreSQL pass of `make test`")
    for item in items:
        if BACKEND != "postgresql" and "postgres_only" in item.keywords:
            item.add_marker(skip_pg)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


# --- database -------------------------------------------------------------------------------------

def _create_schema(url: str) -> None:
    from zone import create_app
    from zone.extensions import db

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP FUNCTION IF EXISTS audit_events_refuse_change() CASCADE")
        db.create_all()
        db.session.remove()
        db.engine.dispose()


def _pg_worker_url() -> str:
    if not PG_URL:
        pytest.exit("ZONE_TEST_BACKEND=postgresql needs ZONE_TEST_DATABASE_URL", returncode=3)
    base = sa.engine.make_url(normalise_database_url(PG_URL))
    # ZONE_TEST_DB_TAG keeps parallel runs (several developers on one machine) apart.
    name = f"{base.database}_zone_{os.environ.get('ZONE_TEST_DB_TAG', '')}{_worker()}"
    try:
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
    except sa.exc.OperationalError as error:
        pytest.exit(f"PostgreSQL at {PG_URL} is unreachable: {error}", returncode=3)
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """The schema, built once per test session (per worker)."""
    if BACKEND == "postgresql":
        url = _pg_worker_url()
        _create_schema(url)
        return url
    path = tmp_path_factory.mktemp("schema") / "template.sqlite3"
    _create_schema(f"sqlite:///{path}")
    return path


_pg_engines: dict[str, sa.engine.Engine] = {}


def _empty_postgresql(url: str) -> None:
    """Every table emptied, every sequence restarted, the audit head seeded: a fresh database per test.

    As a superuser (the CI database) this deletes the rows with the triggers off (replica role): a few
    milliseconds for tables of a test's size. TRUNCATE, the other way, makes new files for every table and
    index each time and costs 10-20 times as much over the suite's 1,500 tests."""
    engine = _pg_engines.get(url) or _pg_engines.setdefault(url, sa.create_engine(url, poolclass=sa.pool.NullPool))
    with engine.begin() as conn:
        tables = [r[0] for r in conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"))]
        sequences = [r[0] for r in conn.execute(sa.text(
            "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'"))]
        if conn.exec_driver_sql("SELECT current_setting('is_superuser')").scalar() == "on":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            conn.exec_driver_sql("; ".join(f'DELETE FROM "{t}"' for t in tables))
            conn.exec_driver_sql("; ".join(f'ALTER SEQUENCE "{q}" RESTART' for q in sequences))
        elif tables:
            conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        conn.exec_driver_sql("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '')")


@pytest.fixture
def database_url(database_template, tmp_path):
    if BACKEND == "postgresql":
        _empty_postgresql(database_template)
        return database_template
    path = tmp_path / "zone.sqlite3"
    shutil.copyfile(database_template, path)
    return f"sqlite:///{path}"


# --- app --------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory):
    """A development signing identity shared by the session ."""
    from zone.certificates.signing import create_dev_signing_identity

    path = tmp_path_factory.mktemp("signing")
    create_dev_signing_identity(path)
    return path


@pytest.fixture
def app_overrides():
    """Override to change the app's config for a module or a test."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, signing_dir, app_overrides):
    from zone import create_app
    from zone.extensions import db

    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_DIR": tmp_path / "uploads",
        "MAIL_OUTBOX_DIR": tmp_path / "outbox",
        "SIGNING_P12_PATH": Path(signing_dir) / "signer.p12",
        "SIGNING_CA_PATH": Path(signing_dir) / "ca.pem",
        "DEV_NATIONAL_CA_DIR": Path(signing_dir) / "national-ca",
        "BASE_URL": "http://zone.test",
        "AUDIT_CHAIN_KEY": None,  # the key file below, created on first use as in development
        "AUDIT_CHAIN_KEY_FILE": tmp_path / "audit" / "chain.key",
        "AUDIT_ANCHOR_DIR": tmp_path / "anchors",
    }
    config.update(app_overrides)
    app = create_app("test", config)
    app.test_client_class = ClosingClient
    yield app
    ClosingClient.close_all(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class ClosingClient(FlaskClient):
    """The test client, keeping every response it gives until the test ends, then closing it: a file sent
    by the app (a document download) and the request body the client spooled to a temporary file (a large
    upload the app refused unread) are closed then, never left to the garbage collector (warnings fail
    the suite)."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        self.application.extensions.setdefault("zone_test_responses", []).append(response)
        return response

    @staticmethod
    def close_all(app) -> None:
        for response in app.extensions.pop("zone_test_responses", []):
            response.close()
            request = getattr(response, "request", None)
            body = request.environ.get("wsgi.input") if request is not None else None
            if body is not None and hasattr(body, "close"):
                body.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def outbox_dir(app):
    return Path(app.config["MAIL_OUTBOX_DIR"])


# --- data -------------------------------------------------------------------------------------------

def compute_bin(first_eleven: str) -> str | None:
    from zone.companies.taxid import bin_check_digit

    check = bin_check_digit(first_eleven)
    return None if check is None else first_eleven + str(check)


_bin_rng = random.Random(20260101)


def make_valid_bin() -> str:
    while True:
        candidate = compute_bin("".join(str(_bin_rng.randint(0, 9)) for _ in range(11)))
        if candidate:
            return candidate


@pytest.fixture
def valid_bin():
    return make_valid_bin


_counter = itertools.count(1)


@pytest.fixture
def make_company(app):
    from zone.companies.models import Company
    from zone.extensions import db

    def _make(**fields) -> Company:
        n = next(_counter)
        country = fields.pop("registration_country", "KZ")
        tax_id = fields.pop("tax_id", make_valid_bin() if country == "KZ" else f"{300000000 + n}")
        with app.app_context():
            company = Company(name=fields.pop("name", f"ТОО «Компания {n}»"), registration_country=country,
                              tax_id=tax_id, address=fields.pop("address", "г. Туркестан, ул. Тауке хана, 1"),
                              director_name=fields.pop("director_name", "Серікбаев Нұрлан Асқарұлы"),
                              phone=fields.pop("phone", "+7 725 331 00 00"), **fields)
            db.session.add(company)
            db.session.commit()
            db.session.refresh(company)
            db.session.expunge(company)
        return company

    return _make


@pytest.fixture
def make_user(app, make_company):
    from zone.accounts.models import User
    from zone.accounts.passwords import hash_password
    from zone.extensions import db

    def _make(role: str = "applicant", company=None, email: str | None = None, password: str = PASSWORD,
              **fields) -> User:
        n = next(_counter)
        if role == "applicant" and company is None:
            company = make_company()
        with app.app_context():
            user = User(email=email or f"{role}{n}@example.com", role=role,
                        company_id=company.id if role == "applicant" else None,
                        password_hash=hash_password(password), full_name=fields.pop("full_name", f"{role.title()} {n}"),
                        **fields)
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
        return user

    return _make


@pytest.fixture
def login(client):
    def _login(user, password: str = PASSWORD, the_client=None):
        c = the_client or client
        response = c.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.data[:500]
        return c

    return _login


@pytest.fixture
def login_as(make_user, login):
    """Create a user of ``role`` (or take a given user) and sign the test client in as them."""

    def _login_as(role_or_user="applicant", **kwargs):
        user = make_user(role_or_user, **kwargs) if isinstance(role_or_user, str) else role_or_user
        login(user)
        return user

    return _login_as


@pytest.fixture
def api_token(client):
    def _token(user, password: str = PASSWORD) -> dict:
        response = client.post("/api/v1/tokens", json={"email": user.email, "password": password})
        assert response.status_code == 201, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return _token


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def read_outbox(outbox_dir: Path) -> list[dict]:
    """The delivered mails (``.eml`` files) as dicts with to, subject and the decoded body."""
    from email import message_from_bytes, policy

    mails = []
    for path in sorted(Path(outbox_dir).glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        mails.append({"to": message["To"], "subject": message["Subject"], "body": message.get_content(),
                      "path": path})
    return mails


@pytest.fixture
def delivered_mail(app, outbox_dir):
    """Deliver the outbox now and return what was sent (see ``read_outbox``)."""

    def _deliver() -> list[dict]:
        from zone.mail.services import deliver_due

        with app.app_context():
            deliver_due()
        return read_outbox(outbox_dir)

    return _deliver
