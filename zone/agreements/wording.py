"""Fixed wording printed on every activity agreement.

The agreement is a bilingual legal document (Russian and the state language of its side, Kazakh or
Uzbek, with a summary in English), so its wording does not follow the reader's interface language and
lives here and in ``templates/agreements/`` as data rather than in the translation catalogues.
"""

from __future__ import annotations

from zone.certificates.wording import ZONE_NAME

__all__ = ["OBLIGATIONS", "SIDES", "UNITS", "ZONE_NAME", "third_language"]

SIDES = {
    "KZ": {
        "third": "kk",
        "title": {
            "ru": "Договор об осуществлении деятельности",
            "kk": "Қызметті жүзеге асыру туралы шарт",
            "en": "Activity agreement",
        },
        "zone_party": {
            "ru": "Управляющая компания специальной экономической зоны «Туран» (казахстанская часть "
                  "Международного центра промышленной кооперации «Центральная Азия»)",
            "kk": "«Тұран» арнайы экономикалық аймағының басқарушы компаниясы («Орталық Азия» халықаралық "
                  "өнеркәсіптік кооперация орталығының қазақстандық бөлігі)",
            "en": 'Management company of the SEZ "Turan" (Kazakh part of the ICIC "Central Asia")',
        },
        "participant": {"ru": "Участник СЭЗ", "kk": "АЭА қатысушысы", "en": "SEZ participant"},
        "place": {"ru": "Туркестанская область", "kk": "Түркістан облысы", "en": "Turkestan region"},
        "tax_id_label": {"ru": "БИН", "kk": "БСН", "en": "BIN"},
        "esign": {
            "ru": "электронной цифровой подписью, выданной Национальным удостоверяющим центром Республики "
                  "Казахстан",
            "kk": "Қазақстан Республикасының Ұлттық куәландырушы орталығы берген электрондық цифрлық "
                  "қолтаңбамен",
            "en": "an electronic digital signature issued by the National Certification Authority of Kazakhstan",
        },
    },
    "UZ": {
        "third": "uz",
        "title": {
            "ru": "Договор об условиях осуществления деятельности (инвестиционного проекта)",
            "uz": "Faoliyatni (investitsiya loyihasini) amalga oshirish shartlari to'g'risida shartnoma",
            "en": "Agreement on the conditions of activity (investment project)",
        },
        "zone_party": {
            "ru": "Дирекция свободной экономической зоны в Сырдарьинской области (узбекская часть "
                  "Международного центра промышленной кооперации «Центральная Азия»)",
            "uz": "Sirdaryo viloyatidagi erkin iqtisodiy zona direksiyasi («Markaziy Osiyo» xalqaro sanoat "
                  "kooperatsiyasi markazining o'zbek qismi)",
            "en": 'Directorate of the FEZ in Syrdarya region (Uzbek part of the ICIC "Central Asia")',
        },
        "participant": {"ru": "Участник СЭЗ", "uz": "EIZ ishtirokchisi", "en": "FEZ participant"},
        "place": {"ru": "Сырдарьинская область", "uz": "Sirdaryo viloyati", "en": "Syrdarya region"},
        "tax_id_label": {"ru": "ИНН (СТИР)", "uz": "STIR", "en": "TIN (STIR)"},
        "esign": {
            "ru": "электронной цифровой подписью E-IMZO",
            "uz": "E-IMZO elektron raqamli imzosi bilan",
            "en": "an E-IMZO electronic digital signature",
        },
    },
}

OBLIGATIONS = {
    "investment": {"ru": "Инвестиции", "kk": "Инвестициялар", "uz": "Investitsiyalar", "en": "Investment"},
    "jobs_total": {"ru": "Рабочие места, всего", "kk": "Жұмыс орындары, барлығы", "uz": "Ish o'rinlari, jami",
                   "en": "Jobs, total"},
    "jobs_local": {"ru": "Рабочие места для местных граждан", "kk": "Жергілікті азаматтарға жұмыс орындары",
                   "uz": "Mahalliy fuqarolar uchun ish o'rinlari", "en": "Jobs for local citizens"},
    "construction_start": {"ru": "Начало строительства", "kk": "Құрылыстың басталуы",
                           "uz": "Qurilishning boshlanishi", "en": "Start of construction"},
    "production_start": {"ru": "Начало производства", "kk": "Өндірістің басталуы",
                         "uz": "Ishlab chiqarishning boshlanishi", "en": "Start of production"},
    "priority_income_share": {"ru": "Доля дохода от приоритетной деятельности (ежегодно), не менее",
                              "kk": "Басым қызметтен түсетін табыс үлесі (жыл сайын), кемінде",
                              "uz": "Ustuvor faoliyatdan daromad ulushi (har yili), kamida",
                              "en": "Share of income from priority activities (yearly), at least"},
}

UNITS = {
    "jobs": {"ru": "мест", "kk": "орын", "uz": "o'rin", "en": "jobs"},
    "percent": {"ru": "%", "kk": "%", "uz": "%", "en": "%"},
    "date": {"ru": "", "kk": "", "uz": "", "en": ""},
}


def third_language(side: str) -> str:
    """The state language printed beside Russian: Kazakh on the KZ side, Uzbek on the UZ side."""
    return SIDES[side]["third"]



# Labels of the particulars page: {key: {language: text}}.
LABELS = {
    "participant": {"ru": "Участник", "kk": "Қатысушы", "uz": "Ishtirokchi", "en": "Participant"},
    "tax_id": {"ru": "Налоговый номер", "kk": "Салық нөмірі", "uz": "Soliq raqami", "en": "Tax id"},
    "address": {"ru": "Адрес", "kk": "Мекенжай", "uz": "Manzil", "en": "Address"},
    "zone_party": {"ru": "Управляющая сторона", "kk": "Басқарушы тарап", "uz": "Boshqaruvchi tomon",
                   "en": "Managing party"},
    "project": {"ru": "Проект", "kk": "Жоба", "uz": "Loyiha", "en": "Project"},
    "codes": {"ru": "Коды ОКЭД", "kk": "ЭҚЖЖ кодтары", "uz": "IFUT kodlari", "en": "Activity codes"},
    "certificate": {"ru": "Свидетельство резидента, решение", "kk": "Резидент куәлігі, шешім",
                    "uz": "Rezident guvohnomasi, qaror", "en": "Certificate, decision"},
    "application": {"ru": "Заявка", "kk": "Өтінім", "uz": "Ariza", "en": "Application"},
    "countersign_due": {"ru": "Подписать участнику не позднее", "kk": "Қатысушы қол қоюы тиіс мерзім",
                        "uz": "Ishtirokchi imzolashi kerak bo'lgan muddat", "en": "To be countersigned by"},
    "obligations": {"ru": "Обязательства участника", "kk": "Қатысушының міндеттемелері",
                    "uz": "Ishtirokchining majburiyatlari", "en": "Obligations of the participant"},
    "obligation": {"ru": "Обязательство", "kk": "Міндеттеме", "uz": "Majburiyat", "en": "Obligation"},
    "target": {"ru": "Значение", "kk": "Мәні", "uz": "Qiymati", "en": "Target"},
    "due": {"ru": "Срок", "kk": "Мерзімі", "uz": "Muddati", "en": "Due"},
    "tolerance": {"ru": "Откл.", "kk": "Ауытқу", "uz": "Chetlanish", "en": "Tolerance"},
    "basis": {"ru": "Осн.", "kk": "Негіз", "uz": "Asos", "en": "Basis"},
    "changes": {"ru": "Изменения по дополнительному соглашению", "kk": "Қосымша келісім бойынша өзгерістер",
                "uz": "Qo'shimcha kelishuv bo'yicha o'zgarishlar", "en": "Changes by the supplementary agreement"},
    "reason": {"ru": "Основание", "kk": "Негіздеме", "uz": "Asos", "en": "Reason"},
    "before": {"ru": "Было", "kk": "Бұрынғы мәні", "uz": "Avval", "en": "Before"},
    "after": {"ru": "Стало", "kk": "Жаңа мәні", "uz": "Endi", "en": "After"},
    "zone_signs": {"ru": "Подписано электронной подписью Управляющей стороны (PAdES).",
                   "kk": "Басқарушы тараптың электрондық қолтаңбасымен қол қойылды (PAdES).",
                   "uz": "Boshqaruvchi tomonning elektron imzosi bilan imzolangan (PAdES).",
                   "en": "Signed with the electronic signature of the managing party (PAdES)."},
    "company_signs": {"ru": "Подписывается {esign} в срок, указанный выше.",
                      "kk": "Жоғарыда көрсетілген мерзімде {esign} қол қойылады.",
                      "uz": "Yuqorida ko'rsatilgan muddatda {esign} imzolanadi.",
                      "en": "To be signed with {esign} by the date shown above."},
    "conditions": {"ru": "Общие условия", "kk": "Жалпы шарттар", "uz": "Umumiy shartlar", "en": "General conditions"},
}

LEAD = {
    "ru": "Стороны заключают настоящий договор на указанных ниже особых условиях и на общих условиях (разделы "
          "1–6), являющихся его неотъемлемой частью. Договор заключён, когда его подписали обе стороны.",
    "kk": "Тараптар осы шартты төменде көрсетілген ерекше шарттармен және оның ажырамас бөлігі болып табылатын "
          "жалпы шарттармен (1–6-бөлімдер) жасасады. Шартқа екі тарап қол қойған кезде ол жасалған болып саналады.",
    "uz": "Tomonlar ushbu shartnomani quyida ko'rsatilgan maxsus shartlar va uning ajralmas qismi bo'lgan umumiy "
          "shartlar (1–6-bo'limlar) asosida tuzadilar. Shartnoma ikkala tomon imzolaganda tuzilgan hisoblanadi.",
}

SUMMARY = ("Summary in English (for information; the Russian and {language} texts prevail): this activity "
           "agreement binds the managing party and the participant named above. The participant undertakes the "
           "obligations listed above, within the tolerance shown, and the general conditions that follow; the "
           "agreement is concluded once the participant countersigns it, by the date shown above.")

REVISION = {
    "ru": "Редакция {revision}: дополнительное соглашение № {amendment} от {date}",
    "kk": "{revision}-редакция: {date} № {amendment} қосымша келісім",
    "uz": "{revision}-tahrir: {date} dagi {amendment}-son qo'shimcha kelishuv",
    "en": "Revision {revision}: supplementary agreement No. {amendment} of {date}",
}

LANGUAGE_NAMES_EN = {"kk": "Kazakh", "uz": "Uzbek"}
