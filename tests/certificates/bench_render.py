"""Timing of certificate issuance (not a test): ``.venv/bin/python tests/certificates/bench_render.py``.

Compares, warm, on one core:
- ``bare_render(html)``: WeasyPrint alone laying out the finished HTML (stylesheet and fonts
  already loaded), the floor for this document;
- ``render_certificate_pdf(context)``: context cleaning + sandboxed template + QR + the above;
- ``sign_pdf``: the PAdES signature;
- a naive render that parses the stylesheet and loads the fonts on every call, for reference.
Targets: render ≤ 1.5 × bare, and render + sign under 100 ms.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from tests.certificates.helpers import kz_context
from zone.certificates import pdf
from zone.certificates.signing import create_dev_signing_identity, sign_pdf


def timed(label, fn, runs=30):
    fn()  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    median = statistics.median(samples)
    print(f"{label:<28} median {median:6.1f} ms   min {min(samples):6.1f} ms")
    return median


def naive(html):
    fonts = FontConfiguration()
    css = CSS(
        string=pdf.STYLESHEET_PATH.read_text(encoding="utf-8"),
        base_url=pdf.FONTS_DIR.as_uri() + "/",
        url_fetcher=pdf.BundledFontFetcher(),
        font_config=fonts,
    )
    return HTML(string=html, url_fetcher=pdf.BundledFontFetcher()).write_pdf(stylesheets=[css], font_config=fonts)


def main():
    context = kz_context()
    html = pdf.render_certificate_html(context)
    identity = create_dev_signing_identity(tempfile.mkdtemp())
    document = pdf.render_certificate_pdf(context)
    bare = timed("bare_render(html)", lambda: pdf.bare_render(html))
    render = timed("render_certificate_pdf", lambda: pdf.render_certificate_pdf(context))
    sign = timed("sign_pdf", lambda: sign_pdf(document, identity.signer_p12, identity.passphrase))
    timed("naive render (reference)", lambda: naive(html), runs=10)
    print(f"render / bare = {render / bare:.2f} (target <= 1.5); render + sign = {render + sign:.0f} ms (target < 100)")


if __name__ == "__main__":
    main()
