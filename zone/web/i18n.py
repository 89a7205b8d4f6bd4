"""Language and time zone selection, and the translation catalogs of every domain.

Each domain keeps its own catalog in ``zone/<domain>/translations`` (messages extracted from its Python
code and from ``templates/<domain>``); Flask-Babel merges them. Message ids are English.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app, has_request_context, request, session
from flask_login import current_user

ZONE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ZONE_DIR.parent / "templates"

LANGUAGE_NAMES = {"ru": "Русский", "en": "English", "kk": "Қазақша", "uz": "Oʻzbekcha"}


def catalog_domains() -> list[str]:
    """Domains that own a translation catalog (a ``translations`` folder in their package)."""
    return sorted(p.parent.name for p in ZONE_DIR.glob("*/translations") if p.is_dir())


def translation_directories() -> list[str]:
    return [str(ZONE_DIR / domain / "translations") for domain in catalog_domains()]


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        # Operators read command output in English; mail is rendered with force_locale per recipient.
        return "en" if click.get_current_context(silent=True) else current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang")
    if chosen in languages:
        return chosen
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated:
        locale = getattr(current_user, "locale", None)
        if locale in languages:
            return locale
    best = request.accept_languages.best_match(languages)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
