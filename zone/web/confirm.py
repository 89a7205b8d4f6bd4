"""A confirmation step for what cannot be undone (approve, reject, revoke, retire a rule set, disable an account).

Works without JavaScript: the first POST of a valid form renders a page that states the consequence and
carries every posted field back as hidden inputs, plus ``confirmed=1``; only that second POST acts. The
route validates first (errors are shown on the form, not behind a confirmation), then asks. The API never
asks: a client that posts JSON has decided already.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template, request

CONFIRMED = "confirmed"


@dataclass
class Confirmation:
    """What the page says: a title, the consequence (one paragraph each), facts to check, the button."""

    title: str
    consequences: list[str]
    confirm_label: str
    back_url: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    danger: bool = True


def is_confirmed() -> bool:
    return request.form.get(CONFIRMED) == "1"


def ask(confirmation: Confirmation):
    """The confirmation page; its form posts the same fields again to the same address, confirmed."""
    fields = [(name, value) for name, value in request.form.items(multi=True) if name != CONFIRMED]
    return render_template("web/confirm.html", confirmation=confirmation, fields=fields,
                           action=request.full_path.rstrip("?"), confirmed_name=CONFIRMED)
