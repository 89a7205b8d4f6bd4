"""Render an activity agreement to PDF, the way the certificate is rendered.

The sandboxed Jinja templates, the bundled fonts and the fetcher that refuses every other URL are the
certificate's (:class:`zone.certificates.pdf.SandboxedDocument`); only the templates and the stylesheet
are the agreement's. Company-supplied text is cleaned by the certificate's :func:`plain` and escaped by
the template.

An agreement is its *particulars* (parties, project, obligations, signatures; one page) followed by the
*general conditions* of its side (:mod:`zone.agreements.clauses`), which are the same for everybody:
they are rendered once per process and their pages joined to each particulars page. An admission does
not even lay the particulars out: see :mod:`zone.agreements.layers`.

Context accepted by :func:`render_agreement_pdf` (dates as ``date`` or ISO strings)::

    {"number": "AG-KZ-2026-000001", "side": "KZ", "date": date, "decided_on": date,
     "countersign_due": date, "company": {"name", "tax_id", "address"}, "project": str,
     "activity_codes": ["22.21"], "certificate": "ICIC-KZ-2026-000001", "application": "A-2026-00001",
     "signatory": {"name", "title_ru"}, "rule_set": "2026.1",
     "obligations": [...as zone.agreements.obligations...],
     "revision": None or {"number": 2, "amendment": 1, "date": date, "reason": str,
                          "changes": [{"id", "field", "from", "to"}]}}
"""

from __future__ import annotations

import threading
from decimal import Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter

from zone.agreements import clauses, wording
from zone.certificates.pdf import SandboxedDocument, format_date, plain
from zone.vocabulary import SIDES

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "agreements"
AGREEMENT = SandboxedDocument(TEMPLATE_DIR, TEMPLATE_DIR / "agreement_pdf.css")

_conditions: dict[str, bytes] = {}
_conditions_lock = threading.Lock()


class AgreementContextError(ValueError):
    """The context lacks a field the agreement must print, or has an impossible value."""


def _grouped(value: Any, language: str) -> str:
    """A number with grouped thousands: ``6 500 000,5`` in Russian (no-break spaces), ``6,500,000.5`` in
    English."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return plain(value)
    thousands, point = (",", ".") if language == "en" else ("\u00a0", ",")
    whole, _, fraction = format(number, "f").partition(".")
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    text = sign + thousands.join(groups or ["0"])
    return f"{text}{point}{fraction}" if fraction else text


def _target(obligation: dict, language: str) -> str:
    unit = obligation.get("unit") or ""
    if unit == "date":
        return format_date(obligation.get("target"))
    number = _grouped(obligation.get("target"), language)
    if unit == "percent":
        return f"{number} %"
    label = wording.UNITS.get(unit, {}).get(language, unit)
    return f"{number} {plain(label)}".strip()


def _obligations(raw: list[dict], third: str, changed: set[str]) -> tuple[list[dict], list[str]]:
    references: list[str] = []
    rows = []
    for obligation in raw:
        kind = plain(obligation.get("type"))
        names = wording.OBLIGATIONS.get(kind, {"ru": kind, third: kind, "en": kind})
        reference = plain(obligation.get("reference"))
        if reference and reference not in references:
            references.append(reference)
        rows.append({
            "name_ru": names["ru"], "name_third": names[third], "name_en": names["en"],
            "target": _target(obligation, "ru"),
            "due": format_date(obligation.get("due")),
            "tolerance": f"{_grouped(obligation.get('tolerance_pct'), 'ru')} %",
            "basis": str(references.index(reference) + 1) if reference else "—",
            "changed": obligation.get("id") in changed,
        })
    return rows, references


def _change_rows(revision: dict, obligations: list[dict]) -> list[dict]:
    by_id = {o.get("id"): o for o in obligations}
    rows = []
    for change in revision.get("changes") or ():
        obligation = by_id.get(change.get("id")) or {"type": plain(change.get("id")), "unit": ""}
        names = wording.OBLIGATIONS.get(obligation.get("type"), {"ru": plain(change.get("id"))})
        if change.get("field") == "due":
            before, after = format_date(change.get("from")), format_date(change.get("to"))
            suffix = "" if obligation.get("unit") == "date" else " (срок)"
        else:
            before = _target({**obligation, "target": change.get("from")}, "ru")
            after = _target({**obligation, "target": change.get("to")}, "ru")
            suffix = ""
        rows.append({"name": names["ru"] + suffix, "before": before, "after": after})
    return rows


def document_context(context: dict) -> dict:
    """The particulars template's context: plain strings only. ``values`` holds what differs from one
    agreement to the next (number, date, company, project, targets and dates...); everything else is the
    same for every agreement of a side, rule set and set of obligation types, and makes the form."""
    side = plain(context.get("side")).upper()
    number = plain(context.get("number"))
    if side not in SIDES or not number:
        raise AgreementContextError("an agreement needs a side (KZ or UZ) and a number")
    spec = wording.SIDES[side]
    third = spec["third"]
    company = {key: plain((context.get("company") or {}).get(key)) for key in ("name", "tax_id", "address")}
    signatory = context.get("signatory") or {}
    revision = context.get("revision")
    raw_obligations = list(context.get("obligations") or ())
    changed = {c.get("id") for c in (revision or {}).get("changes") or ()}
    obligations, references = _obligations(raw_obligations, third, changed)
    decided_on, due = format_date(context.get("decided_on")), format_date(context.get("countersign_due"))
    certificate = plain(context.get("certificate"))

    labels = {}
    for key, texts in wording.LABELS.items():
        labels[key] = {"ru": texts["ru"], "third": texts[third], "en": texts["en"]}
    labels["company_signs"] = {
        language: wording.LABELS["company_signs"][target].format(esign=spec["esign"][target])
        for language, target in (("ru", "ru"), ("third", third), ("en", "en"))}
    labels["tax_id"] = {"ru": spec["tax_id_label"]["ru"], "third": spec["tax_id_label"][third]}

    values = {
        "number": number, "footer": number, "date": format_date(context.get("date")),
        "participant": company["name"], "company": company["name"], "tax_id": company["tax_id"],
        "tax_id_signature": company["tax_id"], "address": company["address"],
        "codes": ", ".join(plain(c) for c in context.get("activity_codes") or ()) or "—",
        "project": plain(context.get("project")) or "—", "certificate": f"{certificate}, {decided_on}",
        "application": plain(context.get("application")) or "—", "countersign_due": due,
    }
    for index, obligation in enumerate(obligations):
        values[f"target-{index}"] = obligation["target"]
        values[f"due-{index}"] = obligation["due"]
    # (key, lines, static text): a fact without static text is a slot holding values[key].
    facts = [[("zone_party", 0, spec["zone_party"]["ru"])], [("participant", 2, None)],
             [("tax_id", 1, None), ("codes", 1, None)]]
    if company["address"]:
        facts.append([("address", 2, None)])
    facts += [[("project", 2, None)], [("certificate", 1, None), ("application", 1, None)],
              [("countersign_due", 1, None)]]
    revision_view = None
    if revision:
        line_values = {"revision": str(int(revision.get("number") or 0)),
                       "amendment": str(int(revision.get("amendment") or 0)),
                       "date": format_date(revision.get("date"))}
        revision_view = {
            "line": {"ru": wording.REVISION["ru"].format(**line_values),
                     "third": wording.REVISION[third].format(**line_values),
                     "en": wording.REVISION["en"].format(**line_values)},
            "reason": plain(revision.get("reason")),
            "changes": _change_rows(revision, raw_obligations),
        }
        values["footer"] = f"{number} · {revision_view['line']['ru']}"
    return {
        "side": side, "third": third, "form": False, "values": values, "footer": values["footer"],
        "zone": {"ru": wording.ZONE_NAME["ru"], "third": wording.ZONE_NAME[third], "en": wording.ZONE_NAME["en"]},
        "title": {"ru": spec["title"]["ru"], "third": spec["title"][third], "en": spec["title"]["en"]},
        "place": {"ru": spec["place"]["ru"], "third": spec["place"][third]},
        "lead": {"ru": wording.LEAD["ru"], "third": wording.LEAD[third]},
        "l": labels, "facts": facts, "references": references, "revision": revision_view,
        "obligations": [{key: o[key] for key in ("name_ru", "name_third", "tolerance", "basis", "changed")}
                        for o in obligations],
        "zone_party": {"ru": spec["zone_party"]["ru"]},
        "signatory": " ".join(filter(None, [plain(signatory.get("title_ru")), plain(signatory.get("name"))])),
        "tax_id_label": spec["tax_id_label"]["ru"],
        "summary": wording.SUMMARY.format(language=wording.LANGUAGE_NAMES_EN[third]),
    }


def render_agreement_html(context: dict) -> str:
    """The HTML of the agreement's particulars with every value in place."""
    return AGREEMENT.html("agreement_particulars.html", document_context(context))


def general_conditions_pdf(side: str) -> bytes:
    """The general conditions of ``side`` as PDF pages, rendered once per process."""
    third = wording.third_language(side)
    pdf = _conditions.get(third)
    if pdf is None:
        title = wording.LABELS["conditions"]
        html = AGREEMENT.html("agreement_terms.html", {
            "third": third, "sections": clauses.sections(third), "title": title["ru"],
            "heading": {"ru": title["ru"], "third": title[third]},
            "footer": f"{wording.SIDES[side]['title']['ru']}: {title['ru'].lower()} / {title[third].lower()}",
            "summary": {"heading": f"{title['en']}: summary in English", "lines": clauses.SUMMARY_EN},
        })
        pdf = AGREEMENT.render(html)
        with _conditions_lock:
            _conditions[third] = pdf
    return pdf


def render_agreement_pdf(context: dict) -> bytes:
    """Render the agreement (see module docstring) to one PDF, every value laid out in place."""
    template_context = document_context(context)
    particulars = AGREEMENT.render(AGREEMENT.html("agreement_particulars.html", template_context))
    return join_pdfs(particulars, general_conditions_pdf(template_context["side"]))


def join_pdfs(first: bytes, then: bytes) -> bytes:
    """One PDF with the pages of ``first`` then those of ``then``; the metadata is ``first``'s."""
    writer = PdfWriter()
    reader = PdfReader(BytesIO(first))
    writer.append(reader, import_outline=False)
    writer.append(PdfReader(BytesIO(then)), import_outline=False)
    if reader.metadata:
        writer.add_metadata({key: value for key, value in reader.metadata.items() if isinstance(value, str)})
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def warm_up() -> None:
    """Parse the stylesheets and render both sides' general conditions now, not at the first admission."""
    AGREEMENT.warm_up()
    for side in SIDES:
        general_conditions_pdf(side)
