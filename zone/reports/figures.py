"""The report's figures: labels, sections and the one definition of a valid value.

The web form and the JSON API pass raw input through :func:`clean` (types, ranges, text rules; numbers
typed the way people type them in ru/kk/uz/en, parsed by the application form's
:func:`~zone.applications.values.parse_decimal`); :func:`consistency` checks figures against each other,
and :func:`missing` lists what stops a submission. Error keys are API field paths (``jobs_local``,
``output.0.hs_code``, ``benefits_used.KZ_CIT``); messages are lazy translations.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from zone.applications.values import MSG_NUMBER, MSG_WHOLE, parse_decimal, plain_decimal
from zone.reports.workflow import Kind
from zone.vocabulary import CURRENCIES, is_hs_code
from zone.web.forms import REQUIRED
from zone.web.text import normalise_newlines, text_problem

OPINIONS = ("unmodified", "qualified", "adverse", "disclaimer")
MAX_AMOUNT = Decimal(10) ** 15
MAX_JOBS = 1_000_000
MAX_OUTPUT_ROWS = 50
MAX_BENEFITS = 30
_BENEFIT_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")

INVESTMENT = ("investment_own", "investment_borrowed", "investment_foreign")
MONEY = (*INVESTMENT, "investment_cumulative", "payroll", "revenue_total", "revenue_priority", "revenue_export",
         "sales_to_other_side", "purchases_from_other_side", "taxes_paid")
JOBS = ("jobs_total", "jobs_local", "jobs_foreign")
ANNUAL_ONLY = ("auditor_name", "audit_opinion")
FIGURES = ("currency", *MONEY, *JOBS, "benefits_used", "output", *ANNUAL_ONLY)
# Asked for at submission. ``investment_cumulative`` is optional: without it the sum of the previous
# report's cumulative figure and this period's investment is recorded.
REQUIRED_FIGURES = tuple(n for n in FIGURES if n not in ("investment_cumulative", *ANNUAL_ONLY))
DOCUMENT_LABELS = {"audited_statements": _l("Audited financial statements"), "other": _l("Other document")}
DOCUMENT_KINDS = tuple(DOCUMENT_LABELS)
ANNUAL_DOCUMENTS = ("audited_statements",)

LABELS = {
    "currency": _l("Currency of the figures"),
    "investment_own": _l("Investment from own funds"),
    "investment_borrowed": _l("Investment from borrowed funds"),
    "investment_foreign": _l("Foreign investment"),
    "investment_cumulative": _l("Investment since the start of the project (cumulative)"),
    "jobs_total": _l("Jobs at the end of the period, total"),
    "jobs_local": _l("of them held by citizens of the side (local)"),
    "jobs_foreign": _l("of them held by foreign citizens"),
    "payroll": _l("Payroll"),
    "revenue_total": _l("Revenue, total"),
    "revenue_priority": _l("Revenue from priority activities"),
    "revenue_export": _l("Export revenue"),
    "sales_to_other_side": _l("Sales to residents of the other part of the centre"),
    "purchases_from_other_side": _l("Purchases from residents of the other part of the centre"),
    "taxes_paid": _l("Taxes paid"),
    "benefits_used": _l("Benefits used (amount saved per benefit)"),
    "output": _l("Output by product"),
    "auditor_name": _l("Audit firm"),
    "audit_opinion": _l("Auditor's opinion"),
    "period": _l("Period"),
    "documents.audited_statements": _l("Audited financial statements"),
}
OPINION_LABELS = {"unmodified": _l("Unmodified"), "qualified": _l("Qualified"), "adverse": _l("Adverse"),
                  "disclaimer": _l("Disclaimer of opinion")}
OUTPUT_PARTS = ("hs_code", "quantity", "unit", "value")
OUTPUT_LABELS = {"hs_code": _l("HS code"), "quantity": _l("Quantity"), "unit": _l("Unit"), "value": _l("Value")}

# The long form's sections, like the application's.
SECTIONS = {
    "investment": (_l("Investment"), ("currency", *INVESTMENT, "investment_cumulative")),
    "jobs": (_l("Jobs and payroll"), (*JOBS, "payroll")),
    "revenue": (_l("Revenue and trade across the border"),
                ("revenue_total", "revenue_priority", "revenue_export", "sales_to_other_side",
                 "purchases_from_other_side")),
    "taxes": (_l("Taxes and benefits"), ("taxes_paid", "benefits_used")),
    "output": (_l("Output"), ("output",)),
    "audit": (_l("Audit (annual report)"), ANNUAL_ONLY),
}

MSG_AMOUNT = _l("Enter an amount from 0 to 1 000 000 000 000 000, for example 1 500 000 or 12,5.")
MSG_JOBS = _l("Enter a whole number from 0 to 1 000 000.")


class Errors(dict):
    def add(self, path: str, message: Any) -> None:
        messages = self.setdefault(path, [])
        if message not in messages:
            messages.append(message)


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw in ([], {})


def _amount(raw: Any, path: str, errors: Errors) -> Decimal | None:
    value = parse_decimal(raw)
    if value is None:
        errors.add(path, MSG_NUMBER)
        return None
    if not Decimal(0) <= value <= MAX_AMOUNT:
        errors.add(path, MSG_AMOUNT)
        return None
    if value != value.quantize(Decimal("0.01")):
        errors.add(path, _l("Use at most %(n)s digits after the decimal point.", n=2))
        return None
    return value.quantize(Decimal("0.01"))


def _whole(raw: Any, path: str, errors: Errors) -> int | None:
    if isinstance(raw, bool):
        errors.add(path, MSG_WHOLE)
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and re.fullmatch(r"\+?\d{1,9}", re.sub(r"[\s\u00a0\u202f]", "", raw)):
        value = int(re.sub(r"[\s\u00a0\u202f]", "", raw))
    else:
        errors.add(path, MSG_WHOLE)
        return None
    if not 0 <= value <= MAX_JOBS:
        errors.add(path, MSG_JOBS)
        return None
    return value


def _text(raw: Any, path: str, errors: Errors, max_length: int) -> str | None:
    if not isinstance(raw, str):
        errors.add(path, _l("Enter text."))
        return None
    if problem := text_problem(raw):
        errors.add(path, problem)
        return None
    text = normalise_newlines(raw).strip()
    if len(text) > max_length:
        errors.add(path, _l("At most %(n)s characters.", n=max_length))
        return None
    return text or None


def _benefits(raw: Any, path: str, errors: Errors) -> dict[str, str] | None:
    if not isinstance(raw, Mapping):
        errors.add(path, _l("Send an object of benefit codes and amounts, e.g. {\"KZ_CIT\": \"125000\"}."))
        return None
    if len(raw) > MAX_BENEFITS:
        errors.add(path, _l("List at most %(n)s benefits.", n=MAX_BENEFITS))
        return None
    result: dict[str, str] = {}
    for code, amount in raw.items():
        at = f"{path}.{code}"
        if not isinstance(code, str) or not _BENEFIT_CODE.match(code):
            errors.add(path, _l("Unknown benefit code."))
            continue
        value = _amount(amount, at, errors)
        if value is not None:
            result[code] = plain_decimal(value)  # type: ignore[assignment]
    return result


def _output(raw: Any, path: str, errors: Errors) -> list[dict] | None:
    if not isinstance(raw, list):
        errors.add(path, _l("Send a list of products."))
        return None
    if len(raw) > MAX_OUTPUT_ROWS:
        errors.add(path, _l("List at most %(n)s products.", n=MAX_OUTPUT_ROWS))
        return None
    rows = []
    for index, item in enumerate(raw):
        at = f"{path}.{index}"
        if not isinstance(item, Mapping):
            errors.add(at, _l("Each product is an object with hs_code, quantity, unit and value."))
            continue
        for key in sorted(set(item) - set(OUTPUT_PARTS)):
            errors.add(f"{at}.{key}", _l("Unknown field."))
        row: dict[str, Any] = {}
        code = item.get("hs_code")
        code = re.sub(r"[\s.\-]", "", code) if isinstance(code, str) else code
        if _blank(code):
            errors.add(f"{at}.hs_code", REQUIRED)
        elif not is_hs_code(code):
            errors.add(f"{at}.hs_code", _l("An HS code has 6 to 10 digits, e.g. 842482 or 8424820000."))
        else:
            row["hs_code"] = code
        for part in ("quantity", "value"):
            if _blank(item.get(part)):
                errors.add(f"{at}.{part}", REQUIRED)
            else:
                value = _amount(item[part], f"{at}.{part}", errors)
                if value is not None:
                    row[part] = plain_decimal(value)
        if _blank(item.get("unit")):
            errors.add(f"{at}.unit", REQUIRED)
        else:
            unit = _text(item["unit"], f"{at}.unit", errors, 30)
            if unit:
                row["unit"] = unit
        rows.append(row)
    return rows


def clean(data: Mapping[str, Any], kind: Kind | str) -> tuple[dict[str, Any], dict[str, list]]:
    """The figures in ``data`` as stored values, and the errors of the invalid ones. Unknown names are
    errors; a blank clears a figure (a draft may lack any)."""
    errors = Errors()
    values: dict[str, Any] = {}
    for name, raw in data.items():
        if name not in FIGURES:
            errors.add(name, _l("Unknown field."))
            continue
        if name in ANNUAL_ONLY and kind != Kind.ANNUAL:
            if not _blank(raw):
                errors.add(name, _l("Only the annual report has this field."))
            continue
        if _blank(raw):
            values[name] = {"benefits_used": {}, "output": []}.get(name)
            continue
        if name == "currency":
            value = raw.strip().upper() if isinstance(raw, str) else raw
            if value not in CURRENCIES:
                errors.add(name, _l("Choose KZT, UZS or USD."))
            else:
                values[name] = value
        elif name in MONEY:
            values[name] = _amount(raw, name, errors)
        elif name in JOBS:
            values[name] = _whole(raw, name, errors)
        elif name == "benefits_used":
            values[name] = _benefits(raw, name, errors)
        elif name == "output":
            values[name] = _output(raw, name, errors)
        elif name == "auditor_name":
            values[name] = _text(raw, name, errors, 300)
        elif name == "audit_opinion":
            if raw not in OPINIONS:
                errors.add(name, _l("Choose unmodified, qualified, adverse or disclaimer."))
            else:
                values[name] = raw
    return {k: v for k, v in values.items() if k not in errors}, dict(errors)


def consistency(values: Mapping[str, Any], *, granted: Collection[str], previous_cumulative: Decimal | None,
                previous_period: str | None) -> dict[str, list]:
    """Checks across figures: local and foreign jobs within the total, revenue parts within the total,
    benefits only of those granted on the certificate, and cumulative investment that never falls."""
    errors = Errors()
    total, local, foreign = (values.get(n) for n in JOBS)
    if total is not None and local is not None and local > total:
        errors.add("jobs_local", _l("Local jobs cannot be more than the total (%(n)s).", n=total))
    if total is not None and foreign is not None and foreign > total:
        errors.add("jobs_foreign", _l("Foreign jobs cannot be more than the total (%(n)s).", n=total))
    if total is not None and local is not None and foreign is not None and local <= total and foreign <= total \
            and local + foreign > total:
        errors.add("jobs_foreign", _l("Local and foreign jobs together cannot be more than the total (%(n)s).",
                                      n=total))
    revenue = values.get("revenue_total")
    for part in ("revenue_priority", "revenue_export"):
        value = values.get(part)
        if revenue is not None and value is not None and value > revenue:
            errors.add(part, _l("Cannot be more than the total revenue: its share must be from 0 to 100 %."))
    for code in sorted(values.get("benefits_used") or {}):
        if code not in granted:
            errors.add(f"benefits_used.{code}",
                       _l("The certificate grants no benefit %(code)s; report only benefits it grants (%(codes)s).",
                          code=code, codes=", ".join(sorted(granted)) or "—"))
    cumulative = values.get("investment_cumulative")
    if cumulative is not None and previous_cumulative is not None and cumulative < previous_cumulative:
        errors.add("investment_cumulative",
                   _l("Cumulative investment cannot fall: %(period)s reported %(amount)s.",
                      period=previous_period, amount=plain_decimal(previous_cumulative)))
    return dict(errors)


def missing(values: Mapping[str, Any], kind: Kind | str, document_kinds: Collection[str]) -> dict[str, list]:
    """What a submission still lacks."""
    errors = Errors()
    for name in REQUIRED_FIGURES:
        if values.get(name) is None:
            errors.add(name, REQUIRED)
    if kind == Kind.ANNUAL:
        for name in ANNUAL_ONLY:
            if values.get(name) is None:
                errors.add(name, REQUIRED)
        for doc in ANNUAL_DOCUMENTS:
            if doc not in document_kinds:
                errors.add(f"documents.{doc}", _l("Upload the audited financial statements (PDF)."))
    return dict(errors)


def values_of(report) -> dict[str, Any]:
    return {name: getattr(report, name) for name in FIGURES}


def label_of(path: str) -> Any:
    parts = path.split(".")
    if parts[0] == "output" and len(parts) == 3:
        return _l("Output, row %(n)s: %(part)s", n=int(parts[1]) + 1 if parts[1].isdigit() else parts[1],
                  part=OUTPUT_LABELS.get(parts[2], parts[2]))
    if parts[0] == "benefits_used" and len(parts) == 2:
        return _l("Benefit used: %(code)s", code=parts[1])
    return LABELS.get(path, LABELS.get(parts[0], path))
