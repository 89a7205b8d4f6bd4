"""Who may see and do what with sites and leases. The only place these decisions are made.

- Anyone sees the free sites (the public plan); staff and auditors see every site and who holds it; a
  company sees the sites it leases.
- Administrators keep the inventory (create, edit, import).
- A lease (its PDF) is seen by staff, auditors and the holding company; the company signs its own lease.
"""

from __future__ import annotations

from zone.accounts.roles import READER_ROLES, Role
from zone.sites.models import Lease, Site, SiteStatus


def _role(user) -> str | None:
    return getattr(user, "role", None) if user is not None and user.is_authenticated else None


def sees_holders(user) -> bool:
    """Staff and auditors see every site and who holds it."""
    return _role(user) in READER_ROLES


def can_manage(user) -> bool:
    """Administrators keep the inventory."""
    return _role(user) == Role.ADMIN


def holds(user, lease: Lease | None) -> bool:
    return (lease is not None and _role(user) == Role.APPLICANT and user.company_id is not None
            and user.company_id == lease.company_id)


def can_view(user, site: Site, lease: Lease | None) -> bool:
    """A free site is public; the others are for staff, auditors and the company holding it."""
    return site.status == SiteStatus.FREE or sees_holders(user) or holds(user, lease)


def can_view_lease(user, lease: Lease) -> bool:
    return sees_holders(user) or holds(user, lease)


def can_sign(user, lease: Lease) -> bool:
    """Only the company's own people sign its lease."""
    return holds(user, lease)
