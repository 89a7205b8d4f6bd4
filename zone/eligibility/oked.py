"""OKED activity-code catalogue used by the application form.

OKED (the Kazakh/Uzbek classification of economic activities) follows NACE Rev. 2: a division
``25``, a group ``25.1``, a class ``25.11``, a national sub-class ``25.11.1``. Section C
(manufacturing) is divisions 10-33. Names are kept in ru and en (``oked.tsv``); kk and uz fall
back to ru, the language OKED is published in on both sides besides the state languages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from zone.vocabulary import OKED_CODE

from .criteria import code_overlaps

DATA_FILE = Path(__file__).with_name("oked.tsv")
MANUFACTURING_DIVISIONS = (10, 33)
#: Excluded codes of the shipped rule set 2026.1 (parameter ``oked.excluded``).
DEFAULT_EXCLUDED = ("11.01", "11.02", "11.03", "11.04", "11.05", "12", "19.20")


@dataclass(frozen=True, slots=True)
class OkedEntry:
    """One catalogue entry."""

    code: str
    name_ru: str
    name_en: str

    @property
    def level(self) -> str:
        """``division``, ``group``, ``class`` or ``subclass``."""
        parts = self.code.split(".")
        if len(parts) == 1:
            return "division"
        if len(parts) == 3:
            return "subclass"
        return "group" if len(parts[1]) == 1 else "class"

    @property
    def manufacturing(self) -> bool:
        return is_manufacturing(self.code)

    @property
    def excluded(self) -> bool:
        return is_excluded(self.code)

    def name(self, locale: str) -> str:
        """The name in ``locale`` (en for en, ru otherwise)."""
        return self.name_en if locale == "en" else self.name_ru

    def to_dict(self, locale: str) -> dict:
        return {
            "code": self.code,
            "name": self.name(locale),
            "level": self.level,
            "manufacturing": self.manufacturing,
            "excluded": self.excluded,
        }


def is_valid_code(code: object) -> bool:
    """Digits with dots: ``25``, ``10.1``, ``22.21``, ``11.01.1``."""
    return isinstance(code, str) and bool(OKED_CODE.match(code))


def is_manufacturing(code: str) -> bool:
    """True when ``code`` is in OKED section C (divisions 10-33)."""
    if not is_valid_code(code):
        return False
    low, high = MANUFACTURING_DIVISIONS
    return low <= int(code[:2]) <= high


def is_excluded(code: str, excluded: Iterable[str] = DEFAULT_EXCLUDED) -> bool:
    """True when ``code`` overlaps an excluded code (11.01.1 and 11.0 overlap 11.01; 12.00 is
    inside 12). Pass a rule set's ``oked.excluded`` value to use other exclusions."""
    return is_valid_code(code) and any(code_overlaps(code, item) for item in excluded)


@cache
def entries() -> tuple[OkedEntry, ...]:
    """The whole catalogue, in file order (divisions 10-33 first, then non-manufacturing)."""
    result = []
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, name_ru, name_en = line.split("\t")
        result.append(OkedEntry(code, name_ru, name_en))
    return tuple(result)


@cache
def _by_code() -> dict[str, OkedEntry]:
    return {entry.code: entry for entry in entries()}


def get(code: str) -> OkedEntry | None:
    """The catalogue entry for ``code``, or None."""
    return _by_code().get(code)


def search(query: str, locale: str = "ru", limit: int = 20) -> list[OkedEntry]:
    """Entries whose code starts with ``query`` or whose name (ru or en) contains it.

    Case-insensitive; code matches first, then name matches in ``locale``'s language first.
    An empty query returns nothing.
    """
    needle = (query or "").strip().casefold()
    if not needle:
        return []
    by_code, by_name, by_other = [], [], []
    for entry in entries():
        if entry.code.startswith(needle):
            by_code.append(entry)
        elif needle in entry.name(locale).casefold():
            by_name.append(entry)
        elif needle in entry.name_en.casefold() or needle in entry.name_ru.casefold():
            by_other.append(entry)
    return (by_code + by_name + by_other)[: max(limit, 0)]
