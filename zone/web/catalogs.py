"""Translation catalogs, one per domain: extract, update, compile and check.

A domain's messages come from ``zone/<domain>/`` (Python) and ``templates/<domain>/`` (Jinja, including
``templates/<domain>/mail/*.txt``); the ``web`` domain also owns the top-level templates (base layout,
macros, error pages), ``config.py`` and the shared vocabulary (``zone/vocabulary.py``). Message ids are
English; the ``en`` catalog copies them, ``ru`` must translate every one, ``kk`` and ``uz`` must hold every
one (untranslated entries fall back to English).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from zone.web.i18n import TEMPLATES_DIR, ZONE_DIR

LOCALES = ("ru", "en", "kk", "uz")
COMPLETE_LOCALES = ("ru", "en")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
PY_MAP = [("**.py", "python")]
JINJA_MAP = [("**.html", "jinja2"), ("**.txt", "jinja2")]
JINJA_OPTIONS = {"**.html": {"extensions": "jinja2.ext.do"}, "**.txt": {"extensions": "jinja2.ext.do"}}


def _sources(domain: str) -> list[tuple[Path, list, dict]]:
    sources = [(ZONE_DIR / domain, PY_MAP, {})]
    if (TEMPLATES_DIR / domain).is_dir():
        sources.append((TEMPLATES_DIR / domain, JINJA_MAP, JINJA_OPTIONS))
    if domain == "web":
        sources.append((ZONE_DIR.parent / "config.py", PY_MAP, {}))
        sources.append((ZONE_DIR / "vocabulary.py", PY_MAP, {}))
        sources.append((TEMPLATES_DIR, [("*.html", "jinja2"), ("errors/**.html", "jinja2")], JINJA_OPTIONS))
    return sources


def extract(domain: str) -> Catalog:
    """All translatable messages of a domain as a fresh template catalog."""
    template = Catalog(project="zone", charset="utf-8")
    for path, method_map, options in _sources(domain):
        if path.is_file():
            from babel.messages.extract import extract_from_file

            found = ((path.name, lineno, msg, comments, ctx)
                     for lineno, msg, comments, ctx in extract_from_file("python", str(path), KEYWORDS))
        else:
            found = extract_from_dir(str(path), method_map, options, KEYWORDS)
        for filename, lineno, message, comments, context in found:
            template.add(message, None, [(str(filename), lineno)], auto_comments=comments, context=context)
    return template


def po_path(domain: str, locale: str) -> Path:
    return ZONE_DIR / domain / "translations" / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, locale: str) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def update(domain: str) -> None:
    """Bring every locale's catalog of ``domain`` in line with the code (new entries untranslated)."""
    template = extract(domain)
    for locale in LOCALES:
        path = po_path(domain, locale)
        catalog = read_catalog(path, locale) if path.exists() else Catalog(locale=locale, project="zone")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if locale == "en":
            for message in catalog:
                if isinstance(message.id, (list, tuple)):
                    if not all(message.string or ()):
                        message.string = tuple(message.id[:1]) + tuple(message.id[1:]) * (
                            max(1, catalog.num_plurals) - 1)
                elif message.id and not message.string:
                    message.string = message.id
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = BytesIO()
        write_po(buffer, catalog, width=100, omit_header=False, sort_output=False, include_previous=False)
        path.write_bytes(buffer.getvalue())


def compile_all() -> int:
    count = 0
    for po in ZONE_DIR.glob("*/translations/*/LC_MESSAGES/messages.po"):
        locale = po.parent.parent.name
        catalog = read_catalog(po, locale)
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with mo.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        count += 1
    return count


def problems(domain: str) -> list[str]:
    """Everything wrong with a domain's catalogs: missing entries, untranslated or fuzzy ones, bad
    placeholders. Empty when the catalogs are complete."""
    found: list[str] = []
    template = extract(domain)
    wanted = {m.id for m in template if m.id}
    for locale in LOCALES:
        path = po_path(domain, locale)
        if not path.exists():
            if wanted:
                found.append(f"{domain}/{locale}: catalog missing ({path})")
            continue
        catalog = read_catalog(path, locale)
        have = {m.id: m for m in catalog if m.id}
        for msgid in sorted(wanted - set(have), key=str):
            found.append(f"{domain}/{locale}: missing {msgid!r}")
        if locale in COMPLETE_LOCALES:
            for msgid in sorted(wanted & set(have), key=str):
                message = have[msgid]
                strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
                if not all(strings) or message.fuzzy:
                    found.append(f"{domain}/{locale}: untranslated {msgid!r}")
        for message, errors in catalog.check():
            for error in errors:
                found.append(f"{domain}/{locale}: {message.id!r}: {error}")
    return found


def conflicts() -> list[str]:
    """Messages that two domains translate differently.

    Flask-Babel merges every domain's catalog into one, so only one translation of a shared message id
    can win; a page would silently show the other domain's wording. Shared ids must read the same
    everywhere; a word that means different things needs different ids.
    """
    from zone.web.i18n import catalog_domains

    found: list[str] = []
    for locale in LOCALES:
        seen: dict[str, dict[str, list[str]]] = {}
        for domain in catalog_domains():
            path = po_path(domain, locale)
            if not path.exists():
                continue
            for message in read_catalog(path, locale):
                if message.id and message.string:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    text = message.string if isinstance(message.string, str) else message.string[0]
                    seen.setdefault(key, {}).setdefault(text, []).append(domain)
        for msgid, versions in seen.items():
            if len(versions) > 1:
                detail = "; ".join(f"{', '.join(ds)}: {text!r}" for text, ds in versions.items())
                found.append(f"{locale}: {msgid!r} is translated differently ({detail})")
    return found
