"""Wire the cross-cutting web concerns into the app."""

from __future__ import annotations

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from zone.web import errors, formatting, security, static_files
from zone.web.forms import install_safe_formdata, install_text_rules
from zone.web.i18n import LANGUAGE_NAMES
from zone.web.navigation import menu_for


def _endpoint_exists(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def _lang_url(code: str) -> str:
    nxt = request.full_path if request.query_string else request.path
    return url_for("web.set_language", code=code, next=nxt)


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    install_safe_formdata()
    install_text_rules()
    errors.init_app(app)
    security.init_app(app)
    formatting.init_app(app)
    static_files.init_app(app)

    @app.context_processor
    def _globals():
        from zone.accounts.roles import Role, role_label
        from zone.vocabulary import SIDE_SHORT_LABELS

        return {
            "current_locale": str(get_locale()),
            "language_names": LANGUAGE_NAMES,
            "languages": app.config["LANGUAGES"],
            "lang_url": _lang_url,
            "endpoint_exists": _endpoint_exists,
            "Role": Role,
            "role_label": role_label,
            "side_short": SIDE_SHORT_LABELS,  # a side in a filter's list: words, the code in brackets
            "main_menu": lambda: menu_for(current_user, _endpoint_exists),
            # make run serves the development configuration: every page says it is not for real use
            "development_notice": app.config["ENV_NAME"] == "development",
        }
