"""The open-data files: CSV made from the current figures, each with its data dictionary (every column's
unit, definition and source), its as-of time and the SHA-256 of its bytes."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from zone.vocabulary import SIDES


@dataclass(frozen=True)
class Column:
    name: str
    unit: object
    definition: object
    source: object


@dataclass(frozen=True)
class Dataset:
    name: str
    title: object
    columns: tuple[Column, ...]
    rows: Callable[[dict], list[list]]


CERTS = _l("Residency certificates (register of residents)")
APPS = _l("Applications for residency")
REPORTS = _l("Residents' accepted quarterly and annual reports")
REQUESTS = _l("Contact requests between residents (cooperation)")
SIDE = Column("side", "—", _l("Side of the centre: KZ (Kazakh part) or UZ (Uzbek part)."), CERTS)


def _residents(f: dict) -> list[list]:
    return [[side, sector, counts[side]] for sector, counts in f["residents"]["by_sector"].items() for side in SIDES]


def _statuses(f: dict) -> list[list]:
    return [[side, status, counts[side]] for status, counts in f["residents"]["by_status"].items() for side in SIDES]


def _indicators(f: dict) -> list[list]:
    c, r, m = f["committed"], f["reported"], f["matchmaking"]
    return [[side, c[side]["investment_usd"], r[side]["investment_usd"], c[side]["jobs"], r[side]["jobs"],
             r[side]["exports_usd"], r[side]["cross_side_trade_usd"], m[side]["requests"], m[side]["contacts"],
             m[side]["contracts"], m[side]["contracts_usd"]] for side in SIDES]


def _processing(f: dict) -> list[list]:
    return [[step, values["count"], values["median"], values["p90"]] for step, values in f["processing"].items()]


def _quarters(f: dict) -> list[list]:
    t = f["trends"]
    keys = ("submitted", "approved", "rejected", "certificates", "requests", "contracts")
    return [[quarter, *(t[key][index] for key in keys)] for index, quarter in enumerate(t["quarters"])]


def _count(name: str, definition, source) -> Column:
    return Column(name, _l("number"), definition, source)


USD = _l("US dollars")
DATASETS = (
    Dataset("residents-by-sector", _l("Residents by side and sector"), (
        SIDE,
        Column("sector", "—", _l("Sector code of the resident's certificate (DOMAIN sector list)."), CERTS),
        _count("residents", _l("Companies with a live (active or suspended) certificate."), CERTS),
    ), _residents),
    Dataset("certificates-by-status", _l("Certificates by side and status"), (
        SIDE,
        Column("status", "—", _l("Certificate status: active, suspended, revoked or expired (the latest "
                                 "certificate of each resident)."), CERTS),
        _count("certificates", _l("Certificates in that status."), CERTS),
    ), _statuses),
    Dataset("indicators", _l("Zone indicators by side"), (
        SIDE,
        Column("investment_committed_usd", USD, _l("Investment the residents committed in their applications, "
                                                   "converted at submission."), APPS),
        Column("investment_realised_usd", USD, _l("Cumulative investment in each resident's latest accepted "
                                                   "report, at the rate in force on the as-of date."), REPORTS),
        _count("jobs_committed", _l("Jobs the residents committed in their applications."), APPS),
        _count("jobs_actual", _l("Jobs at the end of each resident's latest accepted report."), REPORTS),
        Column("exports_usd", USD, _l("Export revenue in accepted quarterly reports of the last four quarters."),
               REPORTS),
        Column("cross_side_trade_usd", USD, _l("Sales to residents of the other side in accepted quarterly "
                                               "reports of the last four quarters."), REPORTS),
        _count("contact_requests", _l("Contact requests the side's residents sent."), REQUESTS),
        _count("contacts", _l("Of them, accepted by the other company."), REQUESTS),
        _count("contracts", _l("Of them, with a contract recorded."), REQUESTS),
        Column("contracts_usd", USD, _l("Yearly value of the contracts recorded, where given."), REQUESTS),
    ), _indicators),
    Dataset("processing-times", _l("Processing times over the last 12 months"), (
        Column("step", "—", _l("submission_to_decision, decision_to_certificate or submission_to_certificate."),
               APPS),
        _count("count", _l("Applications or certificates measured."), APPS),
        Column("median_days", _l("days"), _l("Median of the measured durations."), APPS),
        Column("p90_days", _l("days"), _l("90th percentile (nearest rank) of the measured durations."), APPS),
    ), _processing),
    Dataset("quarters", _l("Activity by quarter"), (
        Column("quarter", "—", _l("Calendar quarter, e.g. 2026-Q3 (UTC)."), APPS),
        _count("submitted", _l("Applications submitted."), APPS),
        _count("approved", _l("Applications approved."), APPS),
        _count("rejected", _l("Applications rejected."), APPS),
        _count("certificates", _l("First certificates issued."), CERTS),
        _count("contact_requests", _l("Contact requests sent."), REQUESTS),
        _count("contracts", _l("Contracts recorded."), REQUESTS),
    ), _quarters),
)
BY_NAME = {dataset.name: dataset for dataset in DATASETS}


def csv_bytes(dataset: Dataset, figures: dict) -> bytes:
    """The file: a header of column names, then the rows; UTF-8, comma-separated, LF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([column.name for column in dataset.columns])
    writer.writerows(dataset.rows(figures))
    return out.getvalue().encode("utf-8")


def catalogue(figures: dict) -> list[dict]:
    """Every file with its size and SHA-256 as of the figures' time."""
    listed = []
    for dataset in DATASETS:
        data = csv_bytes(dataset, figures)
        listed.append({"dataset": dataset, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                       "rows": data.count(b"\n") - 1})
    return listed
