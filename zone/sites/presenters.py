"""How sites and leases read: labels in the user's language and the JSON shapes of the API."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from zone.api.common import iso
from zone.sites.models import Lease, LeaseStatus, Site, SiteKind, SiteStatus

STATUS_LABELS = {SiteStatus.FREE: _l("free"), SiteStatus.RESERVED: _l("reserved"), SiteStatus.LEASED: _l("leased")}
KIND_LABELS = {SiteKind.PLOT: _l("land plot"), SiteKind.BUILDING: _l("production building")}
LEASE_LABELS = {LeaseStatus.AWAITING_SIGNATURE: _l("awaiting the company's signature"),
                LeaseStatus.SIGNED: _l("signed"), LeaseStatus.LAPSED: _l("lapsed (not signed in time)"),
                LeaseStatus.RELEASED: _l("released")}


def decimal_json(value: Decimal | None) -> str | None:
    """A quantity as a string without trailing zeros (``450.5``, ``500``): no precision lost in a float."""
    return None if value is None else format(value.normalize(), "f")


def status_label(status: str) -> str:
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def lease_label(status: str) -> str:
    label = LEASE_LABELS.get(status)
    return str(label) if label is not None else status


def utilities_json(site: Site) -> dict:
    return {"power_kw": decimal_json(site.power_kw), "water_m3_day": decimal_json(site.water_m3_day),
            "gas_m3_h": decimal_json(site.gas_m3_h)}


def site_json(site: Site) -> dict:
    """The public shape (API.md "Sites")."""
    return {"code": site.code, "side": site.side, "kind": site.kind, "area_m2": decimal_json(site.area_m2),
            "utilities": utilities_json(site), "status": site.status}


def admin_site_json(site: Site) -> dict:
    return {**site_json(site), "name": site.name, "rent_per_m2_year": decimal_json(site.rent_per_m2_year),
            "currency": site.currency, "outline": site.outline, "version": site.version}


def lease_json(lease: Lease) -> dict:
    """The lease as the approval's response carries it."""
    return {"site": lease.site.code, "rent_per_m2_year": decimal_json(lease.rent_per_m2_year),
            "currency": lease.currency, "reduction_pct": lease.reduction_pct,
            "reduction_until": iso(lease.reduction_until), "status": lease.status, "sign_by": iso(lease.sign_by),
            "sha256": lease.sha256}
