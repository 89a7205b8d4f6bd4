"""Primitive checks the rule-set validator is built from.

A :class:`Checker` collects ``(path, message)`` pairs instead of stopping at the first problem,
so an admin sees every mistake of an uploaded rule set at once.
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


def at(path: str, key: str | int) -> str:
    """Extend a path: ``at("benefits", 2)`` -> ``benefits[2]``, ``at("x", "name")`` -> ``x.name``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Checker:
    """Collects validation errors while reading a parsed YAML document."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append((path or "(root)", message))

    def mapping(self, node: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict | None:
        """A mapping with exactly the allowed keys; reports missing and unknown keys."""
        if not isinstance(node, dict):
            self.error(path, f"expected a mapping, got {_kind(node)}")
            return None
        for key in required:
            if key not in node:
                self.error(at(path, str(key)), "missing")
        for key in node:
            if key not in required and key not in optional:
                self.error(at(path, str(key)), "unknown key")
        return node

    def sequence(self, node: Any, path: str, allow_empty: bool = False) -> list | None:
        if not isinstance(node, list):
            self.error(path, f"expected a list, got {_kind(node)}")
            return None
        if not node and not allow_empty:
            self.error(path, "must not be empty")
            return None
        return node

    def string(self, node: Any, path: str, pattern: re.Pattern | None = None) -> str | None:
        if not isinstance(node, str) or not node.strip():
            self.error(path, f"expected a non-empty string, got {_kind(node)}")
            return None
        if pattern is not None and not pattern.match(node):
            self.error(path, f"{node!r} does not match {pattern.pattern}")
            return None
        return node

    def boolean(self, node: Any, path: str) -> bool | None:
        if not isinstance(node, bool):
            self.error(path, f"expected true or false, got {_kind(node)}")
            return None
        return node

    def integer(self, node: Any, path: str, low: int, high: int) -> int | None:
        if isinstance(node, bool) or not isinstance(node, int):
            self.error(path, f"expected a whole number, got {_kind(node)}")
            return None
        if not low <= node <= high:
            self.error(path, f"must be between {low} and {high}")
            return None
        return node

    def decimal(self, node: Any, path: str, low: Decimal | None = None, high: Decimal | None = None) -> Decimal | None:
        if isinstance(node, bool) or not isinstance(node, (int, float, str)):
            self.error(path, f"expected a number, got {_kind(node)}")
            return None
        try:
            value = Decimal(str(node))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.error(path, f"expected a number, got {node!r}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(path, f"must be between {low} and {high}" if high else f"must be >= {low}")
            return None
        return value

    def date(self, node: Any, path: str) -> date | None:
        if isinstance(node, str):
            try:
                return date.fromisoformat(node)
            except ValueError:
                pass
        self.error(path, f"expected an ISO date YYYY-MM-DD, got {node!r}")
        return None

    def text(self, node: Any, path: str, placeholders: frozenset[str] = frozenset()) -> MappingProxyType | None:
        """A text in every UI language, each using only the allowed ``{placeholders}``."""
        if not isinstance(node, dict):
            self.error(path, f"expected translations {list(LOCALES)}, got {_kind(node)}")
            return None
        ok = True
        for locale in LOCALES:
            if locale not in node:
                self.error(at(path, locale), "missing translation")
                ok = False
        for locale, value in node.items():
            where = at(path, str(locale))
            if locale not in LOCALES:
                self.error(where, f"unknown language (expected one of {', '.join(LOCALES)})")
                ok = False
            elif self.string(value, where) is None or not self._template(value, where, placeholders):
                ok = False
        return MappingProxyType({loc: node[loc] for loc in LOCALES}) if ok else None

    def _template(self, text: str, path: str, allowed: frozenset[str]) -> bool:
        try:
            parts = list(_FORMATTER.parse(text))
        except ValueError as exc:
            self.error(path, f"malformed placeholder: {exc}")
            return False
        for _literal, name, spec, conversion in parts:
            if name is None:
                continue
            if name not in allowed or spec or conversion:
                choices = ", ".join(f"{{{p}}}" for p in sorted(allowed)) or "none"
                self.error(path, f"unknown placeholder {{{name}}} (allowed: {choices})")
                return False
        return True


def _kind(node: Any) -> str:
    if node is None:
        return "nothing"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names.update({list: "a list", dict: "a mapping"})
    return names.get(type(node), type(node).__name__)
