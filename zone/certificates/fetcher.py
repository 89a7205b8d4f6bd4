"""The only door through which WeasyPrint may read anything while rendering a certificate.

A certificate is rendered from company-supplied text, so the renderer must not be able to
read local files or reach the network, whatever ends up in the HTML or CSS. The fetcher
serves the fonts bundled in ``zone/certificates/fonts/`` (from memory, read once) and
``data:`` URLs; every other URL is refused.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = frozenset({"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"})


class ForbiddenResource(ValueError):
    """Raised for any URL that is not a bundled font or a ``data:`` URL."""


@cache
def _font_bytes(name: str) -> bytes:
    return (FONTS_DIR / name).read_bytes()


def bundled_font_path(url: str) -> Path | None:
    """Return the bundled font a ``file:`` URL points at, or ``None`` if it points elsewhere."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    # resolve() folds "..", symlinks and duplicate slashes, so only the real file matches.
    path = Path(unquote(parts.path)).resolve()
    if path.parent == FONTS_DIR and path.name in FONT_FILES:
        return path
    return None


class BundledFontFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves bundled fonts and ``data:`` URLs only."""

    def __init__(self) -> None:
        # The parent only handles data: URLs here; file and network schemes never reach it.
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """Return the resource at ``url`` or raise :class:`ForbiddenResource`."""
        scheme = url.split(":", 1)[0].strip().lower()
        if scheme == "data":
            return super().fetch(url, headers)
        font = bundled_font_path(url)
        if font is None:
            raise ForbiddenResource(f"certificate renderer refuses {url[:200]!r}")
        return URLFetcherResponse(font.as_uri(), _font_bytes(font.name), {"Content-Type": "font/ttf"})
