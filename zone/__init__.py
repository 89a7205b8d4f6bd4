"""zone: the resident management system of the ICIC "Central Asia".

``create_app()`` builds the application from a short list of ``register_*`` steps. Each business domain
is a package under ``zone/`` (see ``DOMAINS``) that may provide ``models``, ``routes`` (HTML blueprint
``bp``), ``api`` (JSON blueprint ``api_bp`` under ``/api/v1``) and ``cli`` (``register(app)``).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging

from flask import Flask

from config import INSTANCE_DIR, DevelopmentConfig, get_config, normalise_database_url

log = logging.getLogger(__name__)

# Order matters only for readability: foundation first, then the business domains.
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
    "registers",
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


def _domain_module(domain: str, name: str):
    module_name = f"zone.{domain}.{name}"
    if importlib.util.find_spec(f"zone.{domain}") is None:
        return None
    if importlib.util.find_spec(module_name) is None:
        return None
    return importlib.import_module(module_name)


def register_logging(app: Flask) -> None:
    if not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
        logging.getLogger("alembic").setLevel(logging.WARNING)
        logging.getLogger("weasyprint").setLevel(logging.WARNING)
        logging.getLogger("fontTools").setLevel(logging.WARNING)
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


def register_models() -> None:
    """Import every domain's models so that SQLAlchemy and Alembic see the whole schema."""
    for domain in DOMAINS:
        _domain_module(domain, "models")


def register_blueprints(app: Flask) -> None:
    from zone.extensions import csrf

    for domain in DOMAINS:
        routes = _domain_module(domain, "routes")
        if routes is not None and hasattr(routes, "bp"):
            app.register_blueprint(routes.bp)
        api = _domain_module(domain, "api")
        if api is not None and hasattr(api, "api_bp"):
            csrf.exempt(api.api_bp)  # the API authenticates with bearer tokens, never cookies
            app.register_blueprint(api.api_bp)
    for domain in DOMAINS:
        hooks = _domain_module(domain, "hooks")
        if hooks is not None:
            hooks.init_app(app)


def register_commands(app: Flask) -> None:
    for domain in DOMAINS:
        cli = _domain_module(domain, "cli")
        if cli is not None:
            cli.register(app)
