"""Every change to sites and leases: the inventory (create, edit, CSV import), the lease made at admission,
its signature, its lapse and its release when the certificate is revoked.

Functions work inside the caller's transaction (flush, never commit) and record an audit event for each
change. Leasing locks the site's row first (``queries.for_update``), so of two approvals racing for one
site the second sees it leased and is refused (409) naming the site; the partial unique index on live
leases backs this up in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from zone.accounts.models import User
from zone.applications.models import Application
from zone.audit.services import record
from zone.certificates.models import Certificate, CertificateStatus
from zone.database import utcnow
from zone.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from zone.extensions import db
from zone.sites import geometry, policies, queries, values
from zone.sites.document import lease_context, render_and_sign
from zone.sites.models import Lease, LeaseStatus, Site, SiteStatus
from zone.sites.workflow import Action, LeaseAction, next_lease_status, next_status, status_change

COOPERATION = "ICIC_COOPERATION"
SIGNATURE_DAYS = "site.lease_signature_days"
AUDITED = ("side", "kind", "name", "area_m2", "power_kw", "water_m3_day", "gas_m3_h", "rent_per_m2_year",
           "currency", "status", "outline")


# --- the inventory -------------------------------------------------------------------------------------------

def overlapping(side: str, outline: list, *, exclude: set[str] = frozenset(), others: list[Site] | None = None
                ) -> list[str]:
    """Codes of the sites of ``side`` whose outline shares area with ``outline`` (``exclude`` not counted)."""
    polygon = [tuple(p) for p in outline]
    candidates = others if others is not None else queries.of_side(side)
    return [s.code for s in candidates
            if s.code not in exclude and s.side == side and geometry.overlap(polygon, [tuple(p) for p in s.outline])]


def _check(data: dict, errors: dict) -> None:
    """Refuse (422) what does not read, and an outline overlapping another site's."""
    if not errors and data["outline"] is not None and data["side"] is not None:
        clash = overlapping(data["side"], data["outline"], exclude={data["code"]})
        if clash:
            errors["outline"] = [_l("The outline overlaps site(s) %(codes)s.", codes=", ".join(clash))]
    if errors:
        raise ValidationFailed(_l("Some values of the site are not valid."), fields=errors)


def _status_refusal(site: Site, wanted: str) -> None:
    try:
        status_change(site.status, wanted)
    except KeyError:
        raise ValidationFailed(
            _l("A site is leased only by an approval, and freed only when its lease ends; an administrator can only "
               "reserve a free site or free a reserved one."), fields={"status": [_l("This change of status is not "
                                                                                       "possible here.")]}) from None


def create_site(raw: dict[str, Any], actor: User | None, *, label: str | None = None) -> Site:
    """A new site from ``raw`` (form, JSON or CSV values); 422 naming each invalid field."""
    data, errors = values.clean(raw)
    if not errors and queries.by_code(data["code"]) is not None:
        errors["code"] = [_l("Site %(code)s already exists.", code=data["code"])]
    if not errors and data["status"] == SiteStatus.LEASED:
        errors["status"] = [_l("A site is leased only by an approval; create it free or reserved.")]
    _check(data, errors)
    now = utcnow()
    site = Site(**data, version=1, created_at=now, updated_at=now, updated_by_id=actor.id if actor else None)
    db.session.add(site)
    db.session.flush()
    record("site.create", site, actor=actor, actor_label=label,
           details={"code": site.code, **{k: data[k] for k in AUDITED}})
    return site


def update_site(site: Site, raw: dict[str, Any], actor: User | None, *, version: Any = None,
                label: str | None = None) -> dict:
    """Change ``site`` (locked by the caller) as ``raw`` says; the changes ``{field: [from, to]}``.

    A stale ``version`` (when given) is refused (409). The code stays; the status may only move between
    free and reserved here."""
    if version is not None and (isinstance(version, bool) or version != site.version):
        raise StaleVersion(_l("Site %(code)s was changed by someone else after you opened it (now version "
                              "%(version)s). Reload it; nothing was overwritten.", code=site.code,
                              version=site.version), details={"current_version": site.version})
    data, errors = values.clean(raw, partial_code=site.code)
    if not errors and data["side"] != site.side and site.status != SiteStatus.FREE:
        errors["side"] = [_l("Only a free site can move to the other side.")]
    if not errors:
        _status_refusal(site, data["status"])
    _check(data, errors)
    changes = {}
    for name in AUDITED:
        old, new = getattr(site, name), data[name]
        if isinstance(old, Decimal) and isinstance(new, Decimal) and old == new:
            continue
        if old != new:
            changes[name] = [old, new]
            setattr(site, name, new)
    if changes:
        site.version += 1
        site.updated_at, site.updated_by_id = utcnow(), actor.id if actor else None
        record("site.update", site, actor=actor, actor_label=label,
               details={"code": site.code, "changes": changes})
    return changes


# --- the surveyor's CSV ---------------------------------------------------------------------------------------

MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 2 * 1024 * 1024


@dataclass
class ImportReport:
    """What an import did, or would have done: per row (its line number), the messages."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: dict[int, list[str]] = field(default_factory=dict)  # line → messages

    @property
    def ok(self) -> bool:
        return not self.problems


def _row_messages(errors: dict[str, list]) -> list[str]:
    return [f"{name}: {' '.join(str(m) for m in messages)}" for name, messages in errors.items()]


def import_csv(data: bytes, actor: User | None, *, label: str | None = None) -> ImportReport:
    """Create or update the sites of a surveyor's CSV (header: the field names; ``outline`` as
    ``"x y; x y; ..."``), all or nothing: any invalid row, and nothing is saved (the caller rolls back).

    A row naming an existing code updates that site (its status is kept unless the row gives one);
    outlines are checked against each other and against the sites not in the file.
    """
    import csv
    import io

    report = ImportReport()
    if len(data) > MAX_IMPORT_BYTES:
        report.problems[0] = [str(_l("The file is too large (at most %(mb)s MB).", mb=MAX_IMPORT_BYTES // 2**20))]
        return report
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.problems[0] = [str(_l("The file is not UTF-8 text; save the table as CSV (UTF-8)."))]
        return report
    if "\x00" in text:
        report.problems[0] = [str(_l("The file is not a CSV table."))]
        return report
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [name for name in ("code", "side", "kind", "area_m2", "rent_per_m2_year", "currency", "outline")
               if name not in header]
    unknown = [name for name in header if name not in values.FIELDS]
    if missing or unknown:
        messages = []
        if missing:
            messages.append(str(_l("Missing columns: %(names)s.", names=", ".join(missing))))
        if unknown:
            messages.append(str(_l("Unknown columns: %(names)s.", names=", ".join(unknown[:10]))))
        report.problems[1] = messages
        return report
    reader.fieldnames = header
    rows: list[tuple[int, dict]] = []
    try:
        for row in reader:
            if len(rows) >= MAX_IMPORT_ROWS:
                report.problems[reader.line_num] = [str(_l("At most %(n)s rows per file.", n=MAX_IMPORT_ROWS))]
                return report
            if None in row:
                report.problems[reader.line_num] = [str(_l("The row has more cells than the header."))]
                continue
            if all(not (v or "").strip() for v in row.values()):
                continue
            rows.append((reader.line_num, row))
    except csv.Error as error:
        report.problems[reader.line_num] = [str(_l("The CSV cannot be read: %(error)s", error=str(error)))]
        return report
    existing = {s.code: s for s in queries.listed()}
    seen: dict[str, int] = {}
    accepted: list[tuple[int, dict, Site | None]] = []
    for line, row in rows:
        code = values.code_value(row.get("code"), {}) or ""
        site = existing.get(code)
        raw = dict(row)
        if site is not None and values.blank(raw.get("status")):
            raw["status"] = site.status
        data, errors = values.clean(raw)
        if code and code in seen:
            errors["code"] = [_l("Site %(code)s is also on line %(line)s.", code=code, line=seen[code])]
        if code:
            seen.setdefault(code, line)
        if not errors and site is None and data["status"] == SiteStatus.LEASED:
            errors["status"] = [_l("A site is leased only by an approval; import it free or reserved.")]
        if not errors and site is not None:
            if data["status"] != site.status:
                try:
                    status_change(site.status, data["status"])
                except KeyError:
                    errors["status"] = [_l("Site %(code)s is %(status)s; the file cannot change that.",
                                           code=site.code, status=site.status)]
            if data["side"] != site.side and site.status != SiteStatus.FREE:
                errors["side"] = [_l("Only a free site can move to the other side.")]
        if errors:
            report.problems[line] = _row_messages(errors)
            continue
        accepted.append((line, data, site))
    # Overlaps: every accepted row against the sites not in the file and against the rows before it.
    in_file = {data["code"] for _line, data, _site in accepted}
    kept = [s for s in existing.values() if s.code not in in_file]
    placed: list[tuple[int, dict]] = []
    for line, data, _site in accepted:
        polygon = [tuple(p) for p in data["outline"]]
        clash = [s.code for s in kept if s.side == data["side"]
                 and geometry.overlap(polygon, [tuple(p) for p in s.outline])]
        clash += [f"{other['code']} (line {other_line})" for other_line, other in placed
                  if other["side"] == data["side"] and geometry.overlap(polygon, [tuple(p) for p in other["outline"]])]
        if clash:
            report.problems.setdefault(line, []).append(
                str(_l("outline: overlaps site(s) %(codes)s.", codes=", ".join(clash))))
        placed.append((line, data))
    if report.problems:
        return report
    now = utcnow()
    for _line, data, site in accepted:
        if site is None:
            site = Site(**data, version=1, created_at=now, updated_at=now, updated_by_id=actor.id if actor else None)
            db.session.add(site)
            db.session.flush()
            record("site.create", site, actor=actor, actor_label=label,
                   details={"code": site.code, "source": "import", **{k: data[k] for k in AUDITED}})
            report.created.append(site.code)
            continue
        changes = {}
        for name in AUDITED:
            if getattr(site, name) != data[name]:
                changes[name] = [getattr(site, name), data[name]]
                setattr(site, name, data[name])
        if changes:
            site.version += 1
            site.updated_at, site.updated_by_id = now, actor.id if actor else None
            record("site.update", site, actor=actor, actor_label=label,
                   details={"code": site.code, "source": "import", "changes": changes})
            report.updated.append(site.code)
        else:
            report.unchanged.append(site.code)
    db.session.flush()
    return report


# --- leases ----------------------------------------------------------------------------------------------------

def signature_days(side: str, on_date: date) -> tuple[int, str]:
    """The days a lease may wait for the company's signature (rule-set parameter), and the rule set's version."""
    from zone.eligibility.services import current_registry

    rule_set = current_registry().for_date(on_date)
    parameter = rule_set.parameters.get(SIGNATURE_DAYS)
    value = parameter.value_on(on_date) if parameter is not None else None
    if value is None:
        raise Conflict(_l("The rule set %(version)s in force on %(date)s has no value of %(parameter)s, so no site "
                          "can be leased; the decision was not saved.", version=rule_set.version,
                          date=on_date.isoformat(), parameter=SIGNATURE_DAYS), code="lease_terms_missing")
    return int(value.value), rule_set.version


def cooperation_reduction(granted_benefits: Any) -> tuple[int, date | None]:
    """The lease reduction the granted ``ICIC_COOPERATION`` benefit gives: (percent, last day), or (0, None)."""
    for benefit in granted_benefits or []:
        if isinstance(benefit, dict) and benefit.get("code") == COOPERATION and benefit.get("periods"):
            periods = benefit["periods"]
            return int(Decimal(str(periods[0].get("reduction_pct") or 0))), date.fromisoformat(periods[-1]["until"])
    return 0, None


def site_refusal(site: Site | None, code: str, side: str) -> Conflict | ValidationFailed | None:
    """Why ``site`` cannot be leased to an application of ``side`` now, or None."""
    if site is None:
        return ValidationFailed(_l("There is no site %(code)s.", code=code),
                                fields={"site": [_l("There is no site %(code)s.", code=code)]})
    if site.side != side:
        return Conflict(_l("Site %(code)s is on the other side of the centre (%(side)s); choose a site of the "
                           "application's side.", code=site.code, side=site.side), code="site_other_side",
                        details={"site": site.code})
    if site.status != SiteStatus.FREE:
        return Conflict(_l("Site %(code)s is not free (%(status)s); choose another site.", code=site.code,
                           status=site.status), code="site_not_free", details={"site": site.code})
    return None


def lease_site(application: Application, code: Any, *, granted_benefits: Any, decided_on: date,
               certificate_serial: str | None, actor: User | None) -> Lease:
    """Lease site ``code`` to the admitted application's company, inside the approval's transaction.

    The site is locked first; a site that does not exist is 422, one of the other side or not free is 409
    naming it. The rent is the site's; a granted ``ICIC_COOPERATION`` benefit gives its reduction for its
    period. The lease waits for the company's signature for the rule set's number of days, then lapses.
    """
    if not isinstance(code, str) or not code.strip() or len(code) > 20:
        raise ValidationFailed(_l("Give the code of the site to lease."),
                               fields={"site": [_l("Give the code of the site to lease.")]})
    code = code.strip().upper()
    site = queries.for_update(code)
    refusal = site_refusal(site, code, application.side)
    if refusal is not None:
        raise refusal
    days, rule_set = signature_days(site.side, decided_on)
    reduction_pct, reduction_until = cooperation_reduction(granted_benefits)
    site.status = next_status(site.status, Action.LEASE)
    site.version += 1
    site.updated_at, site.updated_by_id = utcnow(), actor.id if actor else None
    lease = Lease(site_id=site.id, application_id=application.id, company_id=application.company_id,
                  certificate_serial=certificate_serial, status=LeaseStatus.AWAITING_SIGNATURE,
                  area_m2=site.area_m2, rent_per_m2_year=site.rent_per_m2_year, currency=site.currency,
                  reduction_pct=reduction_pct, reduction_until=reduction_until, starts_on=decided_on,
                  sign_by=decided_on + timedelta(days=days), rule_set_version=rule_set,
                  created_by_id=actor.id if actor else None)
    lease.site, lease.application, lease.company = site, application, application.company
    pdf, digest = render_and_sign(lease_context(lease, signed_on=decided_on))
    lease.pdf, lease.sha256 = pdf, digest
    db.session.add(lease)
    db.session.flush()
    record("site.lease", site, actor=actor, details={
        "code": site.code, "lease": lease.id, "application_id": application.id, "company_id": application.company_id,
        "certificate": certificate_serial, "rent_per_m2_year": lease.rent_per_m2_year, "currency": lease.currency,
        "reduction_pct": reduction_pct, "reduction_until": reduction_until, "sign_by": lease.sign_by,
        "sha256": digest})
    return lease


def _end(lease: Lease, action: LeaseAction, actor: User | None, reason: str, *, label: str | None = None) -> bool:
    """End ``lease`` by ``action`` and free its site; False when the table does not allow it."""
    ended = next_lease_status(lease.status, action)
    if ended is None:
        return False
    site = queries.for_update(lease.site.code)
    lease.status, lease.ended_at, lease.end_reason = ended, utcnow(), reason
    freed = next_status(site.status, Action.VACATE)
    if freed is not None:
        site.status = freed
        site.version += 1
        site.updated_at, site.updated_by_id = utcnow(), actor.id if actor else None
    record(f"site.{action.value}", site, actor=actor, actor_label=label, details={
        "code": site.code, "lease": lease.id, "company_id": lease.company_id, "reason": reason,
        "status": site.status})
    return True


def release_with_certificate(certificate: Certificate, actor: User | None) -> list[Lease]:
    """Release the sites leased with ``certificate``'s application once the certificate is revoked, in the
    revocation's transaction; other decisions change nothing."""
    if certificate.status != CertificateStatus.REVOKED:
        return []
    released = []
    for lease in queries.live_leases_of_application(certificate.application_id):
        reason = f"certificate {certificate.serial} revoked: {certificate.revoked_reason or ''}".strip()
        if _end(lease, LeaseAction.RELEASE, actor, reason):
            released.append(lease)
    return released


def lapse_unsigned(on_date: date) -> list[Lease]:
    """Leases not signed by their term lapse and their sites are free again (the worker's job)."""
    lapsed = []
    for lease in queries.overdue_unsigned(on_date):
        if _end(lease, LeaseAction.LAPSE, None, f"not signed by {lease.sign_by.isoformat()}", label="sites-worker"):
            lapsed.append(lease)
    return lapsed


def sign_lease(lease: Lease, actor: User) -> Lease:
    """The company signs its lease (the signed paper lease is recorded); 409 when it cannot be signed now."""
    if not policies.can_sign(actor, lease):
        raise Forbidden(_l("Only the company's own representatives sign its lease."))
    signed = next_lease_status(lease.status, LeaseAction.SIGN)
    if signed is None:
        raise Conflict(_l("The lease of site %(code)s cannot be signed any more (%(status)s).",
                          code=lease.site.code, status=lease.status), code="lease_not_signable")
    lease.status, lease.signed_at = signed, utcnow()
    record("site.lease_signed", lease.site, actor=actor, details={"code": lease.site.code, "lease": lease.id})
    return lease
