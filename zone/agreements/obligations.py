"""The resident's obligations: taken from the approved application and the rule set in force on the
decision date, and changed only by an approved amendment.

Every figure that is not the company's own commitment (the tolerance, the conclusion term, the KZ
priority-income minimum and the legal references) is a dated rule-set parameter
(``zone/eligibility/rulesets``), never a constant here. An obligation is a plain dict, as stored and
as the API shows it::

    {"id": "investment", "type": "investment", "target": "6500000000", "unit": "KZT",
     "due": "2027-03-01", "tolerance_pct": "10", "reference": "...", "verified": false}

``target`` is a decimal string for money and percentages, a whole number for jobs and an ISO date for
the start dates; ``due`` is the date the application committed to (grace periods are compliance's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l

from zone.applications.models import Application
from zone.eligibility.compiled import ParamValue
from zone.errors import Conflict, ValidationFailed

OBLIGATION_TYPES = ("investment", "jobs_total", "jobs_local", "construction_start", "production_start",
                    "priority_income_share")
DATE_TYPES = frozenset({"construction_start", "production_start"})
TOLERANCE = "agreement.tolerance_pct"
CONCLUSION_DAYS = "{side}.agreement.conclusion_days"
PRIORITY_SHARE = "kz.priority_income_share_min"
MAX_AMOUNT = Decimal("1e18")
MAX_JOBS = 1_000_000


@dataclass(frozen=True)
class AgreementTerms:
    """The rule-set parameters of an agreement, as in force on its decision date."""

    rule_set_version: str
    tolerance: ParamValue
    conclusion: ParamValue
    priority_share: ParamValue | None  # KZ only

    def countersign_due(self, decided_on: date) -> date:
        """The last day of the conclusion term: calendar days from the decision (the legal KZ term is
        counted in calendar days; no working calendar is applied)."""
        return decided_on + timedelta(days=int(self.conclusion.value))


def terms_on(side: str, on_date: date) -> AgreementTerms:
    """The agreement terms of ``side`` in the rule set in force on ``on_date``.

    A rule set that lacks one of them cannot conclude agreements: the approval fails (409) rather than
    invent a figure.
    """
    from zone.eligibility.services import current_registry

    rule_set = current_registry().for_date(on_date)
    wanted = [TOLERANCE, CONCLUSION_DAYS.format(side=side.lower())] + ([PRIORITY_SHARE] if side == "KZ" else [])
    values: dict[str, ParamValue] = {}
    for name in wanted:
        parameter = rule_set.parameters.get(name)
        value = parameter.value_on(on_date) if parameter is not None else None
        if value is None:
            raise Conflict(_l("The rule set %(version)s in force on %(date)s has no value of %(parameter)s, so no "
                              "activity agreement can be made; the decision was not saved.",
                              version=rule_set.version, date=on_date.isoformat(), parameter=name),
                           code="agreement_terms_missing")
        values[name] = value
    return AgreementTerms(rule_set_version=rule_set.version, tolerance=values[TOLERANCE],
                          conclusion=values[wanted[1]], priority_share=values.get(PRIORITY_SHARE))


def _number(value: Any) -> str:
    return format(Decimal(value).normalize(), "f")


def _investment_schedule(application: Application) -> list[tuple[int, Decimal]]:
    """The yearly schedule the application gave, if any. The field is optional (API.md): without it, or
    with an unusable one, the whole amount is due by the production start."""
    raw = getattr(application, "investment_schedule", None) or []
    schedule = []
    for item in raw if isinstance(raw, list) else []:
        try:
            year, amount = int(item["year"]), Decimal(str(item["amount"]))
        except (KeyError, TypeError, ValueError, InvalidOperation):
            return []
        if not (2000 <= year <= 2100 and 0 < amount < MAX_AMOUNT):
            return []
        schedule.append((year, amount))
    return sorted(schedule)


def obligations_for(application: Application, terms: AgreementTerms) -> list[dict]:
    """The obligations of ``application`` (an approved one) under ``terms``, in a fixed order.

    An obligation exists only for what the application committed to: a fact it lacks makes none.
    """
    common_reference = terms.conclusion.reference
    verified = terms.tolerance.verified and terms.conclusion.verified

    def obligation(ident: str, kind: str, target: Any, unit: str, due: date, *, reference: str = common_reference,
                   checked: bool = verified, **extra) -> dict:
        return {"id": ident, "type": kind, "target": target, "unit": unit, "due": due.isoformat(),
                "tolerance_pct": _number(terms.tolerance.value), "reference": reference, "verified": checked,
                **extra}

    production = application.production_start
    result: list[dict] = []
    if application.investment_amount is not None and application.investment_currency and production:
        schedule = _investment_schedule(application)
        if schedule:
            for year, amount in schedule:
                result.append(obligation(f"investment-{year}", "investment", _number(amount),
                                         application.investment_currency, date(year, 12, 31), year=year))
        else:
            result.append(obligation("investment", "investment", _number(application.investment_amount),
                                     application.investment_currency, production))
    if production:
        if application.jobs_total is not None:
            result.append(obligation("jobs_total", "jobs_total", int(application.jobs_total), "jobs", production))
        if application.jobs_local is not None:
            result.append(obligation("jobs_local", "jobs_local", int(application.jobs_local), "jobs", production))
    if application.construction_start:
        start = application.construction_start
        result.append(obligation("construction_start", "construction_start", start.isoformat(), "date", start))
    if production:
        result.append(obligation("production_start", "production_start", production.isoformat(), "date", production))
    if terms.priority_share is not None and production:
        share = terms.priority_share
        result.append(obligation("priority_income_share", "priority_income_share", _number(share.value), "percent",
                                 production, reference=share.reference,
                                 checked=share.verified and terms.tolerance.verified, recurrence="annual"))
    return result


# --- amendments ------------------------------------------------------------------------------------------

def _parse_target(obligation: dict, raw: Any) -> Any:
    kind = obligation["type"]
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "") if raw is not None else ""
    if kind in DATE_TYPES:
        return _parse_date(raw).isoformat()
    if kind in ("jobs_total", "jobs_local"):
        if isinstance(raw, bool) or not text.isdigit() or int(text) > MAX_JOBS:
            raise ValueError(_l("A whole number of jobs from 0 to %(n)s.", n=MAX_JOBS))
        return int(text)
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(_l("A number, e.g. 1500000 or 92.5.")) from None
    upper = Decimal(100) if kind == "priority_income_share" else MAX_AMOUNT
    if not value.is_finite() or not Decimal(0) < value <= upper:
        raise ValueError(_l("A positive number up to %(max)s.", max=_number(upper)))
    return _number(value.quantize(Decimal("0.01")))


def _parse_date(raw: Any) -> date:
    if isinstance(raw, date):
        return raw
    try:
        value = date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValueError(_l("Enter a date as YYYY-MM-DD.")) from None
    if not 2000 <= value.year <= 2100:
        raise ValueError(_l("Enter a date between 2000 and 2100."))
    return value


def amended(obligations: list[dict], changes: Any) -> tuple[list[dict], list[dict]]:
    """Apply ``changes`` (``[{"id", "target"?, "due"?}]``) to a copy of ``obligations``.

    Returns the new set and what changed (``[{"id", "field", "from", "to"}]``). Raises ValidationFailed
    naming each bad entry as ``obligations.<i>.<field>``, and when nothing would change.
    """
    if not isinstance(changes, list) or not changes:
        raise ValidationFailed(_l("Change at least one obligation."),
                               fields={"obligations": [_l("Change at least one obligation.")]})
    by_id = {o["id"]: dict(o) for o in obligations}
    errors: dict[str, list] = {}
    diff: list[dict] = []
    seen: set[str] = set()
    for index, change in enumerate(changes):
        where = f"obligations.{index}"
        if not isinstance(change, dict) or not isinstance(change.get("id"), str) or change["id"] not in by_id:
            errors[f"{where}.id"] = [_l("No such obligation in this agreement.")]
            continue
        if set(change) - {"id", "target", "due"}:
            errors[where] = [_l("Only the target and the due date of an obligation can change.")]
            continue
        if change["id"] in seen:
            errors[f"{where}.id"] = [_l("This obligation is changed twice.")]
            continue
        seen.add(change["id"])
        current = by_id[change["id"]]
        for field in ("target", "due"):
            if field not in change or change[field] in (None, ""):
                continue
            try:
                value = _parse_target(current, change[field]) if field == "target" else \
                    _parse_date(change[field]).isoformat()
            except ValueError as error:
                errors[f"{where}.{field}"] = [error.args[0]]
                continue
            # A start date is both the target and the due date: changing either moves both.
            targets = ("target", "due") if current["type"] in DATE_TYPES else (field,)
            if value != current[field]:
                diff.append({"id": current["id"], "field": field, "from": current[field], "to": value})
                for name in targets:
                    current[name] = value
    if errors:
        raise ValidationFailed(_l("Some changes are not valid."), fields=errors)
    if not diff:
        raise ValidationFailed(_l("The proposal changes nothing."),
                               fields={"obligations": [_l("The proposal changes nothing.")]})
    return [by_id[o["id"]] for o in obligations], diff
