"""Reading compliance cases: the staff queue (keyset pages, filters by side, condition and stage), the
counts by stage and side for the dashboard, a certificate's cases and letters."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select, tuple_
from sqlalchemy.orm import selectinload

from zone.api.common import decode_cursor, encode_cursor
from zone.compliance.models import ComplianceCase, ComplianceNotice
from zone.compliance.workflow import OPEN_STAGES, Stage
from zone.errors import ZoneError
from zone.extensions import db

CONDITION_MAX = 60


@dataclass
class CaseFilter:
    side: str | None = None
    condition: str | None = None
    stage: str | None = None
    open_only: bool = True
    company_id: int | None = None
    errors: list[str] = field(default_factory=list)


def filter_from_args(args) -> CaseFilter:
    """?side=, ?condition=, ?stage= (a stage, ``open`` (default) or ``all``); unknown values in ``errors``."""
    f = CaseFilter()
    side = args.get("side") or None
    if side is not None:
        if side in ("KZ", "UZ"):
            f.side = side
        else:
            f.errors.append("side")
    condition = (args.get("condition") or "").strip()
    if condition:
        if len(condition) <= CONDITION_MAX:
            f.condition = condition
        else:
            f.errors.append("condition")
    stage = args.get("stage") or "open"
    if stage == "all":
        f.open_only = False
    elif stage != "open":
        if stage in {s.value for s in Stage}:
            f.stage, f.open_only = stage, False
        else:
            f.errors.append("stage")
    return f


def filtered(f: CaseFilter):
    stmt = select(ComplianceCase).options(selectinload(ComplianceCase.certificate),
                                          selectinload(ComplianceCase.proposal))
    if f.side:
        stmt = stmt.where(ComplianceCase.side == f.side)
    if f.condition:
        stmt = stmt.where(ComplianceCase.condition_id == f.condition)
    if f.stage:
        stmt = stmt.where(ComplianceCase.stage == f.stage)
    if f.open_only:
        stmt = stmt.where(ComplianceCase.open.is_(True))
    if f.company_id is not None:
        stmt = stmt.where(ComplianceCase.company_id == f.company_id)
    return stmt


def bad_cursor() -> ZoneError:
    return ZoneError(_l("The cursor is not valid; start again from the first page."), code="bad_cursor")


def page(stmt, limit: int, cursor: str | None) -> tuple[list[ComplianceCase], str | None]:
    """One page, newest case first (by id), after ``cursor``; and the next page's cursor."""
    values = decode_cursor(cursor, 1)
    if values is not None:
        if isinstance(values[0], bool) or not isinstance(values[0], int):
            raise bad_cursor()
        stmt = stmt.where(tuple_(ComplianceCase.id) < tuple_(literal(values[0])))
    rows = list(db.session.scalars(stmt.order_by(ComplianceCase.id.desc()).limit(limit + 1)))
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_cursor([rows[-1].id])
    return rows, None


def stage_side_counts() -> dict[str, dict[str, int]]:
    """Open cases by stage and side, every open stage listed in ladder order (zero included); one query."""
    counts: dict[str, dict[str, int]] = {s.value: {} for s in Stage if s in OPEN_STAGES}
    for stage, side, n in db.session.execute(select(ComplianceCase.stage, ComplianceCase.side, func.count())
                                             .where(ComplianceCase.open.is_(True))
                                             .group_by(ComplianceCase.stage, ComplianceCase.side)).tuples():
        counts.setdefault(stage, {})[side] = n
    return counts


def cases_of(certificate_id: int) -> list[ComplianceCase]:
    return list(db.session.scalars(select(ComplianceCase).where(ComplianceCase.certificate_id == certificate_id)
                                   .order_by(ComplianceCase.id.desc())))


def open_stages_of(certificate_ids: list[int]) -> dict[int, list[str]]:
    """The stages of the open cases of these certificates (one query; for lists and exports)."""
    found: dict[int, list[str]] = {}
    if certificate_ids:
        for certificate_id, stage in db.session.execute(
                select(ComplianceCase.certificate_id, ComplianceCase.stage)
                .where(ComplianceCase.certificate_id.in_(certificate_ids), ComplianceCase.open.is_(True))):
            found.setdefault(certificate_id, []).append(stage)
    return found


def notices_of(case_ids: list[int]) -> list[ComplianceNotice]:
    if not case_ids:
        return []
    return list(db.session.scalars(select(ComplianceNotice).where(ComplianceNotice.case_id.in_(case_ids))
                                   .order_by(ComplianceNotice.id)))


def notice(notice_id: int) -> ComplianceNotice | None:
    return db.session.get(ComplianceNotice, notice_id)


def evaluation(certificate, on_date):
    """The certificate's compliance as of ``on_date`` under the rule set in force then; changes nothing."""
    from zone.compliance.engine import evaluate
    from zone.compliance.facts import load
    from zone.compliance.ruleset import registry

    return evaluate(registry().for_date(on_date), load([certificate])[certificate.id], on_date)
