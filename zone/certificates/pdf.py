"""Render a residency certificate to PDF with WeasyPrint.

The certificate is rendered from a plain dict (no model objects) through a *sandboxed*
Jinja environment with autoescaping, so company-supplied text is always data: it can neither
reach Python objects nor inject markup. WeasyPrint reads nothing but the bundled fonts
(see :mod:`zone.certificates.fetcher`). The stylesheet is parsed and the fonts are loaded
once per process; a render only lays out the page. :class:`SandboxedDocument` is that machinery
for any document of the zone (the activity agreement uses it too), sharing the fonts and the lock.

Context accepted by :func:`render_certificate_pdf` (dates as ``date``/``datetime`` or ISO
strings)::

    {
        "serial": "ICIC-KZ-2026-000042",
        "side": "KZ",                           # or "UZ"
        "company": {"name": ..., "tax_id": ..., "address": ...},
        "activity_codes": ["22.21", "25.11"],
        "issued_at": date, "valid_from": date, "valid_until": date,
        "benefits": [{"code": "KZ_CIT",
                      "periods": [{"from": date, "until": date, "reduction_pct": 100}],
                      # optional overrides of zone.certificates.wording:
                      "title_ru": ..., "title_en": ...,
                      "legal_basis_ru": ..., "legal_basis_en": ...}],
        "signatory": {"name": ..., "title_ru": ..., "title_en": ...},
        "verify_url": "https://.../verify/<token>",
        "third_language": "kk",                 # optional: "kk", "uz" or None;
    }                                           # default: kk for KZ, uz for UZ
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from datetime import date, datetime
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from zone.certificates import wording
from zone.certificates.fetcher import FONTS_DIR, BundledFontFetcher
from zone.certificates.qr import qr_svg

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "certificates"
TEMPLATE_NAME = "certificate_pdf.html"
STYLESHEET_PATH = TEMPLATE_DIR / "certificate_pdf.css"

# Bidirectional controls can make a name read differently from what is stored; they are
# printed visibly instead (a legitimate right-to-left name needs none of them).
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_MAX_FIELD_CHARS = 4000

# WeasyPrint shares Pango/fontconfig state through the FontConfiguration: one render at a time.
_render_lock = threading.Lock()
# WeasyPrint logs every rendering step at INFO; one issuance would write six lines to the app log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class CertificateContextError(ValueError):
    """The context lacks a field the certificate must print, or has an impossible value."""


def plain(value: Any) -> str:
    """Return caller-supplied text as one printable line.

    Control characters become spaces, bidirectional controls are shown as ``[U+202E]``,
    runs of whitespace collapse, and text past 4,000 characters is cut (no real name or
    address comes near). HTML escaping is left to the template's autoescape.
    """
    text = "" if value is None else str(value)
    out = []
    for char in text[:_MAX_FIELD_CHARS]:
        if char in _BIDI_CONTROLS:
            out.append(f"[U+{ord(char):04X}]")
        elif unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            out.append(" ")
        else:
            out.append(char)
    return " ".join("".join(out).split())


def format_date(value: date | datetime | str | None) -> str:
    """Return ``DD.MM.YYYY``, the date form used in both languages of the certificate.

    A ``datetime`` is printed as its own calendar date: pass it in the zone's time, not UTC.
    """
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError as exc:
            raise CertificateContextError(f"not an ISO date: {value[:40]!r}") from exc
    return value.strftime("%d.%m.%Y")


def format_pct(value: Any) -> str:
    """Return a reduction percentage as ``100 %`` (``—`` when there is none)."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise CertificateContextError(f"not a percentage: {str(value)[:40]!r}") from exc
    return f"{number:g} %"


def _benefit(raw: dict) -> dict:
    code = plain(raw.get("code"))
    defaults = wording.benefit_wording(code)
    texts = {key: plain(raw.get(key) or default) for key, default in defaults.items()}
    periods = [
        {
            "start": format_date(period.get("from")),
            "end": format_date(period.get("until")),
            "reduction": format_pct(period.get("reduction_pct")),
        }
        for period in raw.get("periods") or ()
    ]
    return {"code": code, "periods": periods, **texts}


def _number_legal_bases(benefits: list[dict]) -> list[dict]:
    """Print each distinct legal basis once, as a numbered note the benefits refer to."""
    bases: list[dict] = []
    for benefit in benefits:
        basis = {"ru": benefit["legal_basis_ru"], "en": benefit["legal_basis_en"]}
        if not (basis["ru"] or basis["en"]):
            benefit["basis_ref"] = "—"
            continue
        if basis not in bases:
            bases.append(basis)
        benefit["basis_ref"] = str(bases.index(basis) + 1)
    return bases


def document_context(context: dict) -> dict:
    """Turn the caller's context into the template's: plain strings only, plus the QR SVG.

    Raises :class:`CertificateContextError` when the side, serial or verify URL is missing.
    """
    side_code = plain(context.get("side")).upper()
    if side_code not in wording.SIDES:
        raise CertificateContextError(f"unknown side {side_code!r}")
    side = wording.SIDES[side_code]
    serial = plain(context.get("serial"))
    verify_url = str(context.get("verify_url") or "")
    if not serial or not verify_url.startswith(("https://", "http://")):
        raise CertificateContextError("serial and an absolute verify_url are required")
    third = context.get("third_language", side["third_language"])
    if third not in ("kk", "uz"):
        third = None
    company = context.get("company") or {}
    signatory = context.get("signatory") or {}
    benefits = [_benefit(raw) for raw in context.get("benefits") or ()]
    return {
        "serial": serial,
        "third_language": third,
        "zone": {"ru": wording.ZONE_NAME["ru"], "en": wording.ZONE_NAME["en"], "third": wording.ZONE_NAME.get(third)},
        "doc": {
            "title": {
                "ru": wording.DOCUMENT_TITLE["ru"],
                "en": wording.DOCUMENT_TITLE["en"],
                "third": wording.DOCUMENT_TITLE.get(third),
            }
        },
        "side": {"ru": side["ru"], "en": side["en"], "tax_id_label": side["tax_id_label"]},
        "agreement": wording.AGREEMENT,
        "company": {key: plain(company.get(key)) for key in ("name", "tax_id", "address")},
        "activity_codes": [plain(code) for code in context.get("activity_codes") or ()],
        "issued_at": format_date(context.get("issued_at")),
        "valid_from": format_date(context.get("valid_from")),
        "valid_until": format_date(context.get("valid_until")),
        "legal_bases": _number_legal_bases(benefits),
        "benefits": benefits,
        "signatory": {key: plain(signatory.get(key)) for key in ("name", "title_ru", "title_en")},
        "verify_url": verify_url,
        # The one piece of markup: generated here from the URL, never taken from the caller.
        "qr_svg": Markup(qr_svg(verify_url)),  # noqa: S704  (segno emits paths only, no caller text)
    }


class SandboxedDocument:
    """A kind of document rendered the way the certificate is: a sandboxed, autoescaping Jinja template
    over a plain-dict context, laid out by WeasyPrint with one stylesheet (parsed once per process) and
    the bundled fonts, through the fetcher that refuses every other URL.

    Every document kind shares one font configuration and one lock: WeasyPrint keeps Pango/fontconfig
    state there, so only one layout runs at a time in a process.
    """

    def __init__(self, template_dir: Path, stylesheet_path: Path) -> None:
        self.template_dir = template_dir
        self.stylesheet_path = stylesheet_path

    @cached_property
    def _environment(self) -> SandboxedEnvironment:
        return SandboxedEnvironment(
            loader=FileSystemLoader(self.template_dir),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def template(self, name: str):
        """The compiled template ``name`` of this document kind (Jinja caches it)."""
        return self._environment.get_template(name)

    @cached_property
    def stylesheet(self) -> CSS:
        # base_url makes url(DejaVuSans.ttf) resolve inside the bundled fonts folder.
        return CSS(
            string=self.stylesheet_path.read_text(encoding="utf-8"),
            base_url=FONTS_DIR.as_uri() + "/",
            url_fetcher=_fetcher(),
            font_config=_font_config(),
        )

    def html(self, template_name: str, context: dict) -> str:
        """Render ``template_name`` with a context of plain values (strings, lists, dicts)."""
        return self.template(template_name).render(context)

    def layout(self, html: str) -> Document:
        """Lay ``html`` out into pages (the costly step); write them with :meth:`write`."""
        stylesheet = self.stylesheet
        with _render_lock:
            return HTML(string=html, url_fetcher=_fetcher()).render(stylesheets=[stylesheet],
                                                                    font_config=_font_config())

    def write(self, documents: list[Document]) -> bytes:
        """One PDF of the pages of ``documents`` in order (the first gives the metadata)."""
        pages = [page for document in documents for page in document.pages]
        with _render_lock:
            return documents[0].copy(pages).write_pdf()

    def render(self, html: str) -> bytes:
        """Lay out ``html`` and return the PDF: WeasyPrint alone."""
        stylesheet = self.stylesheet
        with _render_lock:
            document = HTML(string=html, url_fetcher=_fetcher())
            return document.write_pdf(stylesheets=[stylesheet], font_config=_font_config())

    def warm_up(self) -> None:
        """Parse the stylesheet and load the fonts now rather than on the first document."""
        _ = self.stylesheet


@cache
def _fetcher() -> BundledFontFetcher:
    return BundledFontFetcher()


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


CERTIFICATE = SandboxedDocument(TEMPLATE_DIR, STYLESHEET_PATH)


def render_certificate_html(context: dict) -> str:
    """Return the certificate's HTML (what WeasyPrint lays out), from a plain-dict context."""
    return CERTIFICATE.html(TEMPLATE_NAME, document_context(context))


def bare_render(html: str) -> bytes:
    """Lay out ``html`` with the certificate stylesheet and return the PDF: WeasyPrint alone.

    This is the floor a certificate render cannot go under; the benchmark compares
    :func:`render_certificate_pdf` with it to bound the cost of templating and the QR code.
    """
    return CERTIFICATE.render(html)


def render_certificate_pdf(context: dict) -> bytes:
    """Render the certificate described by ``context`` (see module docstring) to PDF bytes.

    Raises :class:`CertificateContextError` when a required field is missing or malformed.
    """
    return bare_render(render_certificate_html(context))


def warm_up() -> None:
    """Parse the stylesheet and load the fonts now rather than on the first issuance."""
    CERTIFICATE.template(TEMPLATE_NAME)
    CERTIFICATE.warm_up()
