"""The general conditions of an activity agreement, the same for every participant of a side: subject,
obligations, rights and duties, term, termination and final provisions (sections 1 to 6), in Russian and
in the state language of the side, with a summary in English. Each agreement's particulars (parties,
project, obligations with their targets and dates, signatures) come before them in the same PDF.

They are laid out once per process (see :mod:`zone.agreements.pdf`), so a change here takes effect on
the next start; agreements already signed keep the text they were signed with.
"""

from __future__ import annotations

_RU = [
    ("1. Предмет договора", [
        "1.1. Участник осуществляет в Международном центре промышленной кооперации «Центральная Азия» "
        "приоритетную деятельность по проекту, указанному в особых условиях, на условиях решения о его допуске "
        "и настоящего договора; Управляющая сторона обеспечивает условия для этой деятельности.",
        "1.2. Особые условия, общие условия и дополнительные соглашения составляют единый договор.",
    ]),
    ("2. Обязательства участника", [
        "2.1. Участник исполняет обязательства, указанные в особых условиях, к указанным в них срокам. "
        "Обязательство считается исполненным, если фактическое значение отличается от указанного не более чем "
        "на допустимое отклонение (в процентах от значения).",
        "2.2. Доля дохода от приоритетной деятельности определяется ежегодно по итогам налогового периода.",
        "2.3. Исполнение обязательств подтверждается ежеквартальными и годовыми отчётами участника.",
    ]),
    ("3. Права и обязанности сторон", [
        "3.1. Участник обязан: исполнять обязательства, указанные в особых условиях, в указанные сроки; "
        "осуществлять на территории Центра только приоритетную деятельность, указанную в решении о допуске; "
        "вести раздельный учёт доходов от приоритетной деятельности; представлять Управляющей стороне "
        "ежеквартальные и годовые отчёты в установленные сроки; допускать Управляющую сторону к проверке "
        "исполнения обязательств; в течение 10 дней сообщать об изменении своих наименования, адреса, "
        "руководителя и учредителей.",
        "3.2. Участник вправе: пользоваться льготами, указанными в свидетельстве резидента, на условиях "
        "законодательства; пользоваться объектами инфраструктуры Центра; предлагать изменения обязательств "
        "с обоснованием.",
        "3.3. Управляющая сторона обязана: обеспечивать доступ к объектам инфраструктуры Центра; вести реестр "
        "участников и уведомлять уполномоченные, налоговые и таможенные органы о заключении, изменении и "
        "прекращении договора; рассматривать отчёты и предложения участника.",
        "3.4. Управляющая сторона вправе: проверять исполнение обязательств; направлять предупреждения с "
        "требованием устранить нарушение в установленный срок; в порядке, установленном законодательством и "
        "правилами Центра, инициировать приостановление и прекращение статуса участника.",
    ]),
    ("4. Срок действия", [
        "4.1. Договор вступает в силу со дня его подписания обеими сторонами и действует до окончания срока "
        "функционирования специальной (свободной) экономической зоны либо до прекращения статуса участника.",
        "4.2. Изменения вносятся дополнительными соглашениями в электронной форме, подписываемыми обеими "
        "сторонами; каждая редакция договора сохраняется.",
    ]),
    ("5. Прекращение договора", [
        "5.1. Договор прекращается: по соглашению сторон; при отзыве свидетельства резидента; при ликвидации "
        "участника; по окончании срока функционирования зоны.",
        "5.2. Неисполнение обязательств сверх допустимого отклонения, не устранённое после предупреждения, "
        "является основанием для приостановления, а затем прекращения статуса участника; устранение нарушения "
        "позволяет восстановить статус.",
        "5.3. Неподписание договора участником в срок, указанный в особых условиях, является нарушением условий "
        "допуска.",
    ]),
    ("6. Заключительные положения", [
        "6.1. Договор составлен в электронной форме на русском и государственном языках, тексты равнозначны; "
        "краткое изложение на английском языке приводится для сведения.",
        "6.2. Стороны подписывают договор электронными цифровыми подписями; подпись участника добавляется к "
        "подписанному Управляющей стороной документу без изменения его содержания.",
        "6.3. Споры разрешаются путём переговоров, а при недостижении согласия — в порядке, установленном "
        "законодательством государства, на территории части Центра которого действует участник.",
    ]),
]

_KK = [
    ("1. Шарттың мәні", [
        "1.1. Қатысушы «Орталық Азия» халықаралық өнеркәсіптік кооперация орталығында ерекше шарттарда "
        "көрсетілген жоба бойынша басым қызметті оны қабылдау туралы шешімнің және осы шарттың талаптарымен "
        "жүзеге асырады; Басқарушы тарап осы қызмет үшін жағдай жасайды.",
        "1.2. Ерекше шарттар, жалпы шарттар және қосымша келісімдер бірыңғай шартты құрайды.",
    ]),
    ("2. Қатысушының міндеттемелері", [
        "2.1. Қатысушы ерекше шарттарда көрсетілген міндеттемелерді онда көрсетілген мерзімдерде орындайды. "
        "Нақты мән көрсетілген мәннен рұқсат етілген ауытқудан (мәннің пайызымен) аспайтын шамада "
        "ерекшеленсе, міндеттеме орындалған болып саналады.",
        "2.2. Басым қызметтен түсетін табыс үлесі салық кезеңінің қорытындысы бойынша жыл сайын айқындалады.",
        "2.3. Міндеттемелердің орындалуы қатысушының тоқсандық және жылдық есептерімен расталады.",
    ]),
    ("3. Тараптардың құқықтары мен міндеттері", [
        "3.1. Қатысушы міндетті: ерекше шарттардағы міндеттемелерді көрсетілген мерзімде орындауға; Орталық аумағында "
        "қабылдау туралы шешімде көрсетілген басым қызметті ғана жүзеге асыруға; басым қызметтен түсетін "
        "табысты бөлек есепке алуға; Басқарушы тарапқа тоқсан сайынғы және жылдық есептерді белгіленген "
        "мерзімде ұсынуға; Басқарушы тарапты міндеттемелердің орындалуын тексеруге жіберуге; атауы, мекенжайы, "
        "басшысы және құрылтайшылары өзгергені туралы 10 күн ішінде хабарлауға.",
        "3.2. Қатысушының құқығы бар: резидент куәлігінде көрсетілген жеңілдіктерді заңнама талаптарымен "
        "пайдалануға; Орталықтың инфрақұрылым объектілерін пайдалануға; міндеттемелерді өзгерту туралы "
        "негізделген ұсыныстар енгізуге.",
        "3.3. Басқарушы тарап міндетті: Орталықтың инфрақұрылым объектілеріне қолжетімділікті қамтамасыз етуге; "
        "қатысушылар тізілімін жүргізуге және уәкілетті, салық және кеден органдарын шарттың жасалғаны, "
        "өзгертілгені және тоқтатылғаны туралы хабардар етуге; қатысушының есептері мен ұсыныстарын қарауға.",
        "3.4. Басқарушы тараптың құқығы бар: міндеттемелердің орындалуын тексеруге; бұзушылықты белгіленген "
        "мерзімде жою талабымен ескерту жіберуге; заңнамада және Орталық қағидаларында белгіленген тәртіппен "
        "қатысушы мәртебесін тоқтата тұруға және тоқтатуға бастама жасауға.",
    ]),
    ("4. Қолданылу мерзімі", [
        "4.1. Шарт екі тарап қол қойған күннен бастап күшіне енеді және арнайы (еркін) экономикалық аймақтың "
        "жұмыс істеу мерзімі аяқталғанға дейін не қатысушы мәртебесі тоқтатылғанға дейін қолданылады.",
        "4.2. Өзгерістер екі тарап қол қоятын электрондық нысандағы қосымша келісімдермен енгізіледі; шарттың "
        "әрбір редакциясы сақталады.",
    ]),
    ("5. Шартты тоқтату", [
        "5.1. Шарт мына жағдайларда тоқтатылады: тараптардың келісімі бойынша; резидент куәлігі кері "
        "қайтарылғанда; қатысушы таратылғанда; аймақтың жұмыс істеу мерзімі аяқталғанда.",
        "5.2. Міндеттемелерді рұқсат етілген ауытқудан тыс орындамау ескертуден кейін жойылмаса, қатысушы "
        "мәртебесін тоқтата тұруға, содан кейін тоқтатуға негіз болады; бұзушылықты жою мәртебені қалпына "
        "келтіруге мүмкіндік береді.",
        "5.3. Қатысушының шартқа ерекше шарттарда көрсетілген мерзімде қол қоймауы қабылдау шарттарын бұзу болып "
        "табылады.",
    ]),
    ("6. Қорытынды ережелер", [
        "6.1. Шарт электрондық нысанда орыс және мемлекеттік тілдерде жасалды, мәтіндердің күші бірдей; "
        "ағылшын тіліндегі қысқаша мазмұны мәлімет үшін келтіріледі.",
        "6.2. Тараптар шартқа электрондық цифрлық қолтаңбалармен қол қояды; қатысушының қолтаңбасы Басқарушы "
        "тарап қол қойған құжатқа оның мазмұнын өзгертпей қосылады.",
        "6.3. Даулар келіссөздер арқылы, ал келісімге қол жеткізілмеген жағдайда қатысушы қызмет ететін Орталық "
        "бөлігі аумағындағы мемлекеттің заңнамасында белгіленген тәртіппен шешіледі.",
    ]),
]

_UZ = [
    ("1. Shartnoma predmeti", [
        "1.1. Ishtirokchi «Markaziy Osiyo» xalqaro sanoat kooperatsiyasi markazida maxsus shartlarda "
        "ko'rsatilgan loyiha bo'yicha ustuvor faoliyatni uni qabul qilish to'g'risidagi qaror va ushbu "
        "shartnoma shartlari asosida amalga oshiradi; Boshqaruvchi tomon ushbu faoliyat uchun sharoit yaratadi.",
        "1.2. Maxsus shartlar, umumiy shartlar va qo'shimcha kelishuvlar yagona shartnomani tashkil etadi.",
    ]),
    ("2. Ishtirokchining majburiyatlari", [
        "2.1. Ishtirokchi maxsus shartlarda ko'rsatilgan majburiyatlarni ularda ko'rsatilgan muddatlarda "
        "bajaradi. Haqiqiy qiymat ko'rsatilgan qiymatdan ruxsat etilgan chetlanishdan (qiymatning foizida) "
        "ortiq farq qilmasa, majburiyat bajarilgan hisoblanadi.",
        "2.2. Ustuvor faoliyatdan olinadigan daromad ulushi har yili soliq davri yakunlari bo'yicha aniqlanadi.",
        "2.3. Majburiyatlarning bajarilishi ishtirokchining choraklik va yillik hisobotlari bilan tasdiqlanadi.",
    ]),
    ("3. Tomonlarning huquq va majburiyatlari", [
        "3.1. Ishtirokchi quyidagilarga majbur: maxsus shartlardagi majburiyatlarni ko'rsatilgan muddatlarda bajarish; "
        "Markaz hududida faqat qabul qilish to'g'risidagi qarorda ko'rsatilgan ustuvor faoliyatni amalga "
        "oshirish; ustuvor faoliyatdan olingan daromadlarni alohida hisobga olish; Boshqaruvchi tomonga "
        "choraklik va yillik hisobotlarni belgilangan muddatlarda taqdim etish; Boshqaruvchi tomonga "
        "majburiyatlar bajarilishini tekshirishga ruxsat berish; nomi, manzili, rahbari va ta'sischilari "
        "o'zgarganligi haqida 10 kun ichida xabar berish.",
        "3.2. Ishtirokchi quyidagilarga haqli: rezident guvohnomasida ko'rsatilgan imtiyozlardan qonunchilik "
        "shartlari asosida foydalanish; Markazning infratuzilma obyektlaridan foydalanish; majburiyatlarni "
        "o'zgartirish bo'yicha asoslangan takliflar kiritish.",
        "3.3. Boshqaruvchi tomon quyidagilarga majbur: Markazning infratuzilma obyektlaridan foydalanishni "
        "ta'minlash; ishtirokchilar reyestrini yuritish va vakolatli, soliq va bojxona organlarini shartnoma "
        "tuzilgani, o'zgartirilgani va bekor qilingani haqida xabardor qilish; ishtirokchining hisobotlari va "
        "takliflarini ko'rib chiqish.",
        "3.4. Boshqaruvchi tomon quyidagilarga haqli: majburiyatlar bajarilishini tekshirish; qoidabuzarlikni "
        "belgilangan muddatda bartaraf etish talabi bilan ogohlantirish yuborish; qonunchilik va Markaz "
        "qoidalarida belgilangan tartibda ishtirokchi maqomini to'xtatib turish va tugatishni tashabbus qilish.",
    ]),
    ("4. Amal qilish muddati", [
        "4.1. Shartnoma ikkala tomon imzolagan kundan boshlab kuchga kiradi va maxsus (erkin) iqtisodiy "
        "zonaning faoliyat muddati tugaguniga qadar yoki ishtirokchi maqomi tugatilguniga qadar amal qiladi.",
        "4.2. O'zgartirishlar ikkala tomon imzolaydigan elektron shakldagi qo'shimcha kelishuvlar bilan "
        "kiritiladi; shartnomaning har bir tahriri saqlanadi.",
    ]),
    ("5. Shartnomani bekor qilish", [
        "5.1. Shartnoma quyidagi hollarda bekor qilinadi: tomonlarning kelishuviga ko'ra; rezident guvohnomasi "
        "chaqirib olinganda; ishtirokchi tugatilganda; zonaning faoliyat muddati tugaganda.",
        "5.2. Majburiyatlarning ruxsat etilgan chetlanishdan ortiq bajarilmasligi ogohlantirishdan keyin "
        "bartaraf etilmasa, ishtirokchi maqomini to'xtatib turish, so'ngra tugatish uchun asos bo'ladi; "
        "qoidabuzarlikni bartaraf etish maqomni tiklash imkonini beradi.",
        "5.3. Ishtirokchining shartnomani maxsus shartlarda ko'rsatilgan muddatda imzolamasligi qabul qilish "
        "shartlarini buzish hisoblanadi.",
    ]),
    ("6. Yakuniy qoidalar", [
        "6.1. Shartnoma elektron shaklda rus va davlat tillarida tuzilgan, matnlar teng kuchga ega; ingliz "
        "tilidagi qisqacha mazmuni ma'lumot uchun keltiriladi.",
        "6.2. Tomonlar shartnomani elektron raqamli imzolar bilan imzolaydilar; ishtirokchining imzosi "
        "Boshqaruvchi tomon imzolagan hujjatga uning mazmunini o'zgartirmasdan qo'shiladi.",
        "6.3. Nizolar muzokaralar yo'li bilan, kelishuvga erishilmagan taqdirda esa ishtirokchi faoliyat "
        "yuritadigan Markaz qismi hududidagi davlat qonunchiligida belgilangan tartibda hal qilinadi.",
    ]),
]

THIRD = {"kk": _KK, "uz": _UZ}

SUMMARY_EN = [
    "1. The participant carries out the priority activity of its project in the Center on the terms of its "
    "admission and of this agreement; the managing party provides the conditions for it.",
    "2. The participant meets the obligations of the particulars by their dates; an obligation is met when the "
    "actual figure is within the tolerance shown. The share of priority income is measured yearly. Quarterly and "
    "annual reports show the progress.",
    "3. The participant keeps to its priority activity, keeps separate accounts of priority income, reports on "
    "time, admits inspections and reports changes of its details within 10 days; it uses the benefits of its "
    "certificate and the Center's infrastructure. The managing party keeps the register, notifies the "
    "authorities, inspects and may warn, then initiate suspension and termination of the status.",
    "4. The agreement takes effect when both parties have signed it and lasts until the zone ends or the "
    "status ends. Amendments are supplementary agreements signed by both parties; every revision is kept.",
    "5. It ends by mutual consent, on revocation of the certificate, on the participant's liquidation or when "
    "the zone ends. Breaches beyond the tolerance not cured after a warning lead to suspension, then "
    "termination; a cure allows reinstatement. Not countersigning by the date in the particulars is a breach.",
    "6. The Russian and state-language texts are equally authentic. The parties sign electronically; the "
    "participant's signature is added to the document signed by the managing party without changing it. "
    "Disputes are settled by negotiation, then under the law of the side of the Center where the participant "
    "operates.",
]


def sections(third: str) -> list[dict]:
    """Sections 1 to 6 with each clause in Russian and in ``third`` (``kk`` or ``uz``), side by side."""
    return [
        {"ru": ru_head, "third": third_head, "clauses": list(zip(ru_clauses, third_clauses, strict=True))}
        for (ru_head, ru_clauses), (third_head, third_clauses) in zip(_RU, THIRD[third], strict=True)
    ]
