"""Labels the review shows for the applications domain's codes (sectors, sides, documents)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from zone.applications.fields import DOCUMENT_LABELS, label_of
from zone.vocabulary import SECTOR_LABELS, SECTORS


def sector_label(code: str | None) -> str:
    if not code:
        return str(_l("Sector not given"))
    label = SECTOR_LABELS.get(code)
    return str(label) if label is not None else code


def document_label(kind: str) -> str:
    label = DOCUMENT_LABELS.get(kind)
    return str(label) if label is not None else kind


def sector_choices() -> list[tuple[str, str]]:
    return [(code, sector_label(code)) for code in SECTORS]


def field_label(name: str) -> str:
    """The label the company saw for one of its application's fields."""
    return str(label_of(name))
