"""Configuration, read from the environment.

Every setting has a safe development default except in production, where a real ``SECRET_KEY`` and a
``DATABASE_URL`` are required. See the configuration table in README.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("ZONE_INSTANCE_DIR", BASE_DIR / "instance"))


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value is not None else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (_env(name, default) or "").split(",") if item.strip()]


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (SQLAlchemy would pick psycopg2)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = _env("SECRET_KEY", "dev-only-insecure-secret-key")
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'zone.sqlite3'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    # Where the public links in emails, QR codes and certificates point.
    BASE_URL = _env("ZONE_BASE_URL", "http://127.0.0.1:5000")

    # Sessions and cookies
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "zone_session"
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=_env_int("SESSION_IDLE_MINUTES", 30))
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)

    # Forms and CSRF
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session: long forms on slow links

    # Uploads
    MAX_UPLOAD_MB = _env_int("MAX_UPLOAD_MB", 10)
    MAX_CONTENT_LENGTH = (MAX_UPLOAD_MB + 1) * 1024 * 1024  # the multipart envelope needs a margin
    UPLOAD_DIR = Path(_env("UPLOAD_DIR", str(INSTANCE_DIR / "uploads")))

    # Password hashing (argon2id); tests lower the cost.
    ARGON2_TIME_COST = _env_int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = _env_int("ARGON2_MEMORY_COST", 65536)
    ARGON2_PARALLELISM = _env_int("ARGON2_PARALLELISM", 2)
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_RESET_MAX_AGE = 3600
    API_TOKEN_TTL_HOURS = _env_int("API_TOKEN_TTL_HOURS", 24)
    INVITATION_MAX_AGE_HOURS = _env_int("INVITATION_MAX_AGE_HOURS", 72)

    # Throttling (Flask-Limiter). Use a shared store (e.g. redis://) with several workers.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_IP = _env("LOGIN_LIMIT_PER_IP", "20 per minute;200 per hour")
    LOGIN_LIMIT_PER_ACCOUNT = _env("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute;30 per hour")
    PUBLIC_LIMIT = _env("PUBLIC_LIMIT", "60 per minute")

    # Languages: Russian is the default; every user-visible string is translated.
    LANGUAGES = ("ru", "en", "kk", "uz")
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = _env("ZONE_TIMEZONE", "Asia/Almaty")

    # Mail: development writes .eml files to MAIL_OUTBOX_DIR; production sends over SMTP.
    MAIL_BACKEND = _env("MAIL_BACKEND", "file")  # file | smtp
    MAIL_OUTBOX_DIR = Path(_env("MAIL_OUTBOX_DIR", str(INSTANCE_DIR / "outbox")))
    MAIL_SERVER = _env("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 10)
    MAIL_DEFAULT_SENDER = _env("MAIL_DEFAULT_SENDER", "ICIC Central Asia <no-reply@icic.local>")
    MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 8)  # then logged as an error; still retried
    MAIL_MAX_BACKOFF = _env_int("MAIL_MAX_BACKOFF", 3600)

    # Review deadlines (working days; weekends and these holidays excluded).
    REVIEW_LIMIT_WORKING_DAYS = _env_int("REVIEW_LIMIT_WORKING_DAYS", 10)
    HOLIDAYS = _env_list("ZONE_HOLIDAYS")  # ISO dates, comma separated

    # Certificate signing (PKCS#12). `make run` creates a development identity when none is set.
    SIGNING_P12_PATH = Path(_env("SIGNING_P12_PATH", str(INSTANCE_DIR / "signing" / "signer.p12")))
    SIGNING_P12_PASSPHRASE = _env("SIGNING_P12_PASSPHRASE", "")
    SIGNING_CA_PATH = Path(_env("SIGNING_CA_PATH", str(INSTANCE_DIR / "signing" / "ca.pem")))
    SIGNATORY_NAME = _env("SIGNATORY_NAME", "А. Б. Исполнительный")
    SIGNATORY_TITLE = _env("SIGNATORY_TITLE", "Director of the ICIC Administration")

    # Activity agreements: companies countersign with their qualified certificates. Production trusts only
    # the national CAs listed here (PEM or DER files, comma separated); development and tests also trust
    # the development national CA kept in DEV_NATIONAL_CA_DIR (`flask agreements demo-signer`).
    COMPANY_SIGNING_CA_PATHS = _env_list("COMPANY_SIGNING_CA_PATHS")
    TRUST_DEV_NATIONAL_CA = _env_bool("TRUST_DEV_NATIONAL_CA", True)
    DEV_NATIONAL_CA_DIR = Path(_env("DEV_NATIONAL_CA_DIR", str(INSTANCE_DIR / "national-ca")))
    AGREEMENT_UPLOAD_MAX_BYTES = MAX_UPLOAD_MB * 1024 * 1024

    PREFERRED_URL_SCHEME = "http"
    HSTS = False


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = False  # the debugger would show stack traces; `flask run --debug` turns it on by hand


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    MAIL_BACKEND = "file"
    SERVER_NAME = None


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True
    MAIL_BACKEND = _env("MAIL_BACKEND", "smtp")
    TRUST_DEV_NATIONAL_CA = False  # production trusts COMPANY_SIGNING_CA_PATHS only

    @classmethod
    def check(cls) -> None:
        """Refuse to start with the development secret or no database configured."""
        secret = _env("SECRET_KEY")
        if not secret or secret == Config.SECRET_KEY or len(secret) < 32:
            raise RuntimeError("SECRET_KEY must be set to a random value of at least 32 characters")
        if not _env("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    name = name or _env("ZONE_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"Unknown ZONE_ENV {name!r}; use one of {', '.join(CONFIGS)}") from None
