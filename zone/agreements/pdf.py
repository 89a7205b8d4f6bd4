"""Render an activity agreement to PDF, the way the certificate is rendered.

The sandboxed Jinja templates, the bundled fonts and the fetcher that refuses every other URL are the
certificate's (:class:`zone.certificates.pdf.SandboxedDocument`); only the templates and the stylesheet
are the agreement's. Company-supplied text is cleaned by the certificate's :func:`plain` and escaped by
the template.

An agreement is its *particulars* (parties, project, obligations, signatures; one page, laid out for each
agreement) followed by the *general conditions* of its side (:mod:`zone.agreements.clauses`), which are
the same for everybody: they are rendered once per process and their pages joined to each particulars
page, so an admission lays out one page only.

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

import hashlib
import json
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter

from zone.agreements import clauses, wording
from zone.certificates.pdf import SandboxedDocument, format_date, plain

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "agreements"
AGREEMENT = SandboxedDocument(TEMPLATE_DIR, TEMPLATE_DIR / "agreement_pdf.css")
VALUES = SandboxedDocument(TEMPLATE_DIR, TEMPLATE_DIR / "agreement_values.css")  # a small stylesheet: quick
SIDES = ("KZ", "UZ")

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


@dataclass(frozen=True)
class AgreementPdf:
    """A rendered agreement: ``pdf`` alone, or ``pdf`` (a form shared by many agreements) with ``values``
    (a one-page PDF to print over its first page, see :func:`stamp_values`)."""

    pdf: bytes
    values: bytes | None = None


def render_agreement_pdf(context: dict) -> bytes:
    """Render the agreement (see module docstring) to one PDF, every value laid out in place."""
    template_context = document_context(context)
    particulars = AGREEMENT.render(AGREEMENT.html("agreement_particulars.html", template_context))
    return join_pdfs(particulars, general_conditions_pdf(template_context["side"]))


def render_agreement(context: dict) -> AgreementPdf:
    """The agreement as a shared form plus its values when every value fits its slot (an original; the
    form is laid out once per process), else laid out in full (:func:`render_agreement_pdf`)."""
    template_context = document_context(context)
    if template_context["revision"] is None:
        form = _form(template_context)
        if form is not None:
            slots = form.fill(template_context["values"])
            if slots is not None:
                html = VALUES.html("agreement_values.html", {"number": template_context["values"]["number"],
                                                             "slots": slots})
                return AgreementPdf(pdf=form.pdf, values=VALUES.render(html))
    return AgreementPdf(pdf=render_agreement_pdf(context))


def stamp_values(writer, values_pdf: bytes) -> None:
    """Print the values page over the first page of the document in ``writer`` (a pyHanko incremental
    writer: the values join the form in the same revision as the zone's signature)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    xobject = writer.import_page_as_xobject(PdfFileReader(BytesIO(values_pdf), strict=False))
    # The form's own drawing may leave its coordinate transformation in place: save and restore the
    # graphics state around it, so the values are drawn in the page's own coordinates.
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"q")), prepend=True)
    content = writer.add_object(generic.StreamObject(stream_data=b"Q q /AgreementValues Do Q"))
    writer.add_stream_to_page(0, content, resources=generic.DictionaryObject({
        generic.NameObject("/XObject"): generic.DictionaryObject({generic.NameObject("/AgreementValues"): xobject})}))


# --- the form: the particulars without their values, laid out once ----------------------------------------

# Average advance of a character, in em, that no realistic line of DejaVu Sans exceeds (digits are 0.64 em,
# capitals up to 0.8, bold wider): with it a value is known to fit its slot without laying it out; a value
# that might not fit is laid out in full instead.
_CHAR_EM = {"numeric": 0.7, "text": 0.76, "bold": 0.84}
_NUMERIC = frozenset({"number", "footer", "date", "tax_id", "tax_id_signature", "codes", "certificate",
                      "application", "countersign_due"})
_MAX_FORMS = 64


@dataclass(frozen=True)
class Slot:
    key: str
    x: float
    y: float
    width: float
    height: float
    lines: int
    font_px: float
    css: str


@dataclass(frozen=True)
class Form:
    pdf: bytes  # the form page followed by the general conditions
    slots: tuple[Slot, ...]

    def fill(self, values: dict) -> list[dict] | None:
        """The values placed in their slots, or None when one might not fit (or has no slot)."""
        placed = []
        by_key = {slot.key: slot for slot in self.slots}
        if set(values) - set(by_key) - {"address"} or ("address" in by_key) != bool(values.get("address")):
            return None
        for key, text in values.items():
            slot = by_key.get(key)
            if slot is None:
                continue
            kind = ("numeric" if key in _NUMERIC or key.startswith(("target-", "due-"))
                    else "bold" if "strong" in slot.css.split() else "text")
            per_line = int(slot.width / (slot.font_px * _CHAR_EM[kind]))
            if len(text) > per_line * slot.lines - (slot.lines - 1) * per_line // 3:
                return None
            placed.append({"css": slot.css, "text": text, "x": f"{slot.x:.2f}", "y": f"{slot.y:.2f}",
                           "width": f"{slot.width:.2f}", "height": f"{slot.height:.2f}",
                           "font": f"{slot.font_px:.2f}"})
        return placed


_forms: dict[str, Form | None] = {}
_forms_lock = threading.Lock()


def _form(template_context: dict) -> Form | None:
    """The form of this kind of agreement (None if it does not fit one page), made once per process."""
    static = {key: value for key, value in template_context.items() if key not in ("values", "footer")}
    static["has_address"] = bool(template_context["values"]["address"])
    key = hashlib.sha256(json.dumps(static, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    if key in _forms:
        return _forms[key]
    html = AGREEMENT.html("agreement_particulars.html", {**template_context, "form": True, "footer": ""})
    document = AGREEMENT.layout(html)
    form = None
    if len(document.pages) == 1:
        slots = tuple(_slots(document.pages[0]._page_box))
        form = Form(pdf=join_pdfs(AGREEMENT.write([document]), general_conditions_pdf(template_context["side"])),
                    slots=slots)
    with _forms_lock:
        if len(_forms) >= _MAX_FORMS:
            _forms.clear()
        _forms[key] = form
    return form


def _slots(box, seen: set | None = None):
    """The slot boxes of a laid-out page, in CSS pixels from the page's top-left corner."""
    seen = set() if seen is None else seen
    element = getattr(box, "element", None)
    name = element.get("data-slot") if element is not None and hasattr(element, "get") else None
    if name and name not in seen and hasattr(box, "content_box_x"):
        seen.add(name)
        css = " ".join(c for c in (element.get("class") or "").split() if c not in ("slot",)
                       and not c.startswith("lines-"))
        yield Slot(key=name, x=box.content_box_x(), y=box.content_box_y(), width=box.width, height=box.height,
                   lines=int(element.get("data-lines") or 1), font_px=float(box.style["font_size"]),
                   css=css + (" footer" if name == "footer" else ""))
    for child in getattr(box, "children", None) or ():
        yield from _slots(child, seen)


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
    VALUES.warm_up()
    for side in SIDES:
        general_conditions_pdf(side)
