"""The agreement PDF: bilingual by side, company text is data, and the shared-form path prints the same
document as the full layout (falling back to it when a value might not fit its slot)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.certificates.helpers import flat, pdf_text

OBLIGATIONS = [
    {"id": "investment", "type": "investment", "target": "6500000000", "unit": "KZT", "due": "2027-03-01",
     "tolerance_pct": "10", "reference": "Law No. 242-VI; typical activity agreement", "verified": False},
    {"id": "jobs_total", "type": "jobs_total", "target": 180, "unit": "jobs", "due": "2027-03-01",
     "tolerance_pct": "10", "reference": "Law No. 242-VI; typical activity agreement", "verified": False},
    {"id": "production_start", "type": "production_start", "target": "2027-03-01", "unit": "date",
     "due": "2027-03-01", "tolerance_pct": "10", "reference": "Law No. 242-VI; typical activity agreement",
     "verified": False},
]


def context(**overrides) -> dict:
    base = {
        "number": "AG-KZ-2026-000042", "side": "KZ", "date": date(2026, 3, 2), "decided_on": date(2026, 3, 2),
        "countersign_due": date(2026, 3, 12),
        "company": {"name": "ТОО «Туран Агромаш»", "tax_id": "180240012342",
                    "address": "г. Туркестан, ул. Тауке хана, 12"},
        "project": "Завод систем капельного орошения", "activity_codes": ["22.21"],
        "certificate": "ICIC-KZ-2026-000042", "application": "A-2026-00042",
        "signatory": {"name": "А. Б. Исполнительный", "title_ru": "Директор"}, "rule_set": "2026.1",
        "obligations": OBLIGATIONS, "revision": None,
    }
    base.update(overrides)
    return base


def stamped(rendered) -> bytes:
    """What the zone signs: the form with the values printed over it (as document.render_and_sign does)."""
    from io import BytesIO

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from zone.agreements.layers import stamp_values

    writer = IncrementalPdfFileWriter(BytesIO(rendered.pdf), strict=False)
    stamp_values(writer, rendered.values)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(("side", "words"), [
    ("KZ", ["ДОГОВОР ОБ ОСУЩЕСТВЛЕНИИ ДЕЯТЕЛЬНОСТИ", "ҚЫЗМЕТТІ ЖҮЗЕГЕ АСЫРУ ТУРАЛЫ ШАРТ", "Жалпы шарттар"]),
    ("UZ", ["ДОГОВОР ОБ УСЛОВИЯХ", "SHARTNOMA", "Umumiy shartlar"]),
])
def test_the_shared_form_prints_every_value(side, words):
    from zone.agreements.layers import render_agreement

    company = {"name": "ООО «Сырдарья Текстиль»", "tax_id": "305123456", "address": "г. Гулистан"} if side == "UZ" \
        else context()["company"]
    rendered = render_agreement(context(side=side, company=company, number=f"AG-{side}-2026-000042"))
    assert rendered.values is not None  # short values: the form path
    text = pdf_text(stamped(rendered))
    for value in (f"AG-{side}-2026-000042", company["name"], company["tax_id"], "02.03.2026", "12.03.2026",
                  "ICIC-KZ-2026-000042", "A-2026-00042", "01.03.2027", "Summary in English", *words):
        assert flat(value).lower() in flat(text).lower(), value
    assert flat("6 500 000 000 KZT") in flat(text.replace("\u00a0", " "))


def test_a_value_too_long_for_its_slot_is_laid_out_in_full():
    from zone.agreements.layers import render_agreement

    name = "ТОО «" + "Очень длинное наименование товарищества с ограниченной ответственностью " * 3 + "»"
    rendered = render_agreement(context(company={**context()["company"], "name": name}))
    assert rendered.values is None
    assert flat(name) in flat(pdf_text(rendered.pdf))


def test_company_text_is_data_not_markup():
    from zone.agreements.pdf import render_agreement_html

    html = render_agreement_html(context(project='<img src="file:///etc/passwd">{{ 7*7 }}\u202e'))
    assert "&lt;img" in html and "<img" not in html and "{{ 7*7 }}" in html and "[U+202E]" in html
