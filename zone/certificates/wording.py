"""Fixed wording printed on every certificate: the zone, its two sides and the benefits.

A certificate is a bilingual legal document (Russian and English, plus a Kazakh or Uzbek
title line), so its wording does not follow the reader's interface language and lives here
as data rather than in the translation catalogues. The benefit codes are those of the rule
set (see DOMAIN.md); a caller may override any title or legal basis per benefit.
"""

from __future__ import annotations

ZONE_NAME = {
    "ru": "Международный центр промышленной кооперации «Центральная Азия»",
    "en": 'International Center for Industrial Cooperation "Central Asia"',
    "kk": "«Орталық Азия» халықаралық өнеркәсіптік кооперация орталығы",
    "uz": "«Markaziy Osiyo» xalqaro sanoat kooperatsiyasi markazi",
}

DOCUMENT_TITLE = {
    "ru": "Свидетельство резидента",
    "en": "Certificate of Residency",
    "kk": "Резидент куәлігі",
    "uz": "Rezident guvohnomasi",
}

AGREEMENT = {
    "ru": "межправительственным Соглашением Республики Казахстан и Республики Узбекистан от 9 ноября 2023 года",
    "en": "intergovernmental Agreement of Kazakhstan and Uzbekistan of 9 November 2023",
}

SIDES = {
    "KZ": {
        "ru": "Казахстанская часть: субзона СЭЗ «Туран», Туркестанская область, Республика Казахстан",
        "en": 'Kazakh part: sub-zone of the SEZ "Turan", Turkestan region, Republic of Kazakhstan',
        "third_language": "kk",
        "tax_id_label": {"ru": "БИН", "en": "BIN"},
    },
    "UZ": {
        "ru": "Узбекская часть: свободная экономическая зона, Сырдарьинская область, Республика Узбекистан",
        "en": "Uzbek part: Free Economic Zone, Syrdarya region, Republic of Uzbekistan",
        "third_language": "uz",
        "tax_id_label": {"ru": "ИНН (СТИР)", "en": "TIN (STIR)"},
    },
}

_KZ_TAX = {
    "ru": "Налоговый кодекс Республики Казахстан; Закон РК № 242-VI от 3 апреля 2019 года "
    "«О специальных экономических и индустриальных зонах»",
    "en": "Tax Code of the Republic of Kazakhstan; Law No. 242-VI of 3 April 2019 "
    "on special economic and industrial zones",
}
_KZ_CUSTOMS = {
    "ru": "Закон РК № 242-VI от 3 апреля 2019 года; таможенное законодательство ЕАЭС и Республики Казахстан",
    "en": "Law No. 242-VI of 3 April 2019; customs legislation of the EAEU and the Republic of Kazakhstan",
}
_UZ_FEZ = {
    "ru": "Закон РУз № ЗРУ-604 от 17 февраля 2020 года «О специальных экономических зонах»; "
    "Постановление Президента РУз № ПП-283 от 6 августа 2024 года",
    "en": "Law No. ZRU-604 of 17 February 2020 on special economic zones; "
    "Presidential Resolution No. PP-283 of 6 August 2024",
}
_ICIC = {
    "ru": "Соглашение о МЦПК «Центральная Азия» от 9 ноября 2023 года; решение органа управления зоны",
    "en": 'Agreement on the ICIC "Central Asia" of 9 November 2023; decision of the zone administration',
}

BENEFITS = {
    "KZ_CIT": ("Уменьшение корпоративного подоходного налога", "Corporate income tax reduction", _KZ_TAX),
    "KZ_LAND_TAX": ("Земельный налог по ставке 0 %", "Land tax at 0 %", _KZ_TAX),
    "KZ_PROPERTY_TAX": ("Налог на имущество по ставке 0 %", "Property tax at 0 %", _KZ_TAX),
    "KZ_VAT_INPUTS": (
        "Освобождение от НДС товаров, полностью потребляемых при производстве",
        "VAT exemption on goods fully consumed in production",
        _KZ_TAX,
    ),
    "KZ_FREE_CUSTOMS_ZONE": (
        "Таможенная процедура свободной таможенной зоны",
        "Customs procedure of a free customs zone",
        _KZ_CUSTOMS,
    ),
    "UZ_PROFIT_TAX": ("Освобождение от налога на прибыль", "Profit tax exemption", _UZ_FEZ),
    "UZ_PROPERTY_TAX": ("Освобождение от налога на имущество", "Property tax exemption", _UZ_FEZ),
    "UZ_LAND_TAX": ("Освобождение от земельного налога", "Land tax exemption", _UZ_FEZ),
    "UZ_WATER_TAX": (
        "Освобождение от налога за пользование водными ресурсами",
        "Water use tax exemption",
        _UZ_FEZ,
    ),
    "UZ_CUSTOMS": (
        "Освобождение от таможенных платежей на ввозимые для собственного производства "
        "оборудование, сырьё и комплектующие, не производимые в Республике Узбекистан",
        "Customs duty exemption on equipment, raw materials and components not produced "
        "in Uzbekistan, imported for own production",
        _UZ_FEZ,
    ),
    "ICIC_COOPERATION": (
        "Кооперационный проект: приоритетное предоставление готовых производственных "
        "зданий и снижение арендной платы на 50 %",
        "Cooperation project: priority allocation of ready production buildings and 50 % lease reduction",
        _ICIC,
    ),
}


def benefit_wording(code: str) -> dict[str, str]:
    """Return the default Russian/English title and legal basis of a benefit code.

    An unknown code is printed as itself, so a new rule-set benefit never breaks issuance.
    """
    title_ru, title_en, basis = BENEFITS.get(code, (code, code, {"ru": "", "en": ""}))
    return {
        "title_ru": title_ru,
        "title_en": title_en,
        "legal_basis_ru": basis["ru"],
        "legal_basis_en": basis["en"],
    }
