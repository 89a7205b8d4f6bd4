"""Sample certificate contexts and PDF readers shared by the certificate tests."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

VERIFY_URL = "https://icic.example.kz/verify/Zr3x0eJq9vN4mB7tW2yK8cF1hL6pD5sA0uG3iO9nE2w"


def kz_context(**overrides) -> dict:
    """A complete KZ certificate context, as the issuing service would build it."""
    context = {
        "serial": "ICIC-KZ-2026-000042",
        "side": "KZ",
        "company": {
            "name": "ТОО «Туран Агромаш»",
            "tax_id": "210740012345",
            "address": "Туркестанская область, Сарыагашский район, МЦПК «Центральная Азия», участок 12",
        },
        "activity_codes": ["28.30", "25.11"],
        "issued_at": date(2026, 3, 2),
        "valid_from": date(2026, 3, 2),
        "valid_until": date(2041, 3, 2),
        "benefits": [
            {"code": "KZ_CIT", "periods": [{"from": "2026-03-02", "until": "2041-03-02", "reduction_pct": 100}]},
            {"code": "KZ_LAND_TAX", "periods": [{"from": "2026-03-02", "until": "2041-03-02", "reduction_pct": 100}]},
            {
                "code": "KZ_FREE_CUSTOMS_ZONE",
                "periods": [{"from": "2026-03-02", "until": "2043-12-31", "reduction_pct": None}],
            },
            {
                "code": "ICIC_COOPERATION",
                "periods": [{"from": "2026-03-02", "until": "2029-03-02", "reduction_pct": 50}],
            },
        ],
        "signatory": {
            "name": "А. К. Сейткали",
            "title_ru": "Председатель правления управляющей компании",
            "title_en": "Chairman of the Management Board",
        },
        "verify_url": VERIFY_URL,
    }
    context.update(overrides)
    return context


def uz_context(**overrides) -> dict:
    """A UZ certificate with a two-period profit tax exemption (100 %, then 50 %)."""
    periods = [
        {"from": date(2026, 5, 15), "until": date(2036, 5, 15), "reduction_pct": 100},
        {"from": date(2036, 5, 15), "until": date(2041, 5, 15), "reduction_pct": 50},
    ]
    context = kz_context(
        serial="ICIC-UZ-2026-000007",
        side="UZ",
        company={"name": "ООО «Сырдарья Текстиль»", "tax_id": "305123456", "address": "г. Гулистан"},
        activity_codes=["13.10"],
        benefits=[{"code": "UZ_PROFIT_TAX", "periods": periods}],
        verify_url="https://icic.example.uz/verify/token-uz",
    )
    context.update(overrides)
    return context


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF, pages joined, as pypdf extracts it."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    """Text without line breaks or spaces, for strings a layout may have wrapped."""
    return "".join(text.split())


def page_image(pdf: bytes, page: int = 1, dpi: int = 150):
    """Rasterise one page with poppler's pdftoppm and return it as a PIL image."""
    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: apt-get install poppler-utils (make test installs it)"
    result = subprocess.run(
        [pdftoppm, "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-png", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return Image.open(io.BytesIO(result.stdout))


def with_added_note(pdf: bytes, text: str = "Все налоги отменены") -> bytes:
    """``pdf`` with a visible note added by an incremental update, as a PDF editor saves a change: the
    signed bytes stay untouched, so the signature itself still verifies over what it covered."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    note = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
        generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(n) for n in (40, 40, 400, 80)]),
        generic.NameObject("/Contents"): generic.TextStringObject(text),
    })
    page[generic.NameObject("/Annots")] = generic.ArrayObject([writer.add_object(note)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
