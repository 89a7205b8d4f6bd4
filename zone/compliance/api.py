"""Compliance endpoints of the JSON API (API.md "Compliance")."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, jsonify, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import noload

from zone.accounts.roles import READER_ROLES, Role
from zone.api.common import decode_cursor, encode_cursor, json_body, page_limit
from zone.calendar import today as zone_today
from zone.certificates import queries as certificate_queries
from zone.certificates.models import LIVE_STATUSES, Certificate
from zone.compliance import exports, policies, presenters, queries, services
from zone.compliance import facts as resident_facts
from zone.compliance.engine import evaluate
from zone.compliance.ruleset import TEXT_LANGUAGES, registry
from zone.errors import NotFound, ValidationFailed
from zone.extensions import db
from zone.web.access import AUTHENTICATED, allow

api_bp = Blueprint("compliance_api", __name__, url_prefix="/api/v1")
STATUSES = ("compliant", "at_risk", "breach")


def language() -> str:
    """The reader's language for the rule set's texts (a text without it reads in English)."""
    locale = str(get_locale() or "ru")
    return locale if locale in TEXT_LANGUAGES else "en"


def on_date_arg(args) -> date:
    """``?on_date=`` (ISO date, 2000–2100), default today; 422 naming the field otherwise."""
    raw = args.get("on_date")
    if not raw:
        return zone_today()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        raise ValidationFailed(_("Some values are not valid."), fields={"on_date": [_("Enter a date as YYYY-MM-DD.")]})
    return day


def visible_certificate(serial: str) -> Certificate:
    certificate = certificate_queries.by_serial(serial)
    if certificate is None or not policies.can_view_certificate(current_user, certificate):
        raise NotFound(_("No such certificate."))
    return certificate


@api_bp.get("/certificates/<serial>/compliance")
@allow(AUTHENTICATED)
def certificate_compliance(serial: str):
    """The resident's conditions as of ``?on_date=`` (a what-if: nothing is stored or sent)."""
    certificate = visible_certificate(serial)
    return jsonify(queries.evaluation(certificate, on_date_arg(request.args)).to_dict(language()))


@api_bp.get("/compliance")
@allow(*READER_ROLES)
def residents():
    """One row per live certificate, by id; ``?status=`` keeps the rows of that status (a filtered page may
    be shorter than ``limit``; follow ``next_cursor`` until it is null)."""
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        raise ValidationFailed(_("Some values are not valid."), fields={"status": [_("Not a valid value.")]})
    limit = page_limit()
    cursor = decode_cursor(request.args.get("cursor"), 1)
    if cursor is not None and (isinstance(cursor[0], bool) or not isinstance(cursor[0], int)):
        raise queries.bad_cursor()
    today = zone_today()
    stmt = (select(Certificate).options(noload("*"))
            .where(Certificate.status.in_([s.value for s in LIVE_STATUSES]),
                   Certificate.id > (cursor[0] if cursor else 0))
            .order_by(Certificate.id).limit(limit + 1))
    rows = list(db.session.scalars(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    facts = resident_facts.load(rows)
    stages = queries.open_stages_of([c.id for c in rows])
    rule_set, due_of, items = registry().for_date(today), resident_facts.DueDates(), []
    for certificate in rows:
        evaluation = evaluate(rule_set, facts[certificate.id], today, due_of)
        if status is None or evaluation.status == status:
            items.append({"serial": certificate.serial, "side": certificate.side,
                          "company": {"name": certificate.company_name, "tax_id": certificate.company_tax_id},
                          "certificate_status": certificate.status, "status": evaluation.status,
                          "breached": [r.condition.id for r in evaluation.results if r.status == "breached"],
                          "cases": stages.get(certificate.id, [])})
    return jsonify({"on_date": today.isoformat(), "items": items,
                    "next_cursor": encode_cursor([rows[-1].id]) if more and rows else None})


@api_bp.get("/compliance/cases")
@allow(*READER_ROLES)
def cases():
    f = queries.filter_from_args(request.args)
    if f.errors:
        raise ValidationFailed(_("Some values are not valid."), fields={n: [_("Not a valid value.")] for n in f.errors})
    rows, next_cursor = queries.page(queries.filtered(f), page_limit(), request.args.get("cursor"))
    return jsonify({"items": [presenters.case_json(c) for c in rows], "next_cursor": next_cursor})


def _visible_case(case_id: int):
    case = db.session.get(queries.ComplianceCase, case_id)
    if case is None or not policies.can_view_case(current_user, case):
        raise NotFound(_("No such compliance case."))
    return case


@api_bp.get("/compliance/cases/export.csv")
@allow(*READER_ROLES)
def export_cases():
    """Every compliance case (open and closed) as CSV, for auditors; read in keyset batches."""
    return exports.cases_csv(request.args)


@api_bp.get("/compliance/cases/<int:case_id>")
@allow(AUTHENTICATED)
def case(case_id: int):
    case = _visible_case(case_id)
    body = presenters.case_json(case)
    body["finding"] = services.finding(case, language())
    body["notices"] = [{"id": n.id, "kind": n.kind, "sent_on": n.sent_on.isoformat(), "sha256": n.sha256}
                       for n in queries.notices_of([case.id])]
    return jsonify(body)


@api_bp.post("/compliance/cases/<int:case_id>/propose")
@allow(Role.REVIEWER, Role.APPROVER, Role.ADMIN)
def propose(case_id: int):
    """Prepare the suspension or revocation the case is due for (a second person decides it)."""
    body = json_body(allowed={"reason"}, types={"reason": str})
    case = services.case_for_update(case_id)
    services.propose(case, current_user, body.get("reason"), zone_today())
    db.session.commit()
    return jsonify(presenters.case_json(case))


@api_bp.post("/compliance/cases/<int:case_id>/decline")
@allow(Role.APPROVER, Role.ADMIN)
def decline(case_id: int):
    """A second person declines the proposed sanction."""
    body = json_body(allowed={"reason"}, types={"reason": str})
    case = services.case_for_update(case_id)
    services.decline(case, current_user, body.get("reason"), zone_today())
    db.session.commit()
    return jsonify(presenters.case_json(case))
