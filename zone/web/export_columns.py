"""Export columns: one list per export, each column a stable machine name and a title in the reader's language.

A download from a web page heads its columns with the titles (as XLSX does); ``?header=machine`` on the
same link gives the machine names, for integrators whose scripts read the file by column. The JSON API's
CSV keeps the machine names. Either way the cells are the same: ISO dates and times, codes as stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import LazyString

MACHINE = "machine"


@dataclass(frozen=True)
class Column:
    name: str
    title: LazyString | str


def names(columns: Iterable[Column]) -> list[str]:
    return [c.name for c in columns]


def titles(columns: Iterable[Column]) -> list[str]:
    """The titles in the current language (read now: a streamed body has no request to translate in)."""
    return [str(c.title) for c in columns]


def wants_machine_names(args: Mapping[str, str]) -> bool:
    """Whether the link asks for the machine-readable header (``?header=machine``)."""
    return args.get("header") == MACHINE


def header(columns: Iterable[Column], *, machine: bool) -> list[str]:
    return names(columns) if machine else titles(columns)
