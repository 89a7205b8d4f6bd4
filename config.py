"""Configuration, read from the environment.

Every setting has a safe development default except in production, where a random ``SECRET_KEY``, a
``DATABASE_URL`` and the public https ``ZONE_BASE_URL`` are required. See the configuration table in
README.md. The classes read the environment when this module is imported; ``create_app(name, overrides)``
checks the settings the application actually ends up with.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("ZONE_INSTANCE_DIR", BASE_DIR / "instance"))


class ConfigurationError(RuntimeError):
    """The settings cannot run this configuration; the message says what to set."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}") from None


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (_env(name, default) or "").split(",") if item.strip()]


# Published with the code, so it signs nothing real: production refuses it (and any short key).
DEV_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - development only, refused in production
MIN_SECRET_KEY_LENGTH = 32


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
    SECRET_KEY = _env("SECRET_KEY", DEV_SECRET_KEY)
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
    # Where stored files live: "local" (UPLOAD_DIR, one server) or "s3" (a bucket every app server shares;
    # credentials from boto3's usual chain: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, a role).
    STORAGE_BACKEND = _env("STORAGE_BACKEND", "local")
    S3_BUCKET = _env("S3_BUCKET")
    S3_PREFIX = _env("S3_PREFIX", "")
    S3_ENDPOINT_URL = _env("S3_ENDPOINT_URL")  # another S3-compatible store (MinIO, Ceph…); unset for AWS
    S3_REGION = _env("S3_REGION")
    # The public verification reads no more than a certificate can be (an issued one is about 40 KB).
    VERIFY_UPLOAD_MAX_KB = _env_int("VERIFY_UPLOAD_MAX_KB", 256)
    # Every uploaded PDF is parsed in a child process under these limits (zone.pdfcheck): address space
    # above the worker's own, CPU seconds, and the longest a request waits for the answer.
    PDF_CHECK_MEMORY_MB = _env_int("PDF_CHECK_MEMORY_MB", 256)
    PDF_CHECK_CPU_SECONDS = _env_int("PDF_CHECK_CPU_SECONDS", 1)
    # CPU time and memory stop a hostile file; the wall clock bounds a hung child and must leave a busy
    # machine room (a valid upload can wait for a core several times longer than it computes).
    PDF_CHECK_TIMEOUT_SECONDS = float(_env("PDF_CHECK_TIMEOUT_SECONDS", "10"))
    # Checking a countersigned agreement validates a chain and analyses every change since the zone signed:
    # more work than reading a certificate, still bounded (the same memory limit applies).
    COUNTERSIGN_CHECK_CPU_SECONDS = _env_int("COUNTERSIGN_CHECK_CPU_SECONDS", 10)
    COUNTERSIGN_CHECK_TIMEOUT_SECONDS = float(_env("COUNTERSIGN_CHECK_TIMEOUT_SECONDS", "20"))

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
    REGISTER_LIMIT_PER_IP = _env("REGISTER_LIMIT_PER_IP", "5 per minute;20 per hour")
    RESET_LIMIT_PER_IP = _env("RESET_LIMIT_PER_IP", "5 per minute;20 per hour")
    PUBLIC_LIMIT = _env("PUBLIC_LIMIT", "60 per minute")

    # Languages: Russian is the default; every user-visible string is translated.
    LANGUAGES = ("ru", "en", "kk", "uz")
    BABEL_DEFAULT_LOCALE = "ru"
    # The zone's time zone: the one "today" of the whole application (zone/calendar/clock.py) and the
    # times shown on pages.
    ZONE_TIMEZONE = _env("ZONE_TIMEZONE", "Asia/Almaty")
    BABEL_DEFAULT_TIMEZONE = ZONE_TIMEZONE

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

    # Notices to the tax and customs services (zone/notices): the delivery worker's limits. Receivers on
    # loopback, private or link-local addresses are refused unless their network is allow-listed here (CIDRs,
    # comma separated); development and tests also allow loopback for local receivers.
    NOTICES_ALLOWED_NETWORKS = _env_list("NOTICES_ALLOWED_NETWORKS")
    NOTICES_ALLOW_LOOPBACK = _env_bool("NOTICES_ALLOW_LOOPBACK", False)
    NOTICES_TIMEOUT = _env_int("NOTICES_TIMEOUT", 10)  # seconds per request, connection to last byte
    NOTICES_MAX_RESPONSE_BYTES = _env_int("NOTICES_MAX_RESPONSE_BYTES", 4096)
    NOTICES_WORKERS = _env_int("NOTICES_WORKERS", 8)  # receivers served at once; one per receiver at a time
    NOTICES_BATCH = _env_int("NOTICES_BATCH", 200)  # deliveries per receiver per round
    NOTICES_MAX_BACKOFF = _env_int("NOTICES_MAX_BACKOFF", 600)  # seconds between tries, at most
    NOTICES_FAILING_DAYS = _env_int("NOTICES_FAILING_DAYS", 1)  # failing this long: flagged to staff
    NOTICES_DEADLINE_WORKING_DAYS = _env_int("NOTICES_DEADLINE_WORKING_DAYS", 2)

    # The background worker (`flask worker`): seconds between its rounds, the longest wait after failures in a
    # row, how long a copy may hold a scheduled run before another takes it up, and when /healthz calls its
    # heartbeat stale (longer than the longest job: a copy beats between jobs).
    WORKER_INTERVAL = _env_int("WORKER_INTERVAL", 1)
    WORKER_MAX_BACKOFF = _env_int("WORKER_MAX_BACKOFF", 300)
    WORKER_JOB_LEASE = _env_int("WORKER_JOB_LEASE", 3600)
    WORKER_STALE_AFTER = _env_int("WORKER_STALE_AFTER", 300)

    # Deadlines, in working days of the application's side (zone/calendar: the side's public holidays and
    # transferred days, plus the overrides admins keep on the calendar page or with `flask calendar`).
    REVIEW_LIMIT_WORKING_DAYS = _env_int("REVIEW_LIMIT_WORKING_DAYS", 10)
    INFO_REQUEST_WORKING_DAYS = _env_int("INFO_REQUEST_WORKING_DAYS", 10)  # to answer a request without a date
    REPORT_REMINDER_DAYS = _env_int("REPORT_REMINDER_DAYS", 7)  # calendar days before a report is due

    # Certificate signing (PKCS#12). `make run` creates a development identity when none is set.
    SIGNING_P12_PATH = Path(_env("SIGNING_P12_PATH", str(INSTANCE_DIR / "signing" / "signer.p12")))
    SIGNING_P12_PASSPHRASE = _env("SIGNING_P12_PASSPHRASE", "")
    SIGNING_CA_PATH = Path(_env("SIGNING_CA_PATH", str(INSTANCE_DIR / "signing" / "ca.pem")))
    # RFC 3161 timestamp authority for every zone signature (PAdES B-T/B-LT); empty: no timestamp (B-B).
    # SIGNING_TSA_CA_PATH: the CA the TSA's certificate leads to, when it is not SIGNING_CA_PATH.
    SIGNING_TSA_URL = _env("SIGNING_TSA_URL", "")
    SIGNING_TSA_TIMEOUT = _env_int("SIGNING_TSA_TIMEOUT", 10)  # seconds per request to the TSA
    SIGNING_TSA_CA_PATH = _env("SIGNING_TSA_CA_PATH", "")
    SIGNATORY_NAME = _env("SIGNATORY_NAME", "А. Б. Исполнительный")
    SIGNATORY_TITLE = _env("SIGNATORY_TITLE", "Director of the ICIC Administration")

    # Audit trail: the chain's HMAC key, held outside the database (the text itself, or a file created
    # in development by `make run`), and where signed anchors of the chain head are published.
    AUDIT_CHAIN_KEY = _env("AUDIT_CHAIN_KEY")
    AUDIT_CHAIN_KEY_FILE = Path(_env("AUDIT_CHAIN_KEY_FILE", str(INSTANCE_DIR / "audit" / "chain.key")))
    AUDIT_ANCHOR_DIR = Path(_env("AUDIT_ANCHOR_DIR", str(INSTANCE_DIR / "anchors")))
    AUDIT_ANCHOR_MAIL_TO = _env_list("AUDIT_ANCHOR_MAIL_TO")  # besides every active auditor
    # The only signers an anchor is trusted from: certificate files or SHA-256 fingerprints (comma separated);
    # empty: the current signing certificate at SIGNING_P12_PATH. Keep the old one listed after a key rotation.
    AUDIT_ANCHOR_PINNED_CERTS = _env_list("AUDIT_ANCHOR_PINNED_CERTS")
    # Activity agreements: companies countersign with their qualified certificates. Production trusts only
    # the national CAs listed here (PEM or DER files, comma separated); development and tests also trust
    # the development national CA kept in DEV_NATIONAL_CA_DIR (`flask agreements demo-signer`).
    COMPANY_SIGNING_CA_PATHS = _env_list("COMPANY_SIGNING_CA_PATHS")
    TRUST_DEV_NATIONAL_CA = _env_bool("TRUST_DEV_NATIONAL_CA", True)
    DEV_NATIONAL_CA_DIR = Path(_env("DEV_NATIONAL_CA_DIR", str(INSTANCE_DIR / "national-ca")))
    AGREEMENT_UPLOAD_MAX_BYTES = MAX_UPLOAD_MB * 1024 * 1024

    PREFERRED_URL_SCHEME = "http"
    HSTS = False

    # Proxies in front of the app (nginx: 1) whose X-Forwarded-For / X-Forwarded-Proto are believed.
    # 0 believes none: a client could otherwise claim any address and escape its rate limit.
    TRUSTED_PROXY_HOPS = _env_int("TRUSTED_PROXY_HOPS", 0)

    # Observability (README, "Observability"): log lines as text or one JSON object each, and their level;
    # who may scrape /metrics (a bearer token, and/or addresses or networks; neither: nobody); the directory
    # prometheus_client shares between gunicorn's workers is PROMETHEUS_MULTIPROC_DIR, read by the library
    # itself; error reports to Sentry only when SENTRY_DSN is set.
    LOG_FORMAT = (_env("LOG_FORMAT", "text") or "text").lower()
    LOG_LEVEL = (_env("LOG_LEVEL", "INFO") or "INFO").upper()
    METRICS_TOKEN = _env("METRICS_TOKEN", "")
    METRICS_ALLOW = _env_list("METRICS_ALLOW")
    SENTRY_DSN = _env("SENTRY_DSN", "")
    SENTRY_RELEASE = _env("SENTRY_RELEASE", "")
    SENTRY_ENVIRONMENT = _env("SENTRY_ENVIRONMENT", "")  # default: ZONE_ENV

    @classmethod
    def check(cls, config: Mapping[str, Any]) -> None:
        """Refuse settings no environment can run with (the effective ones, after overrides)."""
        hops = config.get("TRUSTED_PROXY_HOPS")
        if not isinstance(hops, int) or isinstance(hops, bool) or hops < 0:
            raise ConfigurationError(f"TRUSTED_PROXY_HOPS must be a whole number of proxies (0 or more), not {hops!r}")
        backend = config.get("STORAGE_BACKEND")
        if backend not in ("local", "s3"):
            raise ConfigurationError(f"STORAGE_BACKEND must be local or s3, not {backend!r}")
        if backend == "s3" and not config.get("S3_BUCKET"):
            raise ConfigurationError("STORAGE_BACKEND=s3 needs S3_BUCKET, the bucket the stored files go to")
        if config.get("LOG_FORMAT") not in ("text", "json"):
            raise ConfigurationError(f"LOG_FORMAT must be text or json, not {config.get('LOG_FORMAT')!r}")
        if config.get("LOG_LEVEL") not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ConfigurationError("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, "
                                     f"not {config.get('LOG_LEVEL')!r}")
        for entry in config.get("METRICS_ALLOW") or ():
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ConfigurationError(f"METRICS_ALLOW holds {entry!r}, which is no address or network") from None


class DevelopmentConfig(Config):
    """For trying zone out on one machine (``make run``): it says so at start-up and on every page."""

    ENV_NAME = "development"
    DEBUG = False  # the debugger would show stack traces; `flask run --debug` turns it on by hand
    NOTICES_ALLOW_LOOPBACK = _env_bool("NOTICES_ALLOW_LOOPBACK", True)  # local test receivers


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
    NOTICES_ALLOW_LOOPBACK = True  # the tests' receivers listen on 127.0.0.1
    NOTICES_TIMEOUT = 2


class ProductionConfig(Config):
    ENV_NAME = "production"
    # No development fallbacks: what is not set is refused by check().
    SECRET_KEY = _env("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = normalise_database_url(_env("DATABASE_URL", ""))
    BASE_URL = _env("ZONE_BASE_URL", "")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True
    MAIL_BACKEND = _env("MAIL_BACKEND", "smtp")
    TRUST_DEV_NATIONAL_CA = False  # production trusts COMPANY_SIGNING_CA_PATHS only
    LOG_FORMAT = (_env("LOG_FORMAT", "json") or "json").lower()  # one JSON object per line for the collector

    @classmethod
    def check(cls, config: Mapping[str, Any]) -> None:
        """Refuse to start with a published or short secret, no database or no public https address."""
        super().check(config)
        problems = []
        secret = config.get("SECRET_KEY") or ""
        if not secret:
            problems.append("SECRET_KEY is not set")
        elif secret == DEV_SECRET_KEY:
            problems.append("SECRET_KEY is the development key published with the code")
        elif len(secret) < MIN_SECRET_KEY_LENGTH:
            problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters")
        if problems:
            problems[-1] += (f"; set it to a random value of at least {MIN_SECRET_KEY_LENGTH} characters, e.g. "
                             "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'")
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            problems.append("DATABASE_URL is not set (e.g. postgresql://zone:…@db-host/zone)")
        base_url = config.get("BASE_URL") or ""
        if not base_url.startswith("https://"):
            problems.append("ZONE_BASE_URL must be the public https:// address of zone (it goes into mails, "
                            f"QR codes and certificates), not {base_url!r}")
        chain_key, chain_key_file = config.get("AUDIT_CHAIN_KEY") or "", config.get("AUDIT_CHAIN_KEY_FILE")
        if not (len(chain_key) >= 32 if chain_key else chain_key_file and Path(chain_key_file).is_file()):
            problems.append("AUDIT_CHAIN_KEY (at least 32 characters) or AUDIT_CHAIN_KEY_FILE (an existing key "
                            "file) must be set: the audit chain's key, kept outside the database")
        metrics_token = config.get("METRICS_TOKEN") or ""
        if metrics_token and len(metrics_token) < MIN_SECRET_KEY_LENGTH:
            problems.append(f"METRICS_TOKEN is shorter than {MIN_SECRET_KEY_LENGTH} characters (anyone who guesses "
                            "it reads /metrics); leave it empty or make it random")
        if problems:
            raise ConfigurationError("Refusing to start in production: " + "; ".join(problems))


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
        raise ConfigurationError(f"Unknown ZONE_ENV {name!r}; use one of {', '.join(CONFIGS)}") from None
