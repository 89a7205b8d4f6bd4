"""The QR code leads to the verify URL, and the renderer reads nothing but its own fonts."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from pypdf import PdfReader

from tests.certificates.helpers import VERIFY_URL, page_image
from zone.certificates.fetcher import FONTS_DIR, BundledFontFetcher, ForbiddenResource
from zone.certificates.pdf import bare_render
from zone.certificates.qr import qr_svg, verify_url


def test_qr_on_the_printed_page_decodes_to_the_verify_url(kz_pdf):
    results = zxingcpp.read_barcodes(page_image(kz_pdf, dpi=150))
    assert [result.text for result in results if result.format == zxingcpp.BarcodeFormat.QRCode] == [VERIFY_URL]


def test_verify_url_and_svg_shape():
    assert verify_url("https://zone.example/", "abc") == "https://zone.example/verify/abc"
    svg = qr_svg("https://zone.example/verify/abc")
    assert svg.startswith("<svg") and "<?xml" not in svg and "width=" not in svg
    assert "https://zone.example" not in svg  # paths only: no caller text reaches the markup


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        f"file://{FONTS_DIR}/../fetcher.py",
        f"file://{FONTS_DIR}/LICENSE",
        "http://127.0.0.1/latest/meta-data/",
        "https://fonts.googleapis.com/css2?family=Roboto",
        "ftp://example.com/font.ttf",
        "/etc/passwd",
    ],
)
def test_fetcher_refuses_everything_but_bundled_fonts(url):
    with pytest.raises(ForbiddenResource):
        BundledFontFetcher().fetch(url)


def test_fetcher_serves_bundled_fonts_and_data_urls():
    fetcher = BundledFontFetcher()
    font = fetcher.fetch((FONTS_DIR / "DejaVuSans.ttf").as_uri())
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_rendering_never_embeds_a_local_file():
    pdf = bare_render('<p>x</p><img src="file:///etc/passwd"><img src="http://127.0.0.1/x.png">')
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert "/XObject" not in page["/Resources"] or not page["/Resources"]["/XObject"]
