"""Reading sites and leases: lists for the plan and the API, locks for changes, occupancy figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select

from zone.extensions import db
from zone.sites.models import LIVE_LEASE, Lease, LeaseStatus, Site, SiteStatus
from zone.sites.values import CODE
from zone.vocabulary import SIDES


def _code(code: object) -> str | None:
    """``code`` as stored (upper case), or None when it cannot be a site's code (never sent to the database:
    PostgreSQL refuses a NUL character outright)."""
    if not isinstance(code, str):
        return None
    code = code.strip().upper()
    return code if CODE.match(code) else None


def by_code(code: str) -> Site | None:
    code = _code(code)
    return db.session.scalar(select(Site).where(Site.code == code)) if code else None


def for_update(code: str) -> Site | None:
    """The site, row-locked until the transaction ends (SQLite: the transaction's write lock)."""
    code = _code(code)
    if code is None:
        return None
    stmt = (select(Site).where(Site.code == code).with_for_update()
            .execution_options(populate_existing=True))
    return db.session.execute(stmt).scalar_one_or_none()


def listed(side: str | None = None, status: str | None = None) -> list[Site]:
    """Sites in plan order (side, code), filtered by side and status."""
    stmt = select(Site)
    if side:
        stmt = stmt.where(Site.side == side)
    if status:
        stmt = stmt.where(Site.status == status)
    return list(db.session.scalars(stmt.order_by(Site.side, Site.code)))


def of_side(side: str) -> list[Site]:
    return listed(side=side)


def plan_rows(side: str, status: str | None = None) -> list:
    """The columns the plan draws, of the sites of ``side`` (one status, or all), in code order; plain rows."""
    stmt = select(Site.id, Site.code, Site.kind, Site.status, Site.area_m2, Site.power_kw, Site.water_m3_day,
                  Site.gas_m3_h, Site.outline).where(Site.side == side)
    if status:
        stmt = stmt.where(Site.status == status)
    return list(db.session.execute(stmt.order_by(Site.code)))


def plan_stamp(side: str) -> tuple[int, int, int]:
    """What the plan of ``side`` is drawn from, in three numbers: every change to a site (an edit, a lease, a
    release) bumps its version, a new site adds to the count and the highest id. One aggregate query."""
    count, versions, highest = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Site.version), 0), func.coalesce(func.max(Site.id), 0))
        .where(Site.side == side)).one()
    return int(count), int(versions), int(highest)


def holders(side: str) -> dict[int, str]:
    """The holding company's name of each site of ``side`` with a live lease, by site id (one query)."""
    from zone.companies.models import Company

    rows = db.session.execute(
        select(Lease.site_id, Company.name).join(Company, Company.id == Lease.company_id)
        .join(Site, Site.id == Lease.site_id)
        .where(Site.side == side, Lease.status.in_([s.value for s in LIVE_LEASE])))
    return dict(rows.all())


def live_leases(site_ids: list[int] | None = None) -> dict[int, Lease]:
    """The live lease of each site (at most one per site), by site id."""
    stmt = select(Lease).where(Lease.status.in_([s.value for s in LIVE_LEASE]))
    if site_ids is not None:
        stmt = stmt.where(Lease.site_id.in_(site_ids))
    return {lease.site_id: lease for lease in db.session.scalars(stmt)}


def live_lease(site: Site) -> Lease | None:
    return db.session.scalar(select(Lease).where(Lease.site_id == site.id,
                                                 Lease.status.in_([s.value for s in LIVE_LEASE])))


def leases_of_application(application_id: int) -> list[Lease]:
    return list(db.session.scalars(select(Lease).where(Lease.application_id == application_id)
                                   .order_by(Lease.id)))


def live_leases_of_application(application_id: int) -> list[Lease]:
    return list(db.session.scalars(
        select(Lease).where(Lease.application_id == application_id,
                            Lease.status.in_([s.value for s in LIVE_LEASE])).with_for_update(of=Lease)))


def leases_of_company(company_id: int) -> list[Lease]:
    return list(db.session.scalars(select(Lease).where(Lease.company_id == company_id).order_by(Lease.id.desc())))


def lease_by_id(lease_id: int) -> Lease | None:
    return db.session.get(Lease, lease_id)


def overdue_unsigned(on_date) -> list[Lease]:
    """Leases still awaiting signature whose signing term ended before ``on_date``, locked."""
    return list(db.session.scalars(
        select(Lease).where(Lease.status == LeaseStatus.AWAITING_SIGNATURE, Lease.sign_by < on_date)
        .order_by(Lease.id).with_for_update(of=Lease)))


@dataclass(frozen=True)
class Occupancy:
    """One side's figures: how many sites, their area, and the share leased (by area)."""

    side: str
    sites: int
    leased_sites: int
    area_m2: Decimal
    leased_area_m2: Decimal

    @property
    def leased_share(self) -> Decimal:
        """The leased share of the area, a fraction 0..1 (0 with no sites)."""
        if not self.area_m2:
            return Decimal(0)
        return (self.leased_area_m2 / self.area_m2).quantize(Decimal("0.0001"))

    def as_dict(self) -> dict:
        return {"side": self.side, "sites": self.sites, "leased_sites": self.leased_sites,
                "area_m2": self.area_m2, "leased_area_m2": self.leased_area_m2, "leased_share": self.leased_share}


def occupancy() -> dict[str, Occupancy]:
    """Occupancy by side (KZ, UZ), one query: sites, area, leased sites and area, the share leased."""
    leased = Site.status == SiteStatus.LEASED
    rows = db.session.execute(
        select(Site.side, func.count(), func.coalesce(func.sum(Site.area_m2), 0),
               func.coalesce(func.sum(case((leased, 1), else_=0)), 0),
               func.coalesce(func.sum(case((leased, Site.area_m2), else_=0)), 0))
        .group_by(Site.side)).all()
    found = {side: Occupancy(side, int(n), int(n_leased), Decimal(str(area)), Decimal(str(leased_area)))
             for side, n, area, n_leased, leased_area in rows}
    return {side: found.get(side, Occupancy(side, 0, 0, Decimal(0), Decimal(0))) for side in SIDES}
