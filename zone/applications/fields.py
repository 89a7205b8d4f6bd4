"""The application's fields: labels, hints, sections and the one definition of a valid value.

Both the HTML section forms and the JSON API pass raw input through :func:`clean` (types, ranges,
lengths, the text rules of :mod:`zone.web.text`; a draft may lack anything), and submission asks
:func:`missing` for everything still absent or inconsistent. Error keys are API field paths (``jobs_local``,
``products.0.hs_code``, ``capital_shares.KZ``); messages are lazy translations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l

from zone.companies.countries import is_country
from zone.web.text import normalise_newlines, text_problem

SIDES = ("KZ", "UZ")
CURRENCIES = ("USD", "KZT", "UZS")
SECTORS = (
    "machinery", "metalworking", "automotive", "agricultural_machinery", "electrical", "pharmaceuticals",
    "chemicals", "plastics", "construction_materials", "textiles_leather", "food_processing",
    "other_manufacturing",
)
MAX_AMOUNT = Decimal(10) ** 15
MAX_JOBS = 1_000_000
MAX_PRODUCTS = 50
MAX_CODES = 20
MAX_SHARES = 20
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
_OKED = re.compile(r"^\d{2}(\.\d{1,2}){0,2}$")
_HS = re.compile(r"^\d{6,10}$")  # HS-6 and national tariff lines that keep it (API.md)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

SIDE_LABELS = {
    "KZ": _l("Kazakh part (SEZ “Turan”, Turkestan region)"),
    "UZ": _l("Uzbek part (free economic zone, Syrdarya region)"),
}
SECTOR_LABELS = {
    "machinery": _l("Machine building"),
    "metalworking": _l("Metalworking"),
    "automotive": _l("Automotive industry"),
    "agricultural_machinery": _l("Agricultural machinery"),
    "electrical": _l("Electrical engineering"),
    "pharmaceuticals": _l("Pharmaceuticals"),
    "chemicals": _l("Chemicals"),
    "plastics": _l("Plastics and PVC products"),
    "construction_materials": _l("Construction materials"),
    "textiles_leather": _l("Textiles and leather"),
    "food_processing": _l("Food processing (cotton, rice, grain, oilseeds)"),
    "other_manufacturing": _l("Other manufacturing"),
}
CURRENCY_LABELS = {"USD": _l("US dollars (USD)"), "KZT": _l("Kazakh tenge (KZT)"), "UZS": _l("Uzbek sums (UZS)")}

REQUIRED = _l("This field is required.")
MSG_NUMBER = _l("Enter a number, for example 1 500 000 or 12.5.")
MSG_WHOLE = _l("Enter a whole number, for example 120.")
MSG_PERCENT = _l("Enter a percentage from 0 to 100.")
MSG_BOOL = _l("Answer yes or no.")
MSG_DATE = _l("Enter a date as YYYY-MM-DD or DD.MM.YYYY, for example 2026-09-01.")
MSG_DATE_RANGE = _l("Enter a date between 2000 and 2100.")
MSG_TEXT = _l("Enter text.")


def _max_length(n: int):
    return _l("Use at most %(n)s characters.", n=n)


@dataclass(frozen=True)
class Field:
    """One fact of an application: how it is shown, which section holds it, when it is required."""

    name: str
    section: str
    label: Any
    hint: Any = None
    required: Callable[[Mapping[str, Any], str | None], bool] = lambda values, country: True


def _kz_only(values: Mapping[str, Any], _country: str | None) -> bool:
    return values.get("side") == "KZ"


def _foreign(values: Mapping[str, Any], country: str | None) -> bool:
    side = values.get("side")
    return bool(side) and bool(country) and country != side


def _never(_values: Mapping[str, Any], _country: str | None) -> bool:
    return False


FIELDS: dict[str, Field] = {f.name: f for f in (
    Field("side", "project", _l("Part of the centre"),
          _l("Each part works under its own country's law; apply to the part where you will produce.")),
    Field("project_title", "project", _l("Project title"),
          _l("A short name, e.g. “Plant for drip irrigation systems”.")),
    Field("project_description", "project", _l("Project description"),
          _l("What you will produce, with which technology, for which markets. A few paragraphs are enough.")),
    Field("sector", "project", _l("Sector")),
    Field("activity_codes", "project", _l("OKED activity codes"),
          _l("Separate codes with commas, e.g. 22.21, 25.11. Only manufacturing (OKED section C, divisions "
             "10–33) qualifies for the benefits.")),
    Field("products", "products", _l("Planned products"),
          _l("At least one product. HS code: 6 to 10 digits of the customs commodity code, e.g. 8424 82.")),
    Field("investment_amount", "investment", _l("Total investment"),
          _l("The whole planned investment in the project, e.g. 2 500 000.")),
    Field("investment_currency", "investment", _l("Currency of the investment")),
    Field("own_funds_share", "investment", _l("Own funds, percent of the investment"),
          _l("The rest is borrowed. E.g. 40 means own funds 40 per cent, loans 60 per cent.")),
    Field("capital_shares", "investment", _l("Capital structure by country"),
          _l("Who owns the company's capital, by the owners' country; the shares must add up to 100 %.")),
    Field("jobs_total", "operations", _l("Jobs created, total"), _l("Permanent jobs when production runs.")),
    Field("jobs_local", "operations", _l("Of which local residents"),
          _l("Citizens of the country of this part of the centre; cannot exceed the total.")),
    Field("land_area_ha", "operations", _l("Land needed, hectares"),
          _l("E.g. 2.5. Each part of the centre is about 50 ha.")),
    Field("building_area_m2", "operations", _l("Buildings needed, m² (optional)"),
          _l("Leave empty if you will not rent or build premises."), required=_never),
    Field("priority_income_share", "operations", _l("Income from priority activities, %"),
          _l("Kazakh part: the share of income expected from the priority (manufacturing) activities; at least "
             "90 per cent is required for the benefits."), required=_kz_only),
    Field("has_branches_outside_zone", "operations", _l("Branches or representative offices outside the zone"),
          _l("Kazakh part: an SEZ participant may not have branches outside the zone."), required=_kz_only),
    Field("export_share", "operations", _l("Planned export share, percent of sales"), _l("E.g. 30.")),
    Field("construction_start", "timeline", _l("Start of construction")),
    Field("production_start", "timeline", _l("Start of production"),
          _l("Cannot be earlier than the start of construction.")),
    Field("foreign_documents_apostilled", "timeline", _l("Our foreign documents are apostilled"),
          _l("Your company is registered outside the country of this part of the centre: its documents must "
             "carry an apostille (or consular legalisation)."), required=_foreign),
)}

# Fields added after the API contract (shared/API.md): a submission through the API never fails for their
# absence. The pages still ask for them.
ADDED_AFTER_CONTRACT = frozenset({"foreign_documents_apostilled"})


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    intro: Any = None

    @property
    def fields(self) -> list[Field]:
        return [f for f in FIELDS.values() if f.section == self.key]


SECTIONS: dict[str, Section] = {s.key: s for s in (
    Section("project", _l("Project"), _l("Where you apply and what the project is about.")),
    Section("products", _l("Products"), _l("What the plant will make, and how much a year.")),
    Section("investment", _l("Investment and capital"), _l("How much you invest, in which currency, and who owns "
                                                           "the company.")),
    Section("operations", _l("Jobs, site and activity"), _l("Jobs, the land and buildings you need, and your "
                                                            "income and sales.")),
    Section("timeline", _l("Timeline and declarations"), _l("When construction and production start.")),
)}
DOCUMENTS_SECTION = "documents"

DOCUMENT_KINDS = ("charter", "registration_certificate", "director_id", "business_plan", "financial_statements",
                  "proof_of_funds", "other")
REQUIRED_DOCUMENTS = DOCUMENT_KINDS[:-1]
DOCUMENT_LABELS = {
    "charter": _l("Charter"),
    "registration_certificate": _l("Certificate of state registration"),
    "director_id": _l("Identity document of the director"),
    "business_plan": _l("Business plan or feasibility study"),
    "financial_statements": _l("Financial statements (for a company under a year old: opening balance)"),
    "proof_of_funds": _l("Proof of funds (bank letter, guarantee or pledge)"),
    "other": _l("Other documents (optional)"),
}


def section_of(path: str) -> str:
    """The section (or ``documents``) whose page holds the field at ``path``."""
    head = path.split(".", 1)[0]
    if head == "documents":
        return DOCUMENTS_SECTION
    field = FIELDS.get(head)
    return field.section if field else "project"


def label_of(path: str) -> Any:
    """A readable name for an error path: the field's label, the product row, the document."""
    parts = path.split(".")
    if parts[0] == "documents" and len(parts) > 1:
        return DOCUMENT_LABELS.get(parts[1], parts[1])
    if parts[0] == "products" and len(parts) == 3 and parts[1].isdigit():
        return _l("Product %(n)s: %(part)s", n=int(parts[1]) + 1, part=PRODUCT_PART_LABELS.get(parts[2], parts[2]))
    if parts[0] == "capital_shares" and len(parts) == 3 and parts[1].isdigit():
        part = _l("country") if parts[2] == "country" else _l("share, %")
        return _l("Capital structure, row %(n)s: %(part)s", n=int(parts[1]) + 1, part=part)
    if parts[0] == "capital_shares" and len(parts) == 2:
        return _l("Capital structure: %(key)s", key=parts[1])
    field = FIELDS.get(parts[0])
    return field.label if field else path


PRODUCT_PART_LABELS = {
    "name": _l("Product name"),
    "hs_code": _l("HS code"),
    "annual_volume": _l("Annual volume"),
    "unit": _l("Unit"),
}


# --- cleaning one value ---------------------------------------------------------------------------

class _Errors(dict):
    def add(self, path: str, message: Any) -> None:
        messages = self.setdefault(path, [])
        if message not in messages:
            messages.append(message)


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def clean_text(raw: Any) -> str:
    """Text as typed, without control characters (NUL and friends) and surrounding blanks."""
    text = unicodedata.normalize("NFC", str(raw))
    return _CONTROL.sub("", text).strip()


def parse_decimal(raw: Any) -> Decimal | None:
    """A number from JSON or from a person: ``1 500 000``, ``12,5``, ``1,000,000.50``; None if not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, Decimal)):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    if not isinstance(raw, str):
        return None
    text = re.sub(r"[\s\u00a0\u202f'’_]", "", raw)
    if "," in text and "." in text:
        text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1:
        text = text.replace(",", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _number(raw: Any, path: str, errors: _Errors, *, low: Decimal, high: Decimal, places: int,
            low_inclusive: bool = True, range_message: Any = None) -> Decimal | None:
    value = parse_decimal(raw)
    if value is None:
        errors.add(path, MSG_NUMBER)
        return None
    too_low = value < low if low_inclusive else value <= low
    if too_low or value > high:
        errors.add(path, range_message)
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places and value != value.quantize(Decimal(1).scaleb(-places)):
        errors.add(path, _l("Use at most %(n)s digits after the decimal point.", n=places))
        return None
    return value.quantize(Decimal(1).scaleb(-places))


def _integer(raw: Any, path: str, errors: _Errors) -> int | None:
    if isinstance(raw, bool):
        errors.add(path, MSG_WHOLE)
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = re.sub(r"[\s\u00a0\u202f]", "", raw) if isinstance(raw, str) else None
        if text is None or not re.fullmatch(r"[+-]?\d{1,9}", text):
            errors.add(path, MSG_WHOLE)
            return None
        value = int(text)
    if not 0 <= value <= MAX_JOBS:
        errors.add(path, _l("Enter a whole number from 0 to %(n)s.", n=f"{MAX_JOBS:,}".replace(",", " ")))
        return None
    return value


def parse_date(raw: Any) -> date | None:
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    match = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text)
    try:
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


def _date(raw: Any, path: str, errors: _Errors) -> date | None:
    value = parse_date(raw)
    if value is None:
        errors.add(path, MSG_DATE)
        return None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        errors.add(path, MSG_DATE_RANGE)
        return None
    return value


def _text(raw: Any, path: str, errors: _Errors, max_length: int, *, multiline: bool = False) -> str | None:
    if not isinstance(raw, (str, int, Decimal)) or isinstance(raw, bool):
        errors.add(path, MSG_TEXT)
        return None
    if problem := text_problem(str(raw), multiline=multiline):  # refused, never silently changed
        errors.add(path, problem)
        return None
    text = unicodedata.normalize("NFC", normalise_newlines(str(raw))).strip()
    if len(text) > max_length:
        errors.add(path, _max_length(max_length))
        return None
    return text or None


def _choice(raw: Any, path: str, errors: _Errors, choices: tuple[str, ...], message: Any,
            upper: bool = True) -> str | None:
    value = raw.strip() if isinstance(raw, str) else raw
    if upper and isinstance(value, str):
        value = value.upper()
    if value not in choices:
        errors.add(path, message)
        return None
    return value


def is_oked_code(code: str) -> bool:
    """Digits with dots, like 25, 25.1, 25.11 or 25.11.1 (the format only, not the catalogue)."""
    return bool(_OKED.match(code))


def parse_codes(raw: Any) -> list[str] | None:
    """OKED codes from a list or from text like ``22.21, 25.11; 28.30``; None when not a list or text."""
    if isinstance(raw, str):
        return [part for part in re.split(r"[\s,;]+", raw.strip()) if part]
    if isinstance(raw, (list, tuple)):
        return [clean_text(item) if isinstance(item, str) else item for item in raw]
    return None


def _codes(raw: Any, path: str, errors: _Errors) -> list[str] | None:
    codes = parse_codes(raw)
    if codes is None:
        errors.add(path, _l("Enter OKED codes separated by commas, e.g. 22.21, 25.11."))
        return None
    result: list[str] = []
    bad = [str(c) for c in codes if not isinstance(c, str) or not _OKED.match(c)]
    if bad:
        errors.add(path, _l("Not an OKED code: %(codes)s. Codes look like 25 or 25.1 or 25.11.",
                            codes=", ".join(bad[:5])))
        return None
    for code in codes:
        if code not in result:
            result.append(code)
    if len(result) > MAX_CODES:
        errors.add(path, _l("List at most %(n)s codes.", n=MAX_CODES))
        return None
    return result or None


def normalise_hs_code(raw: Any) -> str:
    return re.sub(r"[\s.\-]", "", clean_text(raw)) if isinstance(raw, (str, int)) else ""


def _products(raw: Any, path: str, errors: _Errors) -> list[dict] | None:
    if not isinstance(raw, (list, tuple)):
        errors.add(path, _l("Send a list of products."))
        return None
    if len(raw) > MAX_PRODUCTS:
        errors.add(path, _l("List at most %(n)s products.", n=MAX_PRODUCTS))
        return None
    rows: list[dict] = []
    for index, item in enumerate(raw):
        at = f"{path}.{index}"
        if not isinstance(item, Mapping):
            errors.add(at, _l("Each product is an object with name, hs_code, annual_volume and unit."))
            continue
        unknown = sorted(set(item) - set(PRODUCT_PART_LABELS))
        for key in unknown:
            errors.add(f"{at}.{key}", _l("Unknown field."))
        row: dict[str, Any] = {"name": None, "hs_code": None, "annual_volume": None, "unit": None}
        if not _blank(item.get("name")):
            row["name"] = _text(item["name"], f"{at}.name", errors, 200)
        if not _blank(item.get("hs_code")):
            code = normalise_hs_code(item["hs_code"])
            if _HS.match(code):
                row["hs_code"] = code
            else:
                errors.add(f"{at}.hs_code", _l("An HS code has 6 to 10 digits, e.g. 842482 or 8424820000."))
        if not _blank(item.get("annual_volume")):
            volume = _number(item["annual_volume"], f"{at}.annual_volume", errors, low=Decimal(0),
                             high=MAX_AMOUNT, places=3, low_inclusive=False,
                             range_message=_l("Enter an amount greater than 0."))
            row["annual_volume"] = None if volume is None else plain_decimal(volume)
        if not _blank(item.get("unit")):
            row["unit"] = _text(item["unit"], f"{at}.unit", errors, 30)
        rows.append({part: value for part, value in row.items() if value is not None})  # a draft row may be partial
    return rows


def plain_decimal(value: Decimal | None) -> str | None:
    """A decimal as a plain string without trailing zeros or exponent (``1500``, ``12.5``)."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _shares(raw: Any, path: str, errors: _Errors) -> dict[str, str] | None:
    """Capital shares from JSON (``{"KZ": 60}``) or from form rows (``[{"country", "percent"}]``)."""
    if isinstance(raw, Mapping):
        items = [(f"{path}.{key}", f"{path}.{key}", key, value) for key, value in raw.items()]
    elif isinstance(raw, (list, tuple)):
        items = []
        for index, row in enumerate(raw):
            if not isinstance(row, Mapping):
                errors.add(path, _l("Send an object mapping country codes to percentages, e.g. {\"KZ\": 60}."))
                return None
            items.append((f"{path}.{index}.country", f"{path}.{index}.percent", row.get("country"),
                          row.get("percent")))
    else:
        errors.add(path, _l("Send an object mapping country codes to percentages, e.g. {\"KZ\": 60}."))
        return None
    if len(items) > MAX_SHARES:
        errors.add(path, _l("List at most %(n)s countries.", n=MAX_SHARES))
        return None
    result: dict[str, str] = {}
    before = len(errors)
    for country_path, percent_path, country, percent in items:
        code = country.strip().upper() if isinstance(country, str) else country
        if not isinstance(code, str) or not is_country(code):
            errors.add(country_path, _l("Choose a country (ISO code of two letters, e.g. KZ)."))
            continue
        if code in result:
            errors.add(country_path, _l("This country is listed twice."))
            continue
        if _blank(percent):
            errors.add(percent_path, _l("Enter the percentage for this country."))
            continue
        value = _number(percent, percent_path, errors, low=Decimal(0), high=Decimal(100), places=2,
                        low_inclusive=False, range_message=_l("Enter a percentage greater than 0 and at most 100."))
        if value is not None:
            result[code] = plain_decimal(value)
    if len(errors) == before and result:
        total = sum(Decimal(v) for v in result.values())
        if total != 100:
            errors.add(path, _l("The shares add up to %(total)s %%; they must add up to 100 %%.",
                                total=plain_decimal(total)))
            return None
    return result or None


def _boolean(raw: Any, path: str, errors: _Errors) -> bool | None:
    if isinstance(raw, bool):
        return raw
    errors.add(path, MSG_BOOL)
    return None


def _percent(raw: Any, path: str, errors: _Errors) -> Decimal | None:
    return _number(raw, path, errors, low=Decimal(0), high=Decimal(100), places=2, range_message=MSG_PERCENT)


def _clean_one(name: str, raw: Any, errors: _Errors) -> Any:
    if name == "side":
        return _choice(raw, name, errors, SIDES, _l("Choose the Kazakh (KZ) or the Uzbek (UZ) part."))
    if name == "project_title":
        return _text(raw, name, errors, 300)
    if name == "project_description":
        return _text(raw, name, errors, 10000, multiline=True)
    if name == "sector":
        return _choice(raw, name, errors, SECTORS, _l("Choose a sector from the list."), upper=False)
    if name == "activity_codes":
        return _codes(raw, name, errors)
    if name == "products":
        return _products(raw, name, errors)
    if name == "investment_amount":
        return _number(raw, name, errors, low=Decimal(0), high=MAX_AMOUNT, places=2, low_inclusive=False,
                       range_message=_l("Enter an amount greater than 0 and at most 10¹⁵."))
    if name == "investment_currency":
        return _choice(raw, name, errors, CURRENCIES, _l("Choose USD, KZT or UZS."))
    if name in ("own_funds_share", "priority_income_share", "export_share"):
        return _percent(raw, name, errors)
    if name in ("jobs_total", "jobs_local"):
        return _integer(raw, name, errors)
    if name == "land_area_ha":
        return _number(raw, name, errors, low=Decimal(0), high=Decimal(100), places=4, low_inclusive=False,
                       range_message=_l("Enter an area greater than 0 and at most 100 ha."))
    if name == "building_area_m2":
        return _number(raw, name, errors, low=Decimal(0), high=Decimal(10_000_000), places=2, low_inclusive=False,
                       range_message=_l("Enter an area greater than 0 and at most 10 000 000 m²."))
    if name in ("has_branches_outside_zone", "foreign_documents_apostilled"):
        return _boolean(raw, name, errors)
    if name == "capital_shares":
        return _shares(raw, name, errors)
    if name in ("construction_start", "production_start"):
        return _date(raw, name, errors)
    raise KeyError(name)


def clean(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    """Validate the given fields (any subset; blank means "clear it"). Returns (values, errors).

    Unknown names are errors. Values are ready for the model: decimals, ints, dates, lists, dicts.
    """
    errors = _Errors()
    values: dict[str, Any] = {}
    for name, raw in data.items():
        if name not in FIELDS:
            errors.add(str(name), _l("Unknown field."))
            continue
        if _blank(raw) or (isinstance(raw, (list, tuple, dict)) and not raw):
            values[name] = None
            continue
        value = _clean_one(name, raw, errors)
        if name not in errors and not any(key.startswith(name + ".") for key in errors):
            values[name] = value
    return values, dict(errors)


def consistency(values: Mapping[str, Any]) -> dict[str, list]:
    """Rules between fields, on the application's values after a change (complete or not)."""
    errors = _Errors()
    total, local = values.get("jobs_total"), values.get("jobs_local")
    if total is not None and local is not None and local > total:
        errors.add("jobs_local", _l("Local jobs (%(local)s) cannot exceed the total (%(total)s).",
                                    local=local, total=total))
    start, production = values.get("construction_start"), values.get("production_start")
    if start is not None and production is not None and production < start:
        errors.add("production_start", _l("Production cannot start before construction (%(date)s).",
                                          date=start.isoformat()))
    return dict(errors)


def missing(values: Mapping[str, Any], country: str | None, document_kinds: set[str],
            optional: Collection[str] = ()) -> dict[str, list]:
    """Everything that stops submission: required fields, incomplete product rows, inconsistent values,
    the apostille declaration and every required document kind not uploaded (``documents.<kind>``).

    A field in ``optional`` does not stop it by its absence (its value is still checked), as
    ``ADDED_AFTER_CONTRACT`` for submissions through the API.
    """
    errors = _Errors()
    # Saved values passed these rules when they were saved; check again, as rules or data may have moved on.
    present = {name: value for name, value in values.items()
               if name in FIELDS and value is not None and value != [] and value != {}}
    for path, messages in clean(present)[1].items():
        for message in messages:
            errors.add(path, message)
    for field in FIELDS.values():
        if field.name in optional or not field.required(values, country):
            continue
        value = values.get(field.name)
        if value is None or value == [] or value == {}:
            errors.add(field.name, REQUIRED)
    for index, row in enumerate(values.get("products") or []):
        for part in PRODUCT_PART_LABELS:
            if not row.get(part):
                errors.add(f"products.{index}.{part}", REQUIRED)
    shares = values.get("capital_shares") or {}
    if shares and sum(Decimal(str(v)) for v in shares.values()) != 100:
        errors.add("capital_shares", _l("The shares must add up to 100 %."))
    if _foreign(values, country) and values.get("foreign_documents_apostilled") is False:
        errors.add("foreign_documents_apostilled",
                   _l("Foreign documents must be apostilled before you submit the application."))
    for path, messages in consistency(values).items():
        for message in messages:
            errors.add(path, message)
    for kind in REQUIRED_DOCUMENTS:
        if kind not in document_kinds:
            errors.add(f"documents.{kind}", _l("Upload this document."))
    return dict(errors)


def values_of(application) -> dict[str, Any]:
    """The application's current field values, by name."""
    return {name: getattr(application, name) for name in FIELDS}


def sections_with_problems(problems: Mapping[str, Any]) -> list[str]:
    """Section keys (in form order, documents last) that hold at least one of ``problems``."""
    keys = {section_of(path) for path in problems}
    return [key for key in [*SECTIONS, DOCUMENTS_SECTION] if key in keys]
