"""The facts an evaluation reads, and their validation.

:func:`validate_facts` turns untrusted input (a JSON body, a form, an application) into an
immutable :class:`Facts`, or raises :class:`FactsError` naming every bad field. Messages are
English msgids, marked with :func:`N_` so that Babel extraction finds them; callers translate
them with ``gettext`` when they show them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from zone.vocabulary import COUNTRY_CODE, CURRENCIES, OKED_CODE, SIDES, country_codes


def N_(message: str) -> str:
    """Mark a msgid for extraction without translating it now."""
    return message


MAX_AMOUNT = Decimal(10) ** 15
MAX_CODES = 20
MAX_SHARES = 20


@dataclass(frozen=True, slots=True)
class FactType:
    """What the rule set may do with a fact: its kind, unit and the sides that know it."""

    kind: str  # side | country | bool | codes | number | currency | shares
    unit: str | None = None
    sides: frozenset[str] = frozenset(SIDES)


#: Facts an application supplies.
FACT_TYPES: dict[str, FactType] = {
    "side": FactType("side"),
    "registration_country": FactType("country"),
    "is_legal_entity": FactType("bool"),
    "activity_codes": FactType("codes"),
    "investment_amount": FactType("number"),  # no fixed unit: rules use the derived ones
    "investment_currency": FactType("currency"),
    "priority_income_share": FactType("number", "percent", frozenset({"KZ"})),
    "has_branches_outside_zone": FactType("bool", None, frozenset({"KZ"})),
    "capital_shares": FactType("shares"),
}
#: Facts the engine derives with the rates in force on the evaluation date.
DERIVED_TYPES: dict[str, FactType] = {
    "investment_usd": FactType("number", "USD"),
    "investment_kzt": FactType("number", "KZT"),
    "investment_mci": FactType("number", "MCI"),
}
ALL_FACT_TYPES: dict[str, FactType] = {**FACT_TYPES, **DERIVED_TYPES}
KZ_ONLY = ("priority_income_share", "has_branches_outside_zone")

MSG_REQUIRED = N_("This field is required.")
MSG_REQUIRED_KZ = N_("This field is required for the KZ side.")
MSG_UNKNOWN_FIELD = N_("Unknown field.")
MSG_SIDE = N_("Must be KZ or UZ.")
MSG_COUNTRY_FORMAT = N_("Must be an ISO 3166 alpha-2 country code in capitals, such as KZ.")
MSG_COUNTRY_UNKNOWN = N_("Unknown country code.")
MSG_BOOL = N_("Must be true or false.")
MSG_CODES_LIST = N_("Must be a list of OKED codes.")
MSG_CODES_EMPTY = N_("Enter at least one activity code.")
MSG_CODES_MANY = N_("Enter at most 20 activity codes.")
MSG_CODE_FORMAT = N_("Malformed OKED code: use digits with dots, such as 22.21.")
MSG_CODE_DUPLICATE = N_("Each activity code may appear only once.")
MSG_NUMBER = N_("Must be a number.")
MSG_NEGATIVE = N_("Must not be negative.")
MSG_TOO_LARGE = N_("Must be at most 1,000,000,000,000,000.")
MSG_DECIMALS = N_("Use at most 2 decimal places.")
MSG_PERCENT = N_("Must be between 0 and 100.")
MSG_CURRENCY = N_("Must be USD, KZT or UZS.")
MSG_SHARES_OBJECT = N_('Must map country codes to percents, such as {"KZ": 60, "UZ": 40}.')
MSG_SHARES_EMPTY = N_("Enter at least one country's share.")
MSG_SHARES_KEY = N_("Each key must be an ISO 3166 alpha-2 country code in capitals.")
MSG_SHARES_SUM = N_("Shares must add up to 100.")


@dataclass(frozen=True, slots=True)
class Facts:
    """Validated facts of one applicant. Money and percents are :class:`~decimal.Decimal`."""

    side: str
    registration_country: str
    is_legal_entity: bool
    activity_codes: tuple[str, ...]
    investment_amount: Decimal
    investment_currency: str
    capital_shares: tuple[tuple[str, Decimal], ...]
    priority_income_share: Decimal | None = None
    has_branches_outside_zone: bool | None = None

    def share(self, country: str) -> Decimal:
        """The capital share (percent) held from ``country``; 0 when none."""
        for key, value in self.capital_shares:
            if key == country:
                return value
        return Decimal(0)

    def values(self) -> dict[str, Any]:
        """The facts by name, as the rules read them."""
        return {
            "side": self.side,
            "registration_country": self.registration_country,
            "is_legal_entity": self.is_legal_entity,
            "activity_codes": self.activity_codes,
            "investment_amount": self.investment_amount,
            "investment_currency": self.investment_currency,
            "capital_shares": self.capital_shares,
            "priority_income_share": self.priority_income_share,
            "has_branches_outside_zone": self.has_branches_outside_zone,
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-able facts (decimals as strings) that :func:`validate_facts` accepts again."""
        data: dict[str, Any] = {
            "side": self.side,
            "registration_country": self.registration_country,
            "is_legal_entity": self.is_legal_entity,
            "activity_codes": list(self.activity_codes),
            "investment_amount": str(self.investment_amount),
            "investment_currency": self.investment_currency,
            "capital_shares": {key: str(value) for key, value in self.capital_shares},
        }
        if self.priority_income_share is not None:
            data["priority_income_share"] = str(self.priority_income_share)
        if self.has_branches_outside_zone is not None:
            data["has_branches_outside_zone"] = self.has_branches_outside_zone
        return data


class FactsError(ValueError):
    """Invalid facts; ``fields`` maps each bad field to its messages (English msgids)."""

    def __init__(self, fields: dict[str, list[str]]):
        self.fields = fields
        super().__init__("invalid facts: " + ", ".join(sorted(fields)))


def validate_facts(data: Any) -> Facts:
    """Validate untrusted facts and return :class:`Facts`; raise :class:`FactsError` otherwise.

    Numbers may be JSON numbers or numeric strings (forms send strings); booleans are never
    numbers and numbers are never booleans. ``priority_income_share`` and
    ``has_branches_outside_zone`` are required for the KZ side and optional (but still checked)
    for UZ. Unknown fields are refused.
    """
    if not isinstance(data, dict):
        raise FactsError({"_": [N_("Facts must be an object.")]})
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        messages = errors.setdefault(field, [])
        if message not in messages:
            messages.append(message)

    for name in data:
        if name not in FACT_TYPES:
            fail(str(name), MSG_UNKNOWN_FIELD)

    def present(name: str, required: bool = True, message: str = MSG_REQUIRED) -> bool:
        if data.get(name) is None or data.get(name) == "":
            if required:
                fail(name, message)
            return False
        return True

    side = data.get("side")
    if present("side") and side not in SIDES:
        fail("side", MSG_SIDE)
        side = None

    country = data.get("registration_country")
    if present("registration_country"):
        if not isinstance(country, str) or not COUNTRY_CODE.match(country):
            fail("registration_country", MSG_COUNTRY_FORMAT)
        elif country not in country_codes():
            fail("registration_country", MSG_COUNTRY_UNKNOWN)

    for name in ("is_legal_entity", "has_branches_outside_zone"):
        required = name == "is_legal_entity" or side == "KZ"
        message = MSG_REQUIRED if name == "is_legal_entity" else MSG_REQUIRED_KZ
        if present(name, required, message) and not isinstance(data[name], bool):
            fail(name, MSG_BOOL)

    codes = _codes(data.get("activity_codes"), fail) if present("activity_codes") else ()

    amount = None
    if present("investment_amount"):
        amount = _number(data["investment_amount"], "investment_amount", fail, MAX_AMOUNT)
    currency = data.get("investment_currency")
    if present("investment_currency") and currency not in CURRENCIES:
        fail("investment_currency", MSG_CURRENCY)

    income = None
    if present("priority_income_share", side == "KZ", MSG_REQUIRED_KZ):
        income = _number(data["priority_income_share"], "priority_income_share", fail, _HUNDRED)

    shares = _shares(data.get("capital_shares"), fail) if present("capital_shares") else ()

    if errors:
        raise FactsError(errors)
    return Facts(
        side=side,
        registration_country=country,
        is_legal_entity=data["is_legal_entity"],
        activity_codes=codes,
        investment_amount=amount,
        investment_currency=currency,
        capital_shares=shares,
        priority_income_share=income,
        has_branches_outside_zone=data.get("has_branches_outside_zone"),
    )


_HUNDRED = Decimal(100)
_NUMBER_TEXT = re.compile(r"^ *-?[0-9]+(\.[0-9]+)? *\Z")


def _number(raw: Any, field: str, fail, maximum: Decimal) -> Decimal | None:
    """A non-negative decimal with at most 2 places, at most ``maximum``."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, Decimal, str)):
        fail(field, MSG_NUMBER)
        return None
    if isinstance(raw, str) and not _NUMBER_TEXT.match(raw):
        fail(field, MSG_NUMBER)
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        fail(field, MSG_NUMBER)
        return None
    if not value.is_finite():
        fail(field, MSG_NUMBER)
        return None
    is_percent = maximum == _HUNDRED
    if value < 0:
        fail(field, MSG_PERCENT if is_percent else MSG_NEGATIVE)
        return None
    if value > maximum:
        fail(field, MSG_PERCENT if is_percent else MSG_TOO_LARGE)
        return None
    if value != value.quantize(Decimal("0.01")):
        fail(field, MSG_DECIMALS)
        return None
    return value.quantize(Decimal("0.01")) if value.as_tuple().exponent < -2 else value


def _codes(raw: Any, fail) -> tuple[str, ...]:
    if not isinstance(raw, (list, tuple)):
        fail("activity_codes", MSG_CODES_LIST)
        return ()
    if not raw:
        fail("activity_codes", MSG_CODES_EMPTY)
        return ()
    if len(raw) > MAX_CODES:
        fail("activity_codes", MSG_CODES_MANY)
        return ()
    seen: list[str] = []
    for code in raw:
        if not isinstance(code, str) or not OKED_CODE.match(code):
            fail("activity_codes", MSG_CODE_FORMAT)
        elif code in seen:
            fail("activity_codes", MSG_CODE_DUPLICATE)
        else:
            seen.append(code)
    return tuple(seen)


def _shares(raw: Any, fail) -> tuple[tuple[str, Decimal], ...]:
    if not isinstance(raw, dict):
        fail("capital_shares", MSG_SHARES_OBJECT)
        return ()
    if not raw:
        fail("capital_shares", MSG_SHARES_EMPTY)
        return ()
    if len(raw) > MAX_SHARES:
        fail("capital_shares", MSG_SHARES_OBJECT)
        return ()
    shares: list[tuple[str, Decimal]] = []
    ok = True
    for key, value in raw.items():
        if not isinstance(key, str) or key not in country_codes():
            fail("capital_shares", MSG_SHARES_KEY)
            ok = False
            continue
        number = _number(value, "capital_shares", fail, _HUNDRED)
        if number is None:
            ok = False
        else:
            shares.append((key, number))
    if ok and sum(value for _, value in shares) != _HUNDRED:
        fail("capital_shares", MSG_SHARES_SUM)
    return tuple(sorted(shares))
