"""What every benchmark sets up: its database (SQLite file or a fresh PostgreSQL database), the app with
benchmark settings, the schema, a signing identity, and an API token for a seeded user."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import sqlalchemy as sa

from config import normalise_database_url


def database_url(size: int, workdir: Path, suffix: str = "") -> str:
    base = os.environ.get("ZONE_BENCH_DATABASE_URL")
    if not base:
        return f"sqlite:///{workdir / f'bench-{size}{suffix}.sqlite3'}"
    url = sa.engine.make_url(normalise_database_url(base))
    name = f"zone_bench_{size}{suffix}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def make_app(url: str, workdir: Path, **overrides):
    from zone import create_app

    config = {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(url), "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False, "UPLOAD_DIR": workdir / "uploads", "MAIL_OUTBOX_DIR": workdir / "outbox",
        "SIGNING_P12_PATH": workdir / "signing" / "signer.p12", "SIGNING_CA_PATH": workdir / "signing" / "ca.pem",
        "BASE_URL": "http://127.0.0.1:5000", **overrides,
    }
    app = create_app("development", config)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    return app


def create_schema(app) -> None:
    from zone.extensions import db

    with app.app_context():
        db.create_all()


def signing_identity(workdir: Path) -> None:
    from zone.certificates.signing import create_dev_signing_identity

    (workdir / "signing").mkdir(parents=True, exist_ok=True)
    create_dev_signing_identity(workdir / "signing")


def token(app, email: str) -> dict:
    from sqlalchemy import select

    from zone.accounts.models import User
    from zone.accounts.services import issue_api_token
    from zone.extensions import db

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        token, _row = issue_api_token(user)
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}
