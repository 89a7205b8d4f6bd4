"""The zone-signed PDF letter of a compliance notice (a warning, an escalation, a cure), kept in the cabinet.

Rendered from plain values by the sandboxed document machinery of the certificates and signed with the
zone's key, as certificates and agreements are; the bytes stored are the original from then on.
"""

from __future__ import annotations

from pathlib import Path

from zone.certificates.letters import ZoneLetter

LETTER = ZoneLetter(Path(__file__).resolve().parents[2] / "templates" / "compliance")


def render_and_sign(context: dict) -> tuple[bytes, str]:
    """The signed PDF of the letter described by ``context`` and its SHA-256.

    ``context``: ``{"kind", "date", "serial", "company": {"name", "tax_id"}, "condition", "explanation_ru",
    "explanation_en", "cure_ru", "cure_en", "cure_due", "reference", "rule_set"}`` (plain strings).
    """
    return LETTER.render_and_sign(context, reason=f"Compliance notice on {context['serial']}")
