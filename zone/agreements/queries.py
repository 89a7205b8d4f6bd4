"""Reading agreements: lookups, the staff list (keyset pages, newest first), revisions and history."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from zone.agreements.models import (
    Agreement,
    AgreementAmendment,
    AgreementEvent,
    AgreementRevision,
    AgreementStatus,
)
from zone.extensions import db

NUMBER_PATTERN = re.compile(r"^AG-(KZ|UZ)-\d{4}-\d{6}$")


def normalise_number(value: str | None) -> str:
    return "".join((value or "").split())[:24].upper()


def by_number(number: str) -> Agreement | None:
    number = normalise_number(number)
    if not NUMBER_PATTERN.match(number):
        return None
    return db.session.scalars(select(Agreement).where(Agreement.number == number)).first()


def for_update(number: str) -> Agreement | None:
    """The agreement locked until the transaction ends (a row lock on PostgreSQL)."""
    number = normalise_number(number)
    if not NUMBER_PATTERN.match(number):
        return None
    return db.session.scalars(
        select(Agreement).where(Agreement.number == number).with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def of_application(application_id: int) -> Agreement | None:
    return db.session.scalars(select(Agreement).where(Agreement.application_id == application_id)).first()


def revisions(agreement: Agreement) -> list[AgreementRevision]:
    return list(db.session.scalars(
        select(AgreementRevision).where(AgreementRevision.agreement_id == agreement.id)
        .options(selectinload(AgreementRevision.amendment)).order_by(AgreementRevision.number)))


def revision(agreement: Agreement, number: int | None = None) -> AgreementRevision | None:
    """Revision ``number`` of the agreement (default: the current one)."""
    wanted = agreement.revision if number is None else number
    return db.session.scalars(select(AgreementRevision).where(
        AgreementRevision.agreement_id == agreement.id, AgreementRevision.number == wanted)).first()


def revision_for_update(agreement: Agreement) -> AgreementRevision | None:
    return db.session.scalars(select(AgreementRevision).where(
        AgreementRevision.agreement_id == agreement.id, AgreementRevision.number == agreement.revision)
        .with_for_update().execution_options(populate_existing=True)).first()


def amendments(agreement: Agreement) -> list[AgreementAmendment]:
    return list(db.session.scalars(select(AgreementAmendment).where(AgreementAmendment.agreement_id == agreement.id)
                                   .order_by(AgreementAmendment.number)))


def amendment(agreement: Agreement, number: int) -> AgreementAmendment | None:
    return db.session.scalars(select(AgreementAmendment).where(
        AgreementAmendment.agreement_id == agreement.id, AgreementAmendment.number == number)).first()


def pending_amendment(agreement: Agreement) -> AgreementAmendment | None:
    return db.session.scalars(select(AgreementAmendment).where(
        AgreementAmendment.agreement_id == agreement.id,
        AgreementAmendment.status == "proposed")).first()


def history(agreement: Agreement) -> list[AgreementEvent]:
    return list(db.session.scalars(select(AgreementEvent).where(AgreementEvent.agreement_id == agreement.id)
                                   .order_by(AgreementEvent.id)))


def events_since(agreement: Agreement, version: int) -> list[AgreementEvent]:
    return list(db.session.scalars(select(AgreementEvent).where(
        AgreementEvent.agreement_id == agreement.id, AgreementEvent.version > version).order_by(AgreementEvent.id)))


@dataclass
class AgreementFilter:
    """Staff list filters (all optional)."""

    status: str | None = None
    side: str | None = None
    company_id: int | None = None


def filter_from_args(args) -> tuple[AgreementFilter, list[str]]:
    """A list filter from query arguments, and the names of the arguments that were invalid."""
    errors = []
    f = AgreementFilter()
    status = args.get("status") or None
    if status and status not in {s.value for s in AgreementStatus}:
        errors.append("status")
    else:
        f.status = status
    side = (args.get("side") or "").upper() or None
    if side and side not in ("KZ", "UZ"):
        errors.append("side")
    else:
        f.side = side
    return f, errors


def filtered(f: AgreementFilter) -> Select:
    """The agreements matching ``f``, newest first (id descending)."""
    stmt = select(Agreement).options(selectinload(Agreement.certificate))
    if f.status:
        stmt = stmt.where(Agreement.status == f.status)
    if f.side:
        stmt = stmt.where(Agreement.side == f.side)
    if f.company_id is not None:
        stmt = stmt.where(Agreement.company_id == f.company_id)
    return stmt.order_by(Agreement.id.desc())


def page(stmt: Select, limit: int, after_id: int | None) -> tuple[list[Agreement], int | None]:
    """One keyset page of a statement ordered by id descending, and the id to continue after."""
    if after_id is not None:
        stmt = stmt.where(Agreement.id < after_id)
    rows = list(db.session.scalars(stmt.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more and rows else None)
