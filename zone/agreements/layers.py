"""The particulars of an agreement as two layers: the form, laid out once, and the values printed over it.

Laying out a page is the costly part of a PDF. The particulars of two agreements of the same kind (side,
rule set, obligation types, signatory) differ only in their values: number, date, company, project,
targets and dates. So the particulars are laid out once per kind as a *form* whose values are empty slots
of a fixed size (``templates/agreements/agreement_particulars.html`` with ``form``), the slots' places
are read from that layout, and each agreement lays out only a page of values placed in them
(``agreement_values.html``), which :func:`stamp_values` prints over the form's first page in the revision
the zone signs. A value that might not fit its slot (or a revision, which lists its changes) is laid out
in full by :func:`zone.agreements.pdf.render_agreement_pdf` instead: the document reads the same.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from io import BytesIO

from zone.agreements.pdf import (
    AGREEMENT,
    TEMPLATE_DIR,
    document_context,
    general_conditions_pdf,
    join_pdfs,
    render_agreement_pdf,
)
from zone.certificates.pdf import SandboxedDocument

VALUES = SandboxedDocument(TEMPLATE_DIR, TEMPLATE_DIR / "agreement_values.css")  # a small stylesheet: quick


@dataclass(frozen=True)
class AgreementPdf:
    """A rendered agreement: ``pdf`` alone, or ``pdf`` (a form shared by many agreements) with ``values``
    (a one-page PDF to print over its first page, see :func:`stamp_values`)."""

    pdf: bytes
    values: bytes | None = None


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




def warm_up() -> None:
    """Parse the values stylesheet now rather than at the first admission."""
    VALUES.warm_up()
