"""Reading a site's values as typed (a form, a JSON body, a surveyor's CSV row): one definition of valid.

Every reader returns the cleaned value or adds a translated message under the field's name; nothing
raises, so a whole CSV row (or form) is reported at once.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l

from zone.sites import geometry
from zone.sites.models import SiteKind, SiteStatus
from zone.vocabulary import CURRENCIES, SIDES

CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
MAX_AREA = Decimal("9999999999")  # m² (Numeric(12, 2))
MAX_UTILITY = Decimal("99999999")  # kW, m³/day, m³/h (Numeric(10, 2))
MAX_RENT = Decimal("9999999999")
PLAN_EXTENT = 100_000.0  # plan metres: a side's plan is at most 100 km across
MAX_POINTS = 200
MAX_NAME = 200
FIELDS = ("code", "side", "kind", "name", "area_m2", "power_kw", "water_m3_day", "gas_m3_h", "rent_per_m2_year",
          "currency", "status", "outline")
NUMBERS = {"area_m2": MAX_AREA, "power_kw": MAX_UTILITY, "water_m3_day": MAX_UTILITY, "gas_m3_h": MAX_UTILITY,
           "rent_per_m2_year": MAX_RENT}


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text)


def code_value(value: Any, errors: dict) -> str | None:
    text = value.strip().upper() if isinstance(value, str) else ""
    if not CODE.match(text):
        errors["code"] = [_l("A site code is 2 to 20 capital Latin letters, digits or hyphens, e.g. KZ-B01.")]
        return None
    return text


def _choice(value: Any, field: str, allowed, message, errors: dict) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    lowered = text.upper() if field in ("side", "currency") else text.lower()
    if lowered not in allowed:
        errors[field] = [message]
        return None
    return lowered


def number_value(value: Any, field: str, errors: dict, *, required: bool = True) -> Decimal | None:
    """A finite number ≥ 0 (area: > 0) with at most two decimals, not above the column's range."""
    if blank(value):
        if required:
            errors[field] = [_l("This field is required.")]
            return None
        return Decimal(0)
    if isinstance(value, bool):
        errors[field] = [_l("Enter a number.")]
        return None
    if isinstance(value, float) and not math.isfinite(value):
        errors[field] = [_l("Enter a finite number.")]
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except (InvalidOperation, ValueError):
        errors[field] = [_l("Enter a number.")]
        return None
    if not number.is_finite():
        errors[field] = [_l("Enter a finite number.")]
        return None
    if number < 0:
        errors[field] = [_l("The value cannot be negative.")]
        return None
    if field == "area_m2" and number == 0:
        errors[field] = [_l("The area must be greater than zero.")]
        return None
    if number > NUMBERS[field]:
        errors[field] = [_l("The value is too large (at most %(max)s).", max=NUMBERS[field])]
        return None
    rounded = number.quantize(Decimal("0.01"))
    if rounded != number:
        errors[field] = [_l("At most two decimals.")]
        return None
    return rounded


def outline_value(value: Any, errors: dict) -> list[list[float]] | None:
    """``[[x, y], ...]`` or the surveyor's ``"x y; x y; ..."``: 3 to 200 points in plan metres, a simple polygon."""
    points: list = []
    if isinstance(value, str):
        parts = [p for p in value.replace("|", ";").split(";") if p.strip()]
        for part in parts:
            pair = part.replace(",", " ").split()
            if len(pair) != 2:
                errors["outline"] = [_l("Write the outline as points “x y” separated by semicolons, e.g. "
                                        "“0 0; 40 0; 40 30; 0 30”.")]
                return None
            points.append(pair)
    elif isinstance(value, list):
        points = value
    else:
        errors["outline"] = [_l("The outline is required: at least three points of the plan.")]
        return None
    if not 3 <= len(points) <= MAX_POINTS:
        errors["outline"] = [_l("An outline has 3 to %(n)s points.", n=MAX_POINTS)]
        return None
    cleaned = []
    for point in points:
        if not isinstance(point, (list, tuple)) or len(point) != 2:
            errors["outline"] = [_l("Each point of the outline is a pair of numbers (x, y).")]
            return None
        try:
            x, y = (float(Decimal(str(c).strip())) if not isinstance(c, bool) else math.nan for c in point)
        except (InvalidOperation, ValueError):
            errors["outline"] = [_l("Each point of the outline is a pair of numbers (x, y).")]
            return None
        if not (math.isfinite(x) and math.isfinite(y) and 0 <= x <= PLAN_EXTENT and 0 <= y <= PLAN_EXTENT):
            errors["outline"] = [_l("Points of the outline lie on the plan: 0 to %(max)s metres.",
                                    max=int(PLAN_EXTENT))]
            return None
        cleaned.append([round(x, 2), round(y, 2)])
    if cleaned[0] == cleaned[-1]:
        cleaned.pop()  # a closed ring repeats its first point
    if len(cleaned) < 3 or not geometry.is_simple([tuple(p) for p in cleaned]):
        errors["outline"] = [_l("The outline crosses itself or encloses no area.")]
        return None
    return cleaned


def clean(values: dict[str, Any], *, partial_code: str | None = None) -> tuple[dict[str, Any], dict[str, list]]:
    """The site's values from ``values`` (strings or JSON types) and the messages per field.

    ``partial_code``: an edit of that site, whose code does not change."""
    errors: dict[str, list] = {}
    data: dict[str, Any] = {}
    data["code"] = partial_code or code_value(values.get("code"), errors)
    data["side"] = _choice(values.get("side"), "side", SIDES,
                           _l("Unknown side: write KZ (the Kazakh part) or UZ (the Uzbek part)."), errors)
    data["kind"] = _choice(values.get("kind"), "kind", {k.value for k in SiteKind},
                           _l("Unknown kind: write plot or building."), errors)
    name = values.get("name")
    name = name.strip() if isinstance(name, str) else ""
    if has_control(name):
        errors["name"] = [_l("The name contains control characters.")]
    elif len(name) > MAX_NAME:
        errors["name"] = [_l("At most %(n)s characters.", n=MAX_NAME)]
    data["name"] = name
    data["area_m2"] = number_value(values.get("area_m2"), "area_m2", errors)
    for field in ("power_kw", "water_m3_day", "gas_m3_h"):
        data[field] = number_value(values.get(field), field, errors, required=False)
    data["rent_per_m2_year"] = number_value(values.get("rent_per_m2_year"), "rent_per_m2_year", errors)
    data["currency"] = _choice(values.get("currency"), "currency", CURRENCIES,
                               _l("Unknown currency: write USD, KZT or UZS."), errors)
    status = values.get("status")
    data["status"] = (SiteStatus.FREE.value if blank(status) else
                      _choice(status, "status", {s.value for s in SiteStatus},
                              _l("Unknown status: write free, reserved or leased."), errors))
    data["outline"] = outline_value(values.get("outline"), errors)
    return data, errors
