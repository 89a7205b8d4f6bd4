"""Primitive checks the rule-set validator is built from.

A :class:`Checker` collects ``(path, message)`` pairs instead of stopping at the first problem,
so an admin sees every mistake of an uploaded rule set at once. A message is a :class:`Problem`: it reads
as English (the command line, logs, the exception's text) and keeps its template and values, so a page
says it in the reader's language (``Problem.translated``); the templates are marked ``N_`` for the
catalogs. The validator itself needs no request or translation machinery.
"""

from __future__ import annotations

import re
import string
from datetime import date
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from .formatting import LOCALES

_FORMATTER = string.Formatter()


def N_(template: str) -> str:  # gettext's name for "mark for translation, translate later"
    return template


class Problem(str):
    """A validation message in English that can be said again in another language."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Problem:
        problem = super().__new__(cls, template % params if params else template)
        problem.template, problem.params = template, params
        return problem

    def translated(self, gettext) -> str:
        """The message through ``gettext`` (the caller's translation function), with the same values."""
        text = gettext(self.template)
        return text % self.params if self.params else text


def at(path: str, key: str | int) -> str:
    """Extend a path: ``at("benefits", 2)`` -> ``benefits[2]``, ``at("x", "name")`` -> ``x.name``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Checker:
    """Collects validation errors while reading a parsed YAML document."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def error(self, path: str, template: str, **params: Any) -> None:
        self.errors.append((path or "(root)", Problem(template, **params)))

    def mapping(self, node: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict | None:
        """A mapping with exactly the allowed keys; reports missing and unknown keys."""
        if not isinstance(node, dict):
            self.error(path, N_("expected a mapping, got %(kind)s"), kind=_kind(node))
            return None
        for key in required:
            if key not in node:
                self.error(at(path, str(key)), N_("missing"))
        for key in node:
            if key not in required and key not in optional:
                self.error(at(path, str(key)), N_("unknown key"))
        return node

    def sequence(self, node: Any, path: str, allow_empty: bool = False) -> list | None:
        if not isinstance(node, list):
            self.error(path, N_("expected a list, got %(kind)s"), kind=_kind(node))
            return None
        if not node and not allow_empty:
            self.error(path, N_("must not be empty"))
            return None
        return node

    def string(self, node: Any, path: str, pattern: re.Pattern | None = None) -> str | None:
        if not isinstance(node, str) or not node.strip():
            self.error(path, N_("expected a non-empty string, got %(kind)s"), kind=_kind(node))
            return None
        if pattern is not None and not pattern.match(node):
            self.error(path, N_("%(value)s does not match %(pattern)s"), value=repr(node), pattern=pattern.pattern)
            return None
        return node

    def boolean(self, node: Any, path: str) -> bool | None:
        if not isinstance(node, bool):
            self.error(path, N_("expected true or false, got %(kind)s"), kind=_kind(node))
            return None
        return node

    def integer(self, node: Any, path: str, low: int, high: int) -> int | None:
        if isinstance(node, bool) or not isinstance(node, int):
            self.error(path, N_("expected a whole number, got %(kind)s"), kind=_kind(node))
            return None
        if not low <= node <= high:
            self.error(path, N_("must be between %(low)s and %(high)s"), low=low, high=high)
            return None
        return node

    def decimal(self, node: Any, path: str, low: Decimal | None = None, high: Decimal | None = None) -> Decimal | None:
        if isinstance(node, bool) or not isinstance(node, (int, float, str)):
            self.error(path, N_("expected a number, got %(kind)s"), kind=_kind(node))
            return None
        try:
            value = Decimal(str(node))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.error(path, N_("expected a number, got %(kind)s"), kind=repr(node))
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            if high:
                self.error(path, N_("must be between %(low)s and %(high)s"), low=low, high=high)
            else:
                self.error(path, N_("must be >= %(low)s"), low=low)
            return None
        return value

    def date(self, node: Any, path: str) -> date | None:
        if isinstance(node, str):
            try:
                return date.fromisoformat(node)
            except ValueError:
                pass
        self.error(path, N_("expected an ISO date YYYY-MM-DD, got %(value)s"), value=repr(node))
        return None

    def text(self, node: Any, path: str, placeholders: frozenset[str] = frozenset()) -> MappingProxyType | None:
        """A text in every UI language, each using only the allowed ``{placeholders}``."""
        if not isinstance(node, dict):
            self.error(path, N_("expected translations %(locales)s, got %(kind)s"),
                       locales=list(LOCALES), kind=_kind(node))
            return None
        ok = True
        for locale in LOCALES:
            if locale not in node:
                self.error(at(path, locale), N_("missing translation"))
                ok = False
        for locale, value in node.items():
            where = at(path, str(locale))
            if locale not in LOCALES:
                self.error(where, N_("unknown language (expected one of %(locales)s)"), locales=", ".join(LOCALES))
                ok = False
            elif self.string(value, where) is None or not self._template(value, where, placeholders):
                ok = False
        return MappingProxyType({loc: node[loc] for loc in LOCALES}) if ok else None

    def _template(self, text: str, path: str, allowed: frozenset[str]) -> bool:
        try:
            parts = list(_FORMATTER.parse(text))
        except ValueError as exc:
            self.error(path, N_("malformed placeholder: %(problem)s"), problem=exc)
            return False
        for _literal, name, spec, conversion in parts:
            if name is None:
                continue
            if name not in allowed or spec or conversion:
                choices = ", ".join(f"{{{p}}}" for p in sorted(allowed)) or "none"
                self.error(path, N_("unknown placeholder %(name)s (allowed: %(choices)s)"),
                           name="{" + name + "}", choices=choices)
                return False
        return True


def _kind(node: Any) -> str:
    if node is None:
        return "nothing"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names.update({list: "a list", dict: "a mapping"})
    return names.get(type(node), type(node).__name__)
