"""The demo data set. Every step checks what exists first, so seeding twice changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from zone.accounts.models import User
from zone.accounts.passwords import hash_password
from zone.accounts.roles import Role
from zone.audit.services import record
from zone.companies.models import Company
from zone.demo.agreements import seed_agreements
from zone.demo.applications import seed_applications
from zone.demo.compliance import seed_compliance
from zone.demo.cooperation import seed_cooperation
from zone.demo.reports import seed_reports
from zone.demo.sites import seed_sites
from zone.extensions import db

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed demo credentials
DEMO_COMPANY = {
    "name": "ТОО «Туран Агромаш»",
    "name_en": "Turan Agromash LLP",
    "legal_form": "ТОО",
    "registration_country": "KZ",
    "tax_id": "180240012342",  # a valid BIN (check digit 2)
    "address": "Туркестанская область, г. Туркестан, ул. Тауке хана, 12",
    "director_name": "Серікбаев Нұрлан Асқарұлы",
    "contact_person": "Иванова Анна Сергеевна",
    "phone": "+7 725 331 00 00",
    "email": "office@turan-agromash.kz",
}
STAFF = [
    (Role.REVIEWER, "reviewer@icic-demo.kz", "Айгерим Reviewer"),
    (Role.APPROVER, "approver@icic-demo.kz", "Бахтиёр Approver"),
    (Role.AUDITOR, "auditor@icic-demo.kz", "Dilnoza Auditor"),
    (Role.ADMIN, "admin@icic-demo.kz", "Admin ICIC"),
]
APPLICANT_EMAIL = "company@turan-agromash.kz"
UZ_COMPANY = {
    "name": "ООО «Сырдарья Текстиль Групп»",
    "name_en": "Syrdarya Textile Group LLC",
    "legal_form": "ООО",
    "registration_country": "UZ",
    "tax_id": "305123456",
    "address": "Сырдарьинская область, г. Гулистан, ул. Навои, 5",
    "director_name": "Каримов Бахтиёр Алишерович",
    "contact_person": "Юсупова Дилноза",
    "phone": "+998 67 225 00 00",
    "email": "info@syrdarya-textile.uz",
}
UZ_APPLICANT_EMAIL = "company@syrdarya-textile.uz"
# The Kazakh side's tax service: reads the events feed of the KZ part and nothing else.
AUTHORITY = (Role.AUTHORITY, "tax-kz@icic-demo.kz", "Департамент госдоходов (демо)", "KZ")


def _user(email: str, role: str, name: str, company_id: int | None = None, side: str | None = None) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, role=role, full_name=name, company_id=company_id, side=side,
                    password_hash=hash_password(DEMO_PASSWORD))
        db.session.add(user)
        db.session.flush()
        record("user.create", user, actor_label="demo-seed", details={"email": email, "role": role})
    return user


def _company(fields: dict) -> Company:
    company = db.session.scalar(select(Company).where(Company.registration_country == fields["registration_country"],
                                                      Company.tax_id == fields["tax_id"]))
    if company is None:
        company = Company(**fields)
        db.session.add(company)
        db.session.flush()
        record("company.register", company, actor_label="demo-seed")
    return company


def seed() -> list[tuple[str, str]]:
    company = _company(DEMO_COMPANY)
    applicant = _user(APPLICANT_EMAIL, Role.APPLICANT, "Анна Иванова", company.id)
    uz_company = _company(UZ_COMPANY)
    uz_applicant = _user(UZ_APPLICANT_EMAIL, Role.APPLICANT, "Дилноза Юсупова", uz_company.id)
    staff = {role: _user(email, role, name) for role, email, name in STAFF}
    authority_role, authority_email, authority_name, authority_side = AUTHORITY
    _user(authority_email, authority_role, authority_name, side=authority_side)
    db.session.commit()
    seed_sites()
    db.session.commit()
    seed_applications({"KZ": (company, applicant), "UZ": (uz_company, uz_applicant)}, staff)
    db.session.commit()
    seed_agreements(company, applicant)
    db.session.commit()
    seed_reports(company, applicant, staff[Role.REVIEWER])
    db.session.commit()
    seed_compliance(uz_company, staff[Role.REVIEWER])
    db.session.commit()
    # The compliance run ends its sessions: take the people and the company afresh.
    staff = {role: _user(email, role, name) for role, email, name in STAFF}
    company = _company(DEMO_COMPANY)
    cooperation = seed_cooperation(staff, (company, _user(APPLICANT_EMAIL, Role.APPLICANT, "Анна Иванова", company.id)),
                                   _user)
    return ([(Role.APPLICANT.value, APPLICANT_EMAIL), (Role.APPLICANT.value, UZ_APPLICANT_EMAIL)] + cooperation
            + [(role.value, email) for role, email, _ in STAFF]
            + [(f"{authority_role.value} (KZ tax service, API only)", authority_email)])
