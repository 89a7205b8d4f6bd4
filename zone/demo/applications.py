"""Demo applications in every state, and an approved one with its certificate.

Everything goes through the same services the pages use, so the demo data has real history, audit
events, snapshots and a signed certificate. Seeding is skipped when the demo company already has
applications.
"""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from zone.accounts.models import User
from zone.accounts.roles import Role
from zone.applications import services as applications
from zone.applications.documents import add_document
from zone.applications.models import Application
from zone.calendar import today
from zone.companies.models import Company
from zone.demo.sites import DEMO_NEEDS, LEASED_AT_APPROVAL
from zone.extensions import db
from zone.review import services as review

REQUIRED_KINDS = ("charter", "registration_certificate", "director_id", "business_plan", "financial_statements",
                  "proof_of_funds")
DOCUMENT_NAMES = {
    "charter": "Устав.pdf",
    "registration_certificate": "Справка о гос. регистрации.pdf",
    "director_id": "Удостоверение директора.pdf",
    "business_plan": "Бизнес-план.pdf",
    "financial_statements": "Финансовая отчётность 2025.pdf",
    "proof_of_funds": "Письмо банка.pdf",
}


def _pdf(title: str) -> bytes:
    """A small, valid one-page PDF standing in for a scanned document."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _fields(side: str, title: str, sector: str, codes: list[str], amount: str, currency: str) -> dict:
    data = {
        "side": side,
        "project_title": title,
        "project_description": (
            "Совместное казахстанско-узбекское производство в МЦПК «Центральная Азия»: строительство цеха, "
            "поставка оборудования, выпуск продукции для рынков обеих стран и на экспорт."),
        "sector": sector,
        "activity_codes": codes,
        "products": [{"name": title.split(" ", 1)[-1].capitalize(), "hs_code": "842482", "annual_volume": "5000",
                      "unit": "шт"}],
        "investment_amount": amount,
        "investment_currency": currency,
        "own_funds_share": "45",
        "jobs_total": 140,
        "jobs_local": 120,
        "land_area_ha": "3.2",
        "building_area_m2": "9500",
        "export_share": "35",
        "capital_shares": {"KZ": "60", "UZ": "40"},
        "construction_start": (today() + timedelta(days=60)).isoformat(),
        "production_start": (today() + timedelta(days=400)).isoformat(),
    }
    if side == "KZ":
        data.update({"priority_income_share": "96", "has_branches_outside_zone": False})
    return data


PLANS = [
    # (target state, side, title, sector, OKED codes, amount, currency)
    ("draft", "KZ", "Производство литейных заготовок", "metalworking", ["24.51"], "", ""),
    ("submitted", "KZ", "Завод сельскохозяйственной техники", "agricultural_machinery", ["28.30"],
     "4800000000", "KZT"),
    ("in_review", "UZ", "Фабрика хлопковой пряжи", "textiles_leather", ["13.10", "13.20"], "6500000", "USD"),
    ("info_requested", "KZ", "Цех ПВХ-профиля", "plastics", ["22.23"], "1200000", "USD"),
    ("recommended", "KZ", "Производство трансформаторов", "electrical", ["27.11"], "9000000000", "KZT"),
    ("approved", "KZ", "Завод систем капельного орошения", "plastics", ["22.21", "28.30"], "3500000000", "KZT"),
    ("approved", "UZ", "Фабрика трикотажных изделий", "textiles_leather", ["14.39", "13.91"], "5400000", "USD"),
    ("rejected", "UZ", "Завод минеральных удобрений", "chemicals", ["20.15"], "250000", "USD"),
    ("withdrawn", "KZ", "Мебельная фабрика", "other_manufacturing", ["31.09"], "900000", "USD"),
]


def _complete(application: Application, applicant: User) -> None:
    for kind in REQUIRED_KINDS:
        add_document(application, applicant, kind, io.BytesIO(_pdf(kind)), DOCUMENT_NAMES[kind])


def _advance(application: Application, target: str, applicant: User, staff: dict) -> None:
    reviewer, approver = staff[Role.REVIEWER], staff[Role.APPROVER]
    if target == "draft":
        return
    if target == "withdrawn":
        applications.withdraw(application, applicant, comment="Проект перенесён на следующий год.")
        return
    applications.submit(application, applicant)
    if target == "submitted":
        return
    review.start_review(application, reviewer, version=application.version)
    if target == "in_review":
        return
    review.request_information(
        application, reviewer, version=application.version,
        message="Пожалуйста, приложите письмо банка о наличии средств с подписью и печатью.",
        deadline=(today() + timedelta(days=14)).isoformat())
    if target == "info_requested":
        return
    applications.resubmit(application, applicant, comment="Письмо банка приложено повторно.")
    if target == "rejected":
        review.recommend(application, reviewer, approve=False, version=application.version,
                         comment="Инвестиции ниже минимального порога.", grounds=["CRITERIA_NOT_MET"])
        review.reject(application, approver, version=application.version,
                      comment="Объём инвестиций USD 250 000 ниже минимальных USD 300 000 для узбекской части.",
                      grounds=["CRITERIA_NOT_MET"])
        return
    review.recommend(application, reviewer, approve=True, version=application.version,
                     comment="Документы полные, критерии выполнены.")
    if target == "recommended":
        return
    review.approve(application, approver, version=application.version,
                   site=LEASED_AT_APPROVAL.get(application.project_title))


def seed_applications(companies: dict[str, tuple[Company, User]], staff: dict) -> None:
    """Create one application per state (once); each side's applications belong to a company of that side."""
    ids = [company.id for company, _user in companies.values()]
    existing = db.session.scalar(select(func.count()).select_from(Application)
                                 .where(Application.company_id.in_(ids)))
    if existing:
        return
    for target, side, title, sector, codes, amount, currency in PLANS:
        company, applicant = companies[side]
        data = _fields(side, title, sector, codes, amount or "1", currency or "USD") | DEMO_NEEDS.get(title, {})
        if target == "draft":
            data = {"side": side, "project_title": title, "sector": sector}
        application = applications.create_application(company, applicant, data)
        if target != "draft":
            _complete(application, applicant)
        _advance(application, target, applicant, staff)
        db.session.commit()
