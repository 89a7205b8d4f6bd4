"""QR codes that open a certificate's public verification page."""

from __future__ import annotations

import segno


def verify_url(base_url: str, token: str) -> str:
    """Return the public verification URL ``{base_url}/verify/{token}``."""
    return f"{base_url.rstrip('/')}/verify/{token}"


def qr_svg(url: str) -> str:
    """Return ``url`` as a QR code in a small inline SVG (no XML declaration, no fixed size).

    Error correction is Q (25 %) so a creased or stamped paper copy still scans; the SVG is
    one path with a viewBox, sized by the page's CSS.
    """
    code = segno.make(url, error="q", boost_error=False, micro=False)
    return code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", light="#fff")
