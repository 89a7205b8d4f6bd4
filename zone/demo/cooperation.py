"""Demo cooperation: a Kazakh maker of PVC window profiles that needs PVC granules (HS 3904 10) and an Uzbek
maker of PVC resin, both admitted through the review like any applicant (their products become offers at
admission); the Kazakh company wrote, the Uzbek one accepted, and a contract was recorded. The drip-irrigation
resident of the main demo needs polyethylene (HS 3901 10) and has written to the PVC maker too (no answer yet).
"""

from __future__ import annotations

from sqlalchemy import select

from zone.accounts.models import User
from zone.accounts.roles import Role
from zone.applications import services as applications
from zone.companies.models import Company
from zone.cooperation import matching, services
from zone.cooperation.models import Need
from zone.cooperation.workflow import Action
from zone.demo.applications import _advance, _complete, _fields
from zone.extensions import db

KZ_MAKER = {
    "name": "ТОО «Туркестан Пласт Профиль»", "name_en": "Turkestan Plast Profile LLP", "legal_form": "ТОО",
    "registration_country": "KZ", "tax_id": "190340012348", "address": "Туркестанская область, г. Туркестан, "
    "промзона «Оңтүстік», 4", "director_name": "Жұмабеков Ерлан Серікұлы", "contact_person": "Ким Ольга",
    "phone": "+7 725 331 20 20", "email": "office@tplast.kz",
}
UZ_MAKER = {
    "name": "ООО «Сырдарья ПВХ»", "name_en": "Sirdaryo PVX LLC", "legal_form": "ООО", "registration_country": "UZ",
    "tax_id": "306987654", "address": "Сырдарьинская область, г. Гулистан, промзона, 11",
    "director_name": "Рахимов Жасур Тулкинович", "contact_person": "Рахимова Нодира", "phone": "+998 67 225 11 11",
    "email": "sales@sirdaryo-pvx.uz",
}
KZ_MAKER_EMAIL = "company@tplast.kz"
UZ_MAKER_EMAIL = "company@sirdaryo-pvx.uz"
PROFILES = [{"name": "Профиль ПВХ оконный", "hs_code": "391620", "annual_volume": "3000", "unit": "т"}]
RESIN = [{"name": "Смола ПВХ суспензионная (гранулы)", "hs_code": "390410", "annual_volume": "12000", "unit": "т"}]
NEED_PVC = {"hs_code": "390410", "description": "Гранулы ПВХ для оконного профиля, K-65–67",
            "annual_volume": "1500", "unit": "т", "target_price": "950", "price_currency": "USD",
            "certificates_required": ["ISO 9001", "EAC"]}
NEED_PE = {"hs_code": "390110", "description": "Полиэтилен низкой плотности для капельных трубок",
           "annual_volume": "800", "unit": "т"}


def _resident(fields: dict, email: str, name: str, side: str, title: str, products: list[dict], staff: dict,
              make_user) -> tuple[Company, User]:
    company = db.session.scalar(select(Company).where(Company.registration_country == fields["registration_country"],
                                                      Company.tax_id == fields["tax_id"]))
    if company is None:
        company = Company(**fields)
        db.session.add(company)
        db.session.flush()
    user = make_user(email, Role.APPLICANT, name, company.id)
    data = {**_fields(side, title, "plastics", ["22.23" if side == "KZ" else "20.16"],
                      "2400000" if side == "UZ" else "3500000000", "USD" if side == "UZ" else "KZT"),
            "products": products}
    application = applications.create_application(company, user, data)
    _complete(application, user)
    _advance(application, "approved", user, staff)
    db.session.commit()
    return company, user


def seed_cooperation(staff: dict, main_kz: tuple[Company, User], make_user) -> list[tuple[str, str]]:
    """The PVC chain across the border (once: skipped when the PVC maker's company exists)."""
    credentials = [(Role.APPLICANT.value, KZ_MAKER_EMAIL), (Role.APPLICANT.value, UZ_MAKER_EMAIL)]
    if db.session.scalar(select(Company.id).where(Company.tax_id == UZ_MAKER["tax_id"])) is not None:
        return credentials
    buyer, buyer_user = _resident(KZ_MAKER, KZ_MAKER_EMAIL, "Ольга Ким", "KZ", "Цех оконного ПВХ-профиля",
                                  PROFILES, staff, make_user)
    maker, maker_user = _resident(UZ_MAKER, UZ_MAKER_EMAIL, "Нодира Рахимова", "UZ", "Завод суспензионного ПВХ",
                                  RESIN, staff, make_user)
    need = services.add_need(buyer.id, NEED_PVC, buyer_user)
    [match] = [m for m in matching.matches(buyer.id) if m.need_id == need.id and m.company_id == maker.id]
    request = services.send_request(buyer.id, {
        "need_id": need.id, "offer_id": match.offer_id,
        "message": "Здравствуйте! Нам нужно 1 500 т гранул ПВХ в год для оконного профиля, поставка в Туркестан. "
                   "Готовы обсудить цену и график."}, buyer_user)
    services.apply_action(request, Action.ACCEPT, "recipient", maker_user,
                          {"response": "Добрый день! Можем поставлять марку SG-5, приглашаем на завод."})
    services.apply_action(request, Action.RECORD_MEETING, "sender", buyer_user, {"note": "Встреча на заводе."})
    services.apply_action(request, Action.RECORD_CONTRACT, "recipient", maker_user,
                          {"annual_volume": "1200", "unit": "т", "annual_value_usd": "1140000",
                           "note": "Договор поставки на 2027 год."})
    main_company, main_user = main_kz
    if services.queries.resident_side(main_company.id) is not None and not db.session.scalar(
            select(Need.id).where(Need.company_id == main_company.id)):
        pe = services.add_need(main_company.id, NEED_PE, main_user)
        to_maker = [m for m in matching.matches(main_company.id) if m.need_id == pe.id and m.company_id == maker.id]
        if to_maker:
            services.send_request(main_company.id, {
                "need_id": pe.id, "offer_id": to_maker[0].offer_id,
                "message": "Интересует полиэтилен или ПВХ для капельных трубок, 800 т в год."}, main_user)
    db.session.commit()
    return credentials
