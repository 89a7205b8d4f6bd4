"""What a text typed by a person or sent by an integrator may contain: the one definition.

A single-line text (a name, a title, a subject, an email address, a code) holds no control character at
all: no line break, no carriage return, no NUL, none of C0, DEL or C1, no Unicode line or paragraph
separator. A multi-line text (a description, a comment, a reason, an address) may also hold line feeds
and tabs; ``\\r\\n`` as browsers send it becomes ``\\n``. Anything else is refused with a message, never
silently changed, so the person sees what was wrong and keeps what they typed.

The rule is applied at the doors: every WTForms text field (:mod:`zone.web.forms`), every string of an
API body (:func:`zone.api.common.json_body`) and the field layers the forms only carry values to
(:mod:`zone.applications.fields`, the company profile). :func:`header_text` makes stored text safe for
places that cannot refuse it, like mail headers.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

# C0 controls, DEL, C1 controls and the Unicode line and paragraph separators.
_NOT_IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_RUNS_NOT_IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_NOT_IN_A_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")  # \t and \n are allowed

SINGLE_LINE_MESSAGE = _l("Remove the line breaks and invisible control characters: this field takes one line "
                         "of text.")
MULTI_LINE_MESSAGE = _l("Remove the invisible control characters (line breaks and tabs are fine).")

#: API fields that take several lines, by name wherever they appear in a body; every other string is one line.
MULTI_LINE_FIELDS = frozenset({"project_description", "description", "comment", "reason", "text", "message",
                               "address"})


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` (what browsers send for a line break in a text area) as ``\\n``."""
    return text.replace("\r\n", "\n")


def text_problem(value: Any, *, multiline: bool = False) -> Any:
    """The message to show when ``value`` holds a character its kind of text may not; None when it is fine
    (and for anything that is not a string: other rules judge those)."""
    if not isinstance(value, str):
        return None
    if multiline:
        return MULTI_LINE_MESSAGE if _NOT_IN_A_TEXT.search(normalise_newlines(value)) else None
    return SINGLE_LINE_MESSAGE if _NOT_IN_A_LINE.search(value) else None


def body_problems(body: Any, *, multiline: Collection[str] = MULTI_LINE_FIELDS, removed: Collection[str] = (),
                  path: str = "") -> dict[str, list]:
    """Every string in a JSON body that breaks the rule, by field path (``company.name``, ``products.0.unit``).

    A string is multi-line when the last name on its path is in ``multiline``; keys are single lines.
    ``removed`` names the paths where the request filter already took NUL characters out: refused too.
    """
    problems: dict[str, list] = {}

    def walk(value: Any, at: str, name: str) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                key_path = f"{at}.{key}" if at else str(key)
                if text_problem(key):
                    problems.setdefault(at or str(key), [SINGLE_LINE_MESSAGE])
                walk(item, key_path, str(key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{at}.{index}" if at else str(index), name)
        elif isinstance(value, str):
            many = name in multiline
            problem = text_problem(value, multiline=many) or (
                (MULTI_LINE_MESSAGE if many else SINGLE_LINE_MESSAGE) if at in removed else None)
            if problem:
                problems.setdefault(at, [problem])

    walk(body, path, path.rsplit(".", 1)[-1])
    return problems


def normalise_body(body: Any, *, multiline: Collection[str] = MULTI_LINE_FIELDS, name: str = "") -> Any:
    """The body with the line breaks of its multi-line strings normalised (see :func:`normalise_newlines`)."""
    if isinstance(body, dict):
        return {key: normalise_body(value, multiline=multiline, name=str(key)) for key, value in body.items()}
    if isinstance(body, list):
        return [normalise_body(item, multiline=multiline, name=name) for item in body]
    if isinstance(body, str) and name in multiline:
        return normalise_newlines(body)
    return body


def header_text(value: str) -> str:
    """Stored text made fit for one line that cannot refuse it (a mail header): each run of control
    characters becomes one space."""
    return _RUNS_NOT_IN_A_LINE.sub(" ", value or "").strip()
