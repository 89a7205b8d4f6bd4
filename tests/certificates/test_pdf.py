"""The certificate document: what it prints, its page, its fonts, and hostile company data."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.certificates.helpers import flat, kz_context, pdf_text, uz_context
from zone.certificates.pdf import (
    CertificateContextError,
    document_context,
    render_certificate_html,
    render_certificate_pdf,
)


def test_prints_serial_company_benefits_and_dates(kz_pdf):
    text = pdf_text(kz_pdf)
    assert "ICIC-KZ-2026-000042" in text
    assert "ТОО «Туран Агромаш»" in text
    assert "210740012345" in text
    assert "28.30, 25.11" in text
    assert "с 02.03.2026 по 02.03.2041" in text
    squeezed = flat(text)
    for printed in (
        "Международныйцентрпромышленнойкооперации«ЦентральнаяАзия»",
        'InternationalCenterforIndustrialCooperation"CentralAsia"',
        "субзонаСЭЗ«Туран»,Туркестанскаяобласть",
        "Уменьшениекорпоративногоподоходногоналога",
        "Corporateincometaxreduction",
        "Земельныйналогпоставке0%",
        "Таможеннаяпроцедурасвободнойтаможеннойзоны",
        "02.03.2026–31.12.2043",
        "НалоговыйкодексРеспубликиКазахстан",
        "А.К.Сейткали",
        "ChairmanoftheManagementBoard",
    ):
        assert printed in squeezed, printed


def test_one_a4_page_with_only_bundled_fonts(kz_pdf):
    reader = PdfReader(io.BytesIO(kz_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = {str(font.get_object()["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    # The @font-face families (bundled DejaVu files), subset; no system font fell in.
    assert {name.split("+")[1] for name in fonts} == {"ZoneSans", "ZoneSans-Bold", "ZoneSerif", "ZoneSerif-Bold"}


def test_reduction_periods_and_third_language_of_uz_certificate():
    text = pdf_text(render_certificate_pdf(uz_context()))
    assert "ICIC-UZ-2026-000007" in text
    assert "«Markaziy Osiyo» xalqaro sanoat kooperatsiyasi markazi" in text
    assert "Сырдарьинская область" in text
    assert "15.05.2026 – 15.05.2036" in text and "15.05.2036 – 15.05.2041" in text
    assert "100 %" in text and "50 %" in text
    assert "ЗРУ-604" in text


def test_caller_may_override_benefit_wording_and_drop_third_language():
    benefit = {
        "code": "NEW_BENEFIT",
        "title_ru": "Новая льгота",
        "title_en": "New benefit",
        "legal_basis_ru": "Решение № 1",
        "legal_basis_en": "Decision No. 1",
        "periods": [],
    }
    text = pdf_text(render_certificate_pdf(kz_context(benefits=[benefit], third_language=None)))
    assert "Новая льгота" in text and "Decision No. 1" in text
    assert "Резидент куәлігі" not in text


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"side": "RU"}, "unknown side"),
        ({"serial": ""}, "serial"),
        ({"verify_url": "javascript:alert(1)"}, "verify_url"),
        ({"issued_at": "02/03/2026"}, "ISO date"),
    ],
)
def test_incomplete_or_malformed_context_is_refused(override, message):
    with pytest.raises(CertificateContextError, match=message):
        render_certificate_html(kz_context(**override))


HOSTILE_NAME = 'ТОО "Кавычки" <script>alert(1)</script> </style></head><body> {{ 7*7 }} {% raw %} \u202eevil\u202c'


def test_hostile_company_data_is_printed_as_text():
    company = {"name": HOSTILE_NAME, "tax_id": "<b>210740012345</b>", "address": "{{ config }} ${7*7}"}
    html = render_certificate_html(kz_context(company=company))
    assert "<script>" not in html and "</style></head><body>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    text = pdf_text(render_certificate_pdf(kz_context(company=company)))
    assert "<script>alert(1)</script>" in text
    assert "</style></head><body>" in text
    assert "{{ 7*7 }}" in text and "{% raw %}" in text and "49" not in text
    assert "{{ config }}" in text and "<b>210740012345</b>" in text
    # Bidirectional overrides would make the name read differently: they are shown, not obeyed.
    assert "[U+202E]evil[U+202C]" in text and "\u202e" not in text


def test_a_2000_character_name_wraps_onto_more_pages_without_losing_anything():
    name = "W" * 2000
    pdf = render_certificate_pdf(kz_context(company={"name": name, "tax_id": "210740012345"}))
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 < len(reader.pages) <= 3
    text = pdf_text(pdf)
    assert flat(text).count("W") >= 2000
    assert "ICIC-KZ-2026-000042" in pdf_text(pdf)  # the footer repeats the serial on each page


def test_template_receives_plain_strings_only():
    class Trap:
        def __str__(self):
            return "trap"

        def __getattr__(self, name):  # the sandbox must never get hold of the object itself
            raise AssertionError(f"template reached into a caller object: {name}")

    context = document_context(kz_context(company={"name": Trap(), "tax_id": Trap(), "address": None}))
    assert context["company"] == {"name": "trap", "tax_id": "trap", "address": ""}

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)
        else:
            yield value

    assert all(value is None or isinstance(value, str) for value in walk(context))
