"""The lease's PDF, signed by the zone like the agreement: plain values in, signed bytes out (made once)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from zone.certificates.letters import ZoneLetter
from zone.sites.models import Lease
from zone.sites.presenters import decimal_json

LETTER = ZoneLetter(Path(__file__).resolve().parents[2] / "templates" / "sites")


def lease_context(lease: Lease, *, signed_on: date) -> dict:
    """The renderer's context (plain strings) for ``lease``."""
    site, application = lease.site, lease.application
    company = lease.company
    return {
        "date": signed_on.isoformat(),
        "site": {"code": site.code, "side": site.side, "kind": site.kind, "name": site.name,
                 "area_m2": decimal_json(site.area_m2), "power_kw": decimal_json(site.power_kw),
                 "water_m3_day": decimal_json(site.water_m3_day), "gas_m3_h": decimal_json(site.gas_m3_h)},
        "company": {"name": company.name if company is not None else "",
                    "tax_id": company.tax_id if company is not None else ""},
        "application": application.number if application is not None else "",
        "certificate": lease.certificate_serial or "",
        "rent_per_m2_year": decimal_json(lease.rent_per_m2_year),
        "currency": lease.currency,
        "reduction_pct": lease.reduction_pct,
        "reduction_until": lease.reduction_until.isoformat() if lease.reduction_until else "",
        "sign_by": lease.sign_by.isoformat(),
        "rule_set": lease.rule_set_version,
    }


def render_and_sign(context: dict) -> tuple[bytes, str]:
    """The zone-signed lease PDF for ``context`` and its SHA-256 (SigningUnavailable when the key is not usable)."""
    return LETTER.render_and_sign(context, reason=f"Lease of site {context['site']['code']}")
