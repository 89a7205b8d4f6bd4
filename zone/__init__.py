"""zone: the resident management system of the ICIC "Central Asia".

``create_app()`` builds the application from a short list of ``register_*`` steps. Each business domain
is a package under ``zone/`` (listed in ``DOMAINS``, which the translation catalogs follow) with its
``models``, ``routes`` (HTML blueprint ``bp``), ``api`` (JSON blueprint ``api_bp`` under ``/api/v1``) and
``cli`` (``register(app)``); ``register_*`` names each of them, so a missing or misnamed one fails at
start-up instead of vanishing.
"""

from __future__ import annotations

import logging

from flask import Flask

from config import INSTANCE_DIR, DevelopmentConfig, get_config, normalise_database_url

log = logging.getLogger(__name__)

# The domains with translation catalogs, foundation first, then the business domains.
DOMAINS = (
    "web",
    "accounts",
    "companies",
    "audit",
    "mail",
    "calendar",
    "applications",
    "rates",
    "eligibility",
    "review",
    "certificates",
    "agreements",
    "esign",
    "reports",
    "compliance",
    "notices",
    "cooperation",
    "figures",
    "registers",
    "sites",
    "api",
    "demo",
)


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    config_class = get_config(config_name)
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(INSTANCE_DIR),
    )
    from zone.web.converters import DatabaseIdConverter

    app.url_map.converters["int"] = DatabaseIdConverter  # before any blueprint adds its rules
    app.config.from_object(config_class)
    if overrides:
        app.config.update(overrides)
    config_class.check(app.config)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    register_logging(app)
    register_proxy(app)
    register_extensions(app)
    register_models()
    register_blueprints(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    """Log lines (text, or JSON with the request id, user and route), metrics of every request, and error
    reports when ``SENTRY_DSN`` is set; first, so every later hook's lines carry the request id."""
    from zone.observability import errors, logs, metrics

    logs.init_app(app)
    metrics.init_app(app)
    errors.init_app(app)
    if app.config["ENV_NAME"] == DevelopmentConfig.ENV_NAME:
        log.warning("DEVELOPMENT CONFIGURATION: not for real use (no secure cookies, no HSTS; its defaults publish "
                    "the secret key and write mail to files). Run real deployments with ZONE_ENV=production.")


def register_proxy(app: Flask) -> None:
    """Behind ``TRUSTED_PROXY_HOPS`` proxies, take the client's address and scheme from their headers.

    Everything that asks for the client (rate limits, the audit trail's ``ip``, ``request.is_secure``,
    generated URLs) then sees the visitor instead of the proxy. Headers are believed only for the
    configured number of hops, counted from the app: a client's own ``X-Forwarded-For`` is never taken.
    """
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def register_extensions(app: Flask) -> None:
    from zone import database
    from zone.extensions import babel, csrf, db, limiter, login_manager, migrate
    from zone.storage import services as storage
    from zone.web import i18n

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=i18n.select_timezone,
        default_translation_directories=";".join(i18n.translation_directories()),
    )
    limiter.init_app(app)
    storage.init_app(app)


def register_models() -> None:
    """Import every domain's models so that SQLAlchemy and Alembic see the whole schema."""
    from zone.accounts import models as _accounts  # noqa: F401
    from zone.agreements import models as _agreements  # noqa: F401
    from zone.applications import models as _applications  # noqa: F401
    from zone.audit import models as _audit  # noqa: F401
    from zone.calendar import models as _calendar  # noqa: F401
    from zone.certificates import models as _certificates  # noqa: F401
    from zone.companies import models as _companies  # noqa: F401
    from zone.companies import records as _company_records  # noqa: F401
    from zone.compliance import models as _compliance  # noqa: F401
    from zone.cooperation import models as _cooperation  # noqa: F401
    from zone.eligibility import models as _eligibility  # noqa: F401
    from zone.events import models as _events  # noqa: F401
    from zone.figures import models as _figures  # noqa: F401
    from zone.mail import models as _mail  # noqa: F401
    from zone.notices import models as _notices  # noqa: F401
    from zone.rates import models as _rates  # noqa: F401
    from zone.reports import models as _reports  # noqa: F401
    from zone.review import models as _review  # noqa: F401
    from zone.sites import models as _sites  # noqa: F401
    from zone.worker import models as _worker  # noqa: F401


def register_blueprints(app: Flask) -> None:
    """Every page blueprint and every JSON blueprint, named one by one: a missing one fails here."""
    from zone.accounts import api as accounts_api
    from zone.accounts import hooks as accounts_hooks
    from zone.accounts import routes as accounts_routes
    from zone.agreements import api as agreements_api
    from zone.agreements import hooks as agreements_hooks
    from zone.agreements import routes as agreements_routes
    from zone.api import api as meta_api
    from zone.api import hooks as api_hooks
    from zone.applications import api as applications_api
    from zone.applications import document_routes as _application_documents  # noqa: F401  (views on its bp)
    from zone.applications import hooks as applications_hooks
    from zone.applications import routes as applications_routes
    from zone.applications import section_routes as _application_sections  # noqa: F401  (views on its bp)
    from zone.audit import api as audit_api
    from zone.audit import hooks as audit_hooks
    from zone.audit import routes as audit_routes
    from zone.calendar import routes as calendar_routes
    from zone.certificates import api as certificates_api
    from zone.certificates import api_public as _certificates_api_public  # noqa: F401  (views on its api_bp)
    from zone.certificates import hooks as certificates_hooks
    from zone.certificates import public as _certificates_public  # noqa: F401  (views on its bp)
    from zone.certificates import routes as certificates_routes
    from zone.companies import routes as companies_routes
    from zone.compliance import api as compliance_api
    from zone.compliance import hooks as compliance_hooks
    from zone.compliance import routes as compliance_routes
    from zone.cooperation import api as cooperation_api
    from zone.cooperation import routes as cooperation_routes
    from zone.eligibility import api as eligibility_api
    from zone.eligibility import routes as eligibility_routes
    from zone.extensions import csrf
    from zone.figures import api as figures_api
    from zone.figures import hooks as figures_hooks
    from zone.figures import routes as figures_routes
    from zone.mail import hooks as mail_hooks
    from zone.notices import api as notices_api
    from zone.notices import hooks as notices_hooks
    from zone.notices import routes as notices_routes
    from zone.observability import routes as observability_routes
    from zone.registers import api as registers_api
    from zone.registers import routes as registers_routes
    from zone.reports import api as reports_api
    from zone.reports import hooks as reports_hooks
    from zone.reports import routes as reports_routes
    from zone.review import api as review_api
    from zone.review import hooks as review_hooks
    from zone.review import routes as review_routes
    from zone.sites import api as sites_api
    from zone.sites import hooks as sites_hooks
    from zone.sites import routes as sites_routes
    from zone.web import hooks as web_hooks
    from zone.web import routes as web_routes

    for pages in (web_routes, accounts_routes, companies_routes, audit_routes, calendar_routes,
                  applications_routes, eligibility_routes, review_routes, certificates_routes,
                  agreements_routes, reports_routes, compliance_routes, notices_routes, registers_routes,
                  cooperation_routes, figures_routes, sites_routes, observability_routes):
        app.register_blueprint(pages.bp)
    for api in (accounts_api, audit_api, applications_api, eligibility_api, review_api, certificates_api,
                agreements_api, reports_api, compliance_api, notices_api, registers_api, cooperation_api,
                figures_api, sites_api, meta_api):
        csrf.exempt(api.api_bp)  # the API authenticates with bearer tokens, never cookies
        app.register_blueprint(api.api_bp)
    for hooks in (web_hooks, accounts_hooks, audit_hooks, mail_hooks, applications_hooks, review_hooks,
                  certificates_hooks, reports_hooks, api_hooks, agreements_hooks, compliance_hooks, notices_hooks,
                  figures_hooks, sites_hooks):
        hooks.init_app(app)


def register_commands(app: Flask) -> None:
    from zone.accounts import cli as accounts_cli
    from zone.agreements import cli as agreements_cli
    from zone.audit import cli as audit_cli
    from zone.backup import cli as backup_cli
    from zone.calendar import cli as calendar_cli
    from zone.certificates import cli as certificates_cli
    from zone.compliance import cli as compliance_cli
    from zone.demo import cli as demo_cli
    from zone.eligibility import cli as eligibility_cli
    from zone.mail import cli as mail_cli
    from zone.notices import cli as notices_cli
    from zone.rates import cli as rates_cli
    from zone.reports import cli as reports_cli
    from zone.sites import cli as sites_cli
    from zone.storage import cli as storage_cli
    from zone.web import cli as web_cli
    from zone.worker import cli as worker_cli

    for cli in (web_cli, accounts_cli, audit_cli, mail_cli, calendar_cli, rates_cli, eligibility_cli,
                certificates_cli, agreements_cli, reports_cli, compliance_cli, notices_cli, demo_cli, worker_cli,
                storage_cli, backup_cli, sites_cli):
        cli.register(app)
