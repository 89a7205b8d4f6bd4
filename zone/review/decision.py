"""What a decision may grant: the benefits the rules give on the decision date, and rejection grounds.

The approver starts from the evaluation on the decision date. They may drop a benefit or end a period
earlier; they may never add a benefit the rules deny, extend a period or raise a reduction. Any change
needs a reason. Granted benefits are stored as
``[{"code", "periods": [{"from", "until", "reduction_pct"}]}]`` (the certificate's shape).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from zone.applications.models import Application
from zone.eligibility.render import render_snapshot
from zone.eligibility.services import evaluate_application
from zone.errors import ValidationFailed, ZoneError

log = logging.getLogger(__name__)

REJECTION_GROUNDS = {
    "INCOMPLETE_DOCUMENTS": _l("Incomplete documents"),
    "INVALID_INFORMATION": _l("False or invalid documents or information"),
    "ACTIVITY_NOT_PRIORITY": _l("The activity is not a priority activity of the zone"),
    "CRITERIA_NOT_MET": _l("An admission criterion is not met"),
    "NO_SITE_AVAILABLE": _l("No site is available in the zone"),
    "OTHER": _l("Other reasons"),
}


def ground_label(code: str) -> str:
    """The translated label of a rejection ground (the code itself when unknown)."""
    label = REJECTION_GROUNDS.get(code)
    return str(label) if label is not None else code


def clean_grounds(grounds: Any, field_name: str = "grounds") -> list[str]:
    """The coded grounds, in the canonical order; 422 when none or an unknown one is given."""
    if isinstance(grounds, str):
        grounds = [grounds]
    if not isinstance(grounds, (list, tuple)) or not grounds:
        raise ValidationFailed(_l("Choose at least one ground for the rejection."),
                               fields={field_name: [_l("Choose at least one ground.")]})
    unknown = [g for g in grounds if not isinstance(g, str) or g not in REJECTION_GROUNDS]
    if unknown:
        raise ValidationFailed(_l("Unknown rejection ground."), fields={
            field_name: [_l("Unknown ground: %(code)s.", code=", ".join(map(str, unknown)))]})
    return [code for code in REJECTION_GROUNDS if code in grounds]


# --- the evaluation on the decision date --------------------------------------------------------------

@dataclass
class DecisionBasis:
    """The evaluation on a date, reduced to what a decision needs."""

    on_date: date
    available: bool  # False when the application's facts could not be evaluated
    admitted: bool = False
    benefits: list[dict] = field(default_factory=list)  # every benefit of the side, as the API shows it
    result: dict | None = None
    problem: str | None = None
    evaluation: Any = None  # the engine's Evaluation: stored as the decision's snapshot, texts in other languages

    def benefit_name(self, code: str, locale: str) -> str:
        """The benefit's name in ``locale`` (for emails in the recipient's language)."""
        for result in getattr(self.evaluation, "benefits", ()) or ():
            benefit = getattr(result, "benefit", None)
            if getattr(benefit, "code", None) == code:
                names = getattr(benefit, "name", {}) or {}
                return names.get(locale) or names.get("ru") or code
        return next((b.get("name") or code for b in self.benefits if b.get("code") == code), code)

    @property
    def eligible(self) -> dict[str, dict]:
        return {b["code"]: b for b in self.benefits if b.get("eligible")}

    def proposed(self) -> list[dict]:
        """The benefits the rules grant on ``on_date``, in the stored shape."""
        return [{"code": b["code"], "periods": [dict(p) for p in b.get("periods") or []]}
                for b in self.benefits if b.get("eligible")]


def stored_basis(snapshot: Any, locale: str | None = None) -> DecisionBasis:
    """The basis of a stored evaluation (an ``EligibilitySnapshot``): what the rules gave on its date, as
    they read then, however the rules have changed since."""
    data = render_snapshot(snapshot.result, locale or str(get_locale() or "ru"))
    return DecisionBasis(date.fromisoformat(str(data["on_date"])), available=True, admitted=bool(data["admitted"]),
                         benefits=list(data.get("benefits") or []), result=data)


def decision_basis(application: Application, on_date: date, locale: str | None = None) -> DecisionBasis:
    """Evaluate ``application`` on ``on_date``; never raises for facts the engine refuses."""
    locale = locale or str(get_locale() or "ru")
    try:
        result = evaluate_application(application, on_date)
    except (ZoneError, ValueError, LookupError) as error:  # invalid facts, no rule set in force
        log.info("Application %s cannot be evaluated on %s: %s", application.id, on_date, error)
        fields = getattr(error, "fields", None) or {}
        detail = "; ".join(f"{name}: {' '.join(map(str, msgs))}" for name, msgs in fields.items()) or str(
            getattr(error, "message", error))
        return DecisionBasis(on_date, available=False,
                             problem=str(_l("The application's facts cannot be evaluated: %(error)s", error=detail)))
    data = result.to_dict(locale)
    return DecisionBasis(on_date, available=True, admitted=bool(data.get("admitted")),
                         benefits=list(data.get("benefits") or []), result=data, evaluation=result)


# --- the approver's choice ------------------------------------------------------------------------------

def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def _cut(periods: list[dict], until: date) -> list[dict]:
    """``periods`` ending no later than ``until`` (the last one shortened). Periods are half-open,
    ``[from, until)``: one that would start on ``until`` is empty, so dropped."""
    cut = []
    for period in periods:
        start, end = date.fromisoformat(period["from"]), date.fromisoformat(period["until"])
        if start >= until:
            break
        cut.append({**period, "until": min(end, until).isoformat()})
    return cut


def _pct(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None  # NaN would make the comparison raise or never match


def _requested_until(item: dict, offered: list[dict], key: str, errors: dict) -> date | None:
    """The end the approver grants (``until``, half-open: the first day without the benefit), from
    ``until`` or from explicit ``periods``."""
    if item.get("until") not in (None, ""):
        until = _parse_date(item["until"])
        if until is None:
            errors[key] = [_l("Enter the end date as YYYY-MM-DD.")]
        return until
    periods = item.get("periods")
    if periods is None:
        return None
    if not isinstance(periods, list) or not periods or not all(isinstance(p, dict) for p in periods):
        errors[key] = [_l("Periods must be a non-empty list of {from, until, reduction_pct}.")]
        return None
    until = _parse_date(periods[-1].get("until"))
    if until is None:
        errors[key] = [_l("Enter the end date as YYYY-MM-DD.")]
        return None
    expected = _cut(offered, until) if offered else []
    same = len(expected) == len(periods) and all(
        _parse_date(p.get("from")) == date.fromisoformat(e["from"])
        and _parse_date(p.get("until")) == date.fromisoformat(e["until"])
        and _pct(p.get("reduction_pct")) == _pct(e["reduction_pct"])
        for p, e in zip(periods, expected, strict=False))
    if not same:
        errors[key] = [_l("Periods may only be shortened from their end; their start and reduction stay as the "
                          "rules set them.")]
    return until


CHOICE_KEYS = frozenset({"code", "until", "periods"})


def choose_benefits(basis: DecisionBasis, requested: Any) -> tuple[list[dict], bool]:
    """The benefits to grant and whether they differ from the rules' proposal.

    ``requested`` is None (grant what the rules give) or a list whose items are a benefit code or
    ``{"code", "until"?}`` / ``{"code", "periods"?}``. Raises ValidationFailed (422) naming each
    benefit that the rules deny, that is repeated or whose period would be extended.
    """
    proposed = basis.proposed()
    if requested is None:
        return proposed, False
    if not isinstance(requested, list):
        raise ValidationFailed(_l("Benefits must be a list."), fields={"benefits": [_l("Must be a list.")]})
    offered = {b["code"]: b["periods"] for b in proposed}
    errors: dict[str, list] = {}
    granted: list[dict] = []
    seen: set[str] = set()
    for index, item in enumerate(requested):
        if isinstance(item, str):
            item = {"code": item}
        code = item.get("code") if isinstance(item, dict) else None
        key = f"benefits.{code}" if isinstance(code, str) and code else f"benefits.{index}"
        if not isinstance(code, str) or not code:
            errors[key] = [_l("Each benefit needs its code.")]
            continue
        if code in seen:
            errors[key] = [_l("This benefit is listed twice.")]
            continue
        if set(item) - CHOICE_KEYS:
            # Names, references and legal bases are the rules' words; a request may only choose.
            errors[key] = [_l("Only the code and an earlier end (until or periods) can be given for a benefit; "
                              "its name and legal basis come from the rules.")]
            continue
        seen.add(code)
        if code not in offered:
            errors[key] = [_l("The rules do not grant %(code)s on the decision date, so it cannot be added.",
                              code=code)]
            continue
        periods = offered[code]
        until = _requested_until(item, periods, key, errors)
        if key in errors:
            continue
        if until is not None and periods:
            first = date.fromisoformat(periods[0]["from"])
            last = date.fromisoformat(periods[-1]["until"])
            if until > last:
                errors[key] = [_l("A period can be shortened but not extended: it ends on %(last)s at the latest.",
                                  last=last.isoformat())]
                continue
            if until <= first:  # [first, until) would be empty
                errors[key] = [_l("The end date is before the benefit starts (%(first)s).", first=first.isoformat())]
                continue
            periods = _cut(periods, until)
        granted.append({"code": code, "periods": periods})
    if errors:
        raise ValidationFailed(_l("Some benefits cannot be granted as requested."), fields=errors)
    order = [b["code"] for b in proposed]
    granted.sort(key=lambda b: order.index(b["code"]))
    return granted, granted != proposed
