"""A registry of compiled rule sets, picking the one in force on a date.

The shipped rule sets (``rulesets/*.yaml``, not the ``*.cases.yaml`` files) are compiled once per
process by :func:`shipped_rule_sets`. The Flask side adds active database versions with
:meth:`RuleSetRegistry.with_rule_sets`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path

from .compiled import RuleSet
from .ruleset import load_rule_set_file

RULESETS_DIR = Path(__file__).with_name("rulesets")


class NoRuleSetError(LookupError):
    """No rule set is in force on the requested date (or the version is unknown)."""

    def __init__(self, message: str, on_date: date | None = None):
        self.on_date = on_date
        super().__init__(message)


class RuleSetRegistry:
    """Immutable set of compiled rule sets, ordered by ``effective_from``."""

    def __init__(self, rule_sets: Iterable[RuleSet] = ()):
        by_version: dict[str, RuleSet] = {}
        for rule_set in rule_sets:
            if rule_set.version in by_version:
                raise ValueError(f"rule set {rule_set.version} registered twice")
            by_version[rule_set.version] = rule_set
        ordered = sorted(by_version.values(), key=lambda r: r.effective_from)
        for earlier, later in pairwise(ordered):
            if earlier.effective_from == later.effective_from:
                raise ValueError(
                    f"rule sets {earlier.version} and {later.version} take effect on the same "
                    f"date {later.effective_from.isoformat()}"
                )
        self._ordered = tuple(ordered)
        self._starts = tuple(r.effective_from for r in ordered)
        self._by_version = by_version

    def __len__(self) -> int:
        return len(self._ordered)

    def __iter__(self):
        return iter(self._ordered)

    def for_date(self, on_date: date) -> RuleSet:
        """The latest rule set whose ``effective_from`` is on or before ``on_date``."""
        index = bisect_right(self._starts, on_date)
        if not index:
            first = self._starts[0].isoformat() if self._starts else None
            hint = f"; the first takes effect on {first}" if first else ""
            raise NoRuleSetError(f"no rule set is in force on {on_date.isoformat()}{hint}", on_date)
        return self._ordered[index - 1]

    def get(self, version: str) -> RuleSet:
        """The rule set of ``version``; :class:`NoRuleSetError` when unknown."""
        try:
            return self._by_version[version]
        except KeyError:
            raise NoRuleSetError(f"unknown rule set version {version!r}") from None

    def versions(self) -> list[RuleSet]:
        """All rule sets, oldest effective date first."""
        return list(self._ordered)

    def with_rule_sets(self, extra: Iterable[RuleSet]) -> RuleSetRegistry:
        """A new registry with ``extra`` added (a version already present is replaced)."""
        extra = list(extra)
        replaced = {r.version for r in extra}
        return RuleSetRegistry([r for r in self._ordered if r.version not in replaced] + extra)


@cache
def shipped_rule_sets() -> tuple[RuleSet, ...]:
    """The rule sets shipped in ``rulesets/``, compiled once per process."""
    paths = sorted(p for p in RULESETS_DIR.glob("*.yaml") if not p.name.endswith(".cases.yaml"))
    return tuple(load_rule_set_file(path) for path in paths)


@cache
def default_registry() -> RuleSetRegistry:
    """A registry of the shipped rule sets only (no database)."""
    return RuleSetRegistry(shipped_rule_sets())
