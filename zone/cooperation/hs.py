"""The shipped HS nomenclature (HS 2022, see ``data/README.md``): validate a code, name it, search it.

The file is read once per process into memory (about 7,000 rows, under 1 MB); validation and names
need no database. A need or an offer is made at the 6-digit level (a subheading that exists in the
edition); matching uses the 4-digit heading and the 2-digit chapter of those codes.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

EDITION = "HS 2022"
SOURCE = "WCO Harmonized System 2022, via datasets/harmonized-system (UN Comtrade, ODC PDDL 1.0)"
DATA_FILE = Path(__file__).parent / "data" / "hs2022.csv"
SUBHEADING = re.compile(r"^\d{6}$")
SEPARATORS = re.compile(r"[\s.\-]")
MAX_QUERY = 100


@dataclass(frozen=True)
class Entry:
    code: str
    section: str
    name_en: str
    name_ru: str

    @property
    def level(self) -> int:
        return len(self.code)


@lru_cache(maxsize=1)
def nomenclature() -> dict[str, Entry]:
    """Every chapter, heading and subheading of the edition by code."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: Entry(row["code"], row["section"], row["name_en"], row["name_ru"])
                for row in csv.DictReader(handle)}


def normalise(raw: object) -> str:
    """``"3904 10"``, ``"3904.10"`` and ``390410`` all become ``"390410"``; anything else ``""``."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        return ""
    return SEPARATORS.sub("", str(raw))[:32]


def subheading_of(raw: object) -> str | None:
    """The 6-digit subheading a code names (a longer national code is cut to its first six digits), if the
    edition has it; None otherwise."""
    code = normalise(raw)
    if not code.isdigit() or not 6 <= len(code) <= 10:
        return None
    code = code[:6]
    return code if SUBHEADING.match(code) and code in nomenclature() else None


def exists(code: str) -> bool:
    return code in nomenclature()


def name(code: str, locale: str = "en") -> str:
    """The code's own name: Russian for a Russian reader where the file has one (chapters), else English."""
    entries = nomenclature()
    entry = entries.get(code)
    if entry is None:
        return ""
    if locale == "ru" and entry.name_ru:
        return entry.name_ru
    return entry.name_en


def chapter_name(code: str, locale: str = "en") -> str:
    chapter = nomenclature().get(code[:2])
    if chapter is None:
        return ""
    return chapter.name_ru if locale in ("ru", "kk", "uz") and chapter.name_ru else chapter.name_en


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=1)
def _index() -> list[tuple[str, str, Entry]]:
    return [(entry.code, _fold(f"{entry.name_en} {chapter_name(entry.code, 'ru')}"), entry)
            for entry in nomenclature().values()]


def search(query: str, *, limit: int = 20, subheadings_only: bool = True) -> list[Entry]:
    """Entries whose code starts with the digits of ``query`` or whose English name (or Russian chapter
    name) contains every word of it; codes first, in code order."""
    query = (query or "")[:MAX_QUERY].strip()
    if not query:
        return []
    digits = normalise(query)
    found: list[Entry] = []
    if digits.isdigit():
        found = [entry for code, _text, entry in _index() if code.startswith(digits)
                 and (entry.level == 6 or not subheadings_only)]
    else:
        words = [_fold(word) for word in query.split() if word]
        found = [entry for _code, text, entry in _index() if all(word in text for word in words)
                 and (entry.level == 6 or not subheadings_only)]
    return found[:max(1, min(limit, 50))]
