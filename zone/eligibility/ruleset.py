"""Load, validate and compile a rule set written as YAML data.

:func:`load_rule_set` parses the text once and returns an immutable
:class:`~zone.eligibility.compiled.RuleSet`, or raises :class:`RuleSetError` listing every
problem with its place, e.g. ``parameters[5].values[0].value.bands[1]: gap ...``.
The format is documented in ``rulesets/README.md`` and shown by ``rulesets/2026.1.yaml``.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from zone.vocabulary import OKED_CODE, SIDES

from .checks import N_, Checker, at
from .compiled import (
    Band,
    Bands,
    Benefit,
    Criterion,
    Derivation,
    Parameter,
    ParamValue,
    PeriodRule,
    RuleSet,
)
from .criteria import OPS
from .facts import ALL_FACT_TYPES

MAX_SOURCE_CHARS = 1_000_000
PARAM_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
CRITERION_ID = re.compile(r"^[a-z][a-z0-9_.]*$")
BENEFIT_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}\Z")
UNIT = re.compile(r"^[A-Za-z][A-Za-z_]*$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
PARAM_TYPES = ("number", "date", "bands", "codes")
HUNDRED = Decimal(100)

#: Rule-set level explanation messages and the placeholders each may use.
MESSAGES: dict[str, frozenset[str]] = {
    "not_admitted": frozenset({"name"}),
    "criteria_failed": frozenset({"name", "reasons"}),
    "zone_ended": frozenset({"name", "end"}),
    "no_band": frozenset({"name", "basis", "unit"}),
    "band": frozenset({"name", "basis", "unit", "band", "schedule"}),
    "zone_end": frozenset({"name", "schedule"}),
    "years": frozenset({"name", "years", "schedule"}),
    "cut": frozenset({"end"}),
}
#: Messages a rule set may leave out; the shipped rule set's texts are used then.
OPTIONAL_MESSAGES: dict[str, frozenset[str]] = {
    "period": frozenset({"from", "through", "until", "pct"}),
    "conversion": frozenset({"steps", "rates"}),
    "rate_official": frozenset({"name", "value", "source", "date"}),
    "rate_earlier": frozenset({"name", "value", "source", "date", "on_date"}),
    "rate_assumed": frozenset({"name", "value", "since", "on_date"}),
}


class RuleSetError(ValueError):
    """A rule set that cannot be used; ``errors`` is a list of ``(path, message)``."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("invalid rule set:\n" + "\n".join(f"  {p}: {m}" for p, m in errors))


def load_rule_set_file(path: str | Path) -> RuleSet:
    """Read and compile a rule-set file (see :func:`load_rule_set`)."""
    return load_rule_set(Path(path).read_text(encoding="utf-8"))


def load_rule_set(text: str) -> RuleSet:
    """Validate and compile rule-set YAML ``text``; raise :class:`RuleSetError` when invalid."""
    from .yaml_source import YamlError, read_yaml

    if len(text) > MAX_SOURCE_CHARS:
        raise RuleSetError([("(root)", f"larger than {MAX_SOURCE_CHARS} characters")])
    try:
        document = read_yaml(text)
    except YamlError as exc:
        raise RuleSetError([(exc.where, exc.message)]) from exc
    compiler = _Compiler(text)
    rule_set = compiler.compile(document)
    if compiler.errors or rule_set is None:
        raise RuleSetError(compiler.errors or [("(root)", "invalid rule set")])
    return rule_set


class _Compiler(Checker):
    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source
        self.params: dict[str, Parameter] = {}
        self.units: dict[str, Any] = {}
        self.criterion_ids: set[str] = set()

    def compile(self, doc: Any) -> RuleSet | None:
        top = (
            "version",
            "effective_from",
            "title",
            "units",
            "parameters",
            "derivation",
            "zone_end",
            "admission",
            "benefits",
            "messages",
        )
        doc = self.mapping(doc, "", top, ("description",))
        if doc is None:
            return None
        version = doc.get("version")
        if isinstance(version, float):
            self.error("version", N_('a number; write the version in quotes, e.g. "2026.1"'))
            version = None
        else:
            version = self.string(version, "version", VERSION)
        effective_from = self.date(doc.get("effective_from"), "effective_from")
        title = self.text(doc.get("title"), "title")
        self._units(doc.get("units"))
        self._parameters(doc.get("parameters"), effective_from)
        derivation = self._derivation(doc.get("derivation"))
        zone_end = self._zone_end(doc.get("zone_end"))
        admission = self._criteria(doc.get("admission"), "admission", None)
        benefits = self._benefits(doc.get("benefits"))
        messages = self._messages(doc.get("messages"))
        if self.errors:
            return None
        by_side = {
            side: (
                tuple(c for c in admission if side in c.sides),
                tuple(b for b in benefits if side in b.sides),
            )
            for side in SIDES
        }
        return RuleSet(
            version=version,
            effective_from=effective_from,
            title=title,
            units=MappingProxyType(self.units),
            parameters=MappingProxyType(self.params),
            derivation=derivation,
            zone_end=MappingProxyType(zone_end),
            admission=tuple(admission),
            benefits=tuple(benefits),
            messages=messages,
            source=self.source,
            sha256=hashlib.sha256(self.source.encode("utf-8")).hexdigest(),
            _by_side=MappingProxyType(by_side),
        )

    # -- units and parameters ------------------------------------------------------------------

    def _units(self, node: Any) -> None:
        node = self.mapping(node, "units", (), tuple(node) if isinstance(node, dict) else ())
        for unit, text in (node or {}).items():
            where = at("units", str(unit))
            if self.string(unit, where, UNIT) is not None:
                compiled = self.text(text, where)
                if compiled is not None:
                    self.units[unit] = compiled

    def _parameters(self, node: Any, effective_from) -> None:
        for i, item in enumerate(self.sequence(node, "parameters") or ()):
            path = at("parameters", i)
            item = self.mapping(item, path, ("id", "type", "name", "values"), ("unit",))
            if item is None:
                continue
            pid = self.string(item.get("id"), at(path, "id"), PARAM_ID)
            if pid in self.params:
                self.error(at(path, "id"), N_("duplicate parameter %(id)s"), id=repr(pid))
                pid = None
            ptype = item.get("type")
            if ptype not in PARAM_TYPES:
                self.error(at(path, "type"),
                           N_("unknown type %(type)s (one of %(types)s)"), type=repr(ptype), types=PARAM_TYPES)
                continue
            unit = item.get("unit")
            if ptype in ("number", "bands"):
                unit = self.string(unit, at(path, "unit"), UNIT)
                if ptype == "bands" and unit is not None and unit not in self.units:
                    self.error(at(path, "unit"), N_("unit %(unit)s has no name under units"), unit=repr(unit))
            elif unit is not None:
                self.error(at(path, "unit"), N_("a %(type)s parameter has no unit"), type=ptype)
            name = self.text(item.get("name"), at(path, "name"))
            values = self._values(item.get("values"), at(path, "values"), ptype, unit)
            if None in (pid, name, values):
                continue
            if effective_from and values[0].start > effective_from:
                self.error(at(path, "values"), N_("no value in force on effective_from %(date)s"),
                           date=effective_from.isoformat())
            self.params[pid] = Parameter(pid, ptype, unit, name, values, tuple(v.start for v in values))

    def _values(self, node: Any, path: str, ptype: str, unit: str | None):
        result: list[ParamValue] = []
        ok = True
        for i, item in enumerate(self.sequence(node, path) or ()):
            where = at(path, i)
            item = self.mapping(item, where, ("from", "value", "reference", "verified"))
            if item is None:
                ok = False
                continue
            start = self.date(item.get("from"), at(where, "from"))
            value = self._value(item.get("value"), at(where, "value"), ptype, unit)
            reference = self.string(item.get("reference"), at(where, "reference"))
            verified = self.boolean(item.get("verified"), at(where, "verified"))
            if None in (start, value, reference, verified):
                ok = False
                continue
            if result and start <= result[-1].start:
                self.error(at(where, "from"), N_("values must be in increasing date order"))
                ok = False
            result.append(ParamValue(start, value, reference, verified))
        return tuple(result) if ok and result else None

    def _value(self, node: Any, path: str, ptype: str, unit: str | None):
        if ptype == "number":
            high = HUNDRED if unit == "percent" else None
            return self.decimal(node, path, Decimal(0), high)
        if ptype == "date":
            return self.date(node, path)
        if ptype == "codes":
            codes = self.sequence(node, path)
            if codes is None:
                return None
            bad = [c for c in codes if not isinstance(c, str) or not OKED_CODE.match(c)]
            for code in bad:
                self.error(path, N_('malformed OKED code %(code)s (write it in quotes, e.g. "12")'), code=repr(code))
            return None if bad else tuple(codes)
        return self._bands(node, path)

    def _bands(self, node: Any, path: str) -> Bands | None:
        node = self.mapping(node, path, ("closed", "bands"))
        if node is None:
            return None
        closed = node.get("closed")
        if closed not in ("left", "right"):
            self.error(at(path, "closed"), N_("must be left ([min, max)) or right ((min, max])"))
            closed = None
        items = self.sequence(node.get("bands"), at(path, "bands")) or ()
        bands: list[Band | None] = [self._band(item, at(at(path, "bands"), i)) for i, item in enumerate(items)]
        for i in range(1, len(bands)):
            prev, cur = bands[i - 1], bands[i]
            if prev is None or cur is None:
                continue
            where = at(at(path, "bands"), i)
            if prev.max is None:
                self.error(at(at(path, "bands"), i - 1), N_("only the last band may have no max"))
            elif cur.min is None:
                self.error(where, N_("only the first band may have no min"))
            elif cur.min < prev.max:
                self.error(where, N_("overlaps bands[%(i)s]: min %(min)s < its max %(max)s"),
                           i=i - 1, min=cur.min, max=prev.max)
            elif cur.min > prev.max:
                self.error(where, N_("gap after bands[%(i)s]: its max %(max)s, this min %(min)s"),
                           i=i - 1, max=prev.max, min=cur.min)
        if closed is None or not bands or None in bands:
            return None
        return Bands(closed, tuple(bands))

    def _band(self, node: Any, path: str) -> Band | None:
        node = self.mapping(node, path, ("min", "max", "years"), ("then",))
        if node is None:
            return None
        low = None if node.get("min") is None else self.decimal(node["min"], at(path, "min"))
        high = None if node.get("max") is None else self.decimal(node["max"], at(path, "max"))
        years = self.integer(node.get("years"), at(path, "years"), 1, 100)
        schedule: list[tuple[int, Decimal | None]] = [(years, None)]
        for i, step in enumerate(self.sequence(node.get("then", []), at(path, "then"), True) or ()):
            where = at(at(path, "then"), i)
            step = self.mapping(step, where, ("years", "reduction_pct"))
            if step is not None:
                step_years = self.integer(step.get("years"), at(where, "years"), 1, 100)
                pct = self.decimal(step.get("reduction_pct"), at(where, "reduction_pct"), Decimal(0), HUNDRED)
                schedule.append((step_years, pct))
        if low is not None and high is not None and low >= high:
            self.error(path, N_("min %(min)s must be below max %(max)s"), min=low, max=high)
            return None
        if years is None or any(y is None for y, _ in schedule):
            return None
        if (node.get("min") is not None and low is None) or (node.get("max") is not None and high is None):
            return None
        return Band(low, high, tuple(schedule))

    def _param_ref(self, pid: Any, path: str, ptype: str, unit: str | None = None):
        if not isinstance(pid, str) or pid not in self.params:
            self.error(path, N_("unknown parameter %(id)s"), id=repr(pid))
            return None
        param = self.params[pid]
        if param.type != ptype:
            self.error(path, N_("type error: %(id)s is a %(type)s parameter, expected %(expected)s"),
                       id=pid, type=param.type, expected=ptype)
            return None
        if unit is not None and param.unit != unit:
            self.error(path, N_("type error: %(id)s is in %(unit)s, expected %(expected)s"),
                       id=pid, unit=param.unit, expected=unit)
            return None
        return pid

    def _derivation(self, node: Any) -> Derivation | None:
        keys = ("kzt_per_usd", "uzs_per_usd", "mci_kzt")
        node = self.mapping(node, "derivation", keys)
        if node is None:
            return None
        refs = {k: self._param_ref(node.get(k), at("derivation", k), "number") for k in keys}
        for key, pid in refs.items():
            if pid and any(v.value <= 0 for v in self.params[pid].values):
                self.error(at("derivation", key), N_("%(id)s must be above 0 on every date"), id=pid)
        return None if None in refs.values() else Derivation(**refs)

    def _zone_end(self, node: Any) -> dict[str, str]:
        node = self.mapping(node, "zone_end", SIDES) or {}
        return {side: self._param_ref(node.get(side), at("zone_end", side), "date") for side in SIDES if side in node}

    def _messages(self, node: Any):
        node = self.mapping(node, "messages", tuple(MESSAGES), tuple(OPTIONAL_MESSAGES))
        if node is None:
            return None
        allowed = {**MESSAGES, **OPTIONAL_MESSAGES}
        texts = {key: self.text(node.get(key), at("messages", key), allowed[key]) for key in allowed if key in node}
        return MappingProxyType(texts)

    # -- criteria and benefits -----------------------------------------------------------------

    def _sides(self, node: Any, path: str) -> frozenset[str] | None:
        items = self.sequence(node, path)
        if items is None:
            return None
        if any(side not in SIDES for side in items) or len(set(items)) != len(items):
            self.error(path, N_("expected distinct sides among %(sides)s, got %(value)s"),
                       sides=list(SIDES), value=repr(items))
            return None
        return frozenset(items)

    def _criteria(self, node: Any, path: str, default_sides: frozenset[str] | None):
        allow_empty = default_sides is not None
        result = []
        for i, item in enumerate(self.sequence(node, path, allow_empty) or ()):
            criterion = self._criterion(item, at(path, i), default_sides)
            if criterion is not None:
                result.append(criterion)
        return result

    def _criterion(self, node: Any, path: str, default_sides) -> Criterion | None:
        required = ("id", "name", "reference", "fact", "op", "explain")
        optional = ("param", "value", "countries") + (("sides",) if default_sides else ())
        node = self.mapping(node, path, required + (() if default_sides else ("sides",)), optional)
        if node is None:
            return None
        cid = self.string(node.get("id"), at(path, "id"), CRITERION_ID)
        if cid in self.criterion_ids:
            self.error(at(path, "id"), N_("duplicate criterion id %(id)s"), id=repr(cid))
        self.criterion_ids.add(cid)
        sides = self._sides(node["sides"], at(path, "sides")) if "sides" in node else default_sides
        if default_sides and sides and not sides <= default_sides:
            self.error(at(path, "sides"), N_("must be among the benefit's sides"))
        name = self.text(node.get("name"), at(path, "name"))
        reference = self.string(node.get("reference"), at(path, "reference"))
        fact, op, param, value, countries = self._condition(node, path, sides)
        spec = OPS.get(op)
        explain = self.mapping(node.get("explain"), at(path, "explain"), ("passed", "failed"))
        texts = [None, None]
        if explain is not None and spec is not None:
            texts = [
                self.text(explain.get(key), at(at(path, "explain"), key), spec.placeholders)
                for key in ("passed", "failed")
            ]
        parts = (cid, sides, fact, op, name, reference, *texts)
        if None in parts or self.errors:
            return None
        return Criterion(cid, sides, fact, op, param, value, countries, name, *texts, reference)

    def _condition(self, node: dict, path: str, sides):
        fact, op = node.get("fact"), node.get("op")
        ftype = ALL_FACT_TYPES.get(fact) if isinstance(fact, str) else None
        if ftype is None:
            self.error(at(path, "fact"), N_("unknown fact %(fact)s"), fact=repr(fact))
        elif sides and not sides <= ftype.sides:
            self.error(at(path, "fact"),
                       N_("%(fact)s is only known for %(sides)s"), fact=fact, sides=sorted(ftype.sides))
        spec = OPS.get(op) if isinstance(op, str) else None
        if spec is None:
            self.error(at(path, "op"), N_("unknown operator %(op)s (one of %(ops)s)"), op=repr(op), ops=", ".join(OPS))
        if ftype is None or spec is None:
            return fact, None, None, None, ()
        if ftype.kind not in spec.fact_kinds:
            self.error(at(path, "op"),
                       N_("type error: %(op)s cannot apply to %(fact)s (%(kind)s)"), op=op, fact=fact, kind=ftype.kind)
            return fact, None, None, None, ()
        allowed = {
            "number": ("param", "value"),
            "text": ("value",),
            "none": (),
            "divisions": ("value",),
            "codes_param": ("param",),
            "shares_param": ("param", "countries"),
        }[spec.operand]
        for key in ("param", "value", "countries"):
            if key in node and key not in allowed:
                self.error(at(path, key), N_("not used by %(op)s"), op=op)
        param = value = None
        countries: tuple[str, ...] = ()
        if spec.operand == "number":
            if ("param" in node) == ("value" in node):
                self.error(path, N_("%(op)s needs exactly one of param or value"), op=op)
            elif "param" in node:
                param = self._param_ref(node["param"], at(path, "param"), "number", ftype.unit)
            else:
                value = self.decimal(node["value"], at(path, "value"))
        elif spec.operand == "text":
            value = self.string(node.get("value"), at(path, "value"))
        elif spec.operand == "divisions":
            value = self._divisions(node.get("value"), at(path, "value"))
        elif spec.operand == "codes_param":
            param = self._param_ref(node.get("param"), at(path, "param"), "codes")
        elif spec.operand == "shares_param":
            param = self._param_ref(node.get("param"), at(path, "param"), "number", "percent")
            items = self.sequence(node.get("countries"), at(path, "countries")) or []
            if any(not isinstance(c, str) or not COUNTRY.match(c) for c in items):
                self.error(at(path, "countries"), N_("expected ISO alpha-2 codes such as KZ"))
            countries = tuple(items)
        return fact, op, param, value, countries

    def _divisions(self, node: Any, path: str):
        node = self.mapping(node, path, ("from", "to"))
        if node is None:
            return None
        low = self.integer(node.get("from"), at(path, "from"), 1, 99)
        high = self.integer(node.get("to"), at(path, "to"), 1, 99)
        if low is not None and high is not None and low > high:
            self.error(path, N_("from must not exceed to"))
            return None
        return (low, high)

    def _benefits(self, node: Any) -> list[Benefit]:
        result, codes = [], set()
        for i, item in enumerate(self.sequence(node, "benefits") or ()):
            path = at("benefits", i)
            keys = ("code", "sides", "name", "reference", "reduction_pct", "period")
            item = self.mapping(item, path, keys, ("criteria",))
            if item is None:
                continue
            code = self.string(item.get("code"), at(path, "code"), BENEFIT_CODE)
            if code in codes:
                self.error(at(path, "code"), N_("duplicate benefit code %(code)s"), code=repr(code))
            codes.add(code)
            sides = self._sides(item.get("sides"), at(path, "sides"))
            name = self.text(item.get("name"), at(path, "name"))
            reference = self.string(item.get("reference"), at(path, "reference"))
            pct = self.decimal(item.get("reduction_pct"), at(path, "reduction_pct"), Decimal(0), HUNDRED)
            period = self._period(item.get("period"), at(path, "period"), sides)
            criteria = self._criteria(item.get("criteria", []), at(path, "criteria"), sides or frozenset(SIDES))
            if None not in (code, sides, name, reference, pct, period) and not self.errors:
                result.append(Benefit(code, sides, name, reference, pct, period, tuple(criteria)))
        return result

    def _period(self, node: Any, path: str, sides) -> PeriodRule | None:
        kind = node.get("kind") if isinstance(node, dict) else None
        keys = {"band": ("param", "fact"), "years": ("years",), "zone_end": ()}
        if kind not in keys:
            self.error(at(path, "kind"),
                       N_("expected one of %(kinds)s, got %(value)s"), kinds=list(keys), value=repr(kind))
            return None
        node = self.mapping(node, path, ("kind",) + keys[kind])
        if node is None:
            return None
        if kind == "years":
            years = self.integer(node.get("years"), at(path, "years"), 1, 100)
            return None if years is None else PeriodRule("years", years=years)
        if kind == "zone_end":
            return PeriodRule("zone_end")
        fact = node.get("fact")
        ftype = ALL_FACT_TYPES.get(fact) if isinstance(fact, str) else None
        if ftype is None:
            self.error(at(path, "fact"), N_("unknown fact %(fact)s"), fact=repr(fact))
            return None
        if ftype.kind != "number" or ftype.unit is None:
            self.error(at(path, "fact"), N_("type error: %(fact)s is not a number with a unit"), fact=fact)
            return None
        param = self._param_ref(node.get("param"), at(path, "param"), "bands", ftype.unit)
        return None if param is None else PeriodRule("band", param=param, fact=fact)
