"""Audit events and the chain head.

``audit_events`` is append-only: database triggers refuse UPDATE and DELETE, and the head only moves
forward (see ``ddl.py``). Each
event's ``hash`` covers the previous event's hash and its own canonical content, so editing, deleting,
inserting or reordering any entry breaks the chain at that entry. ``audit_head`` is a single row
holding the last sequence number and hash; writers lock it, which keeps the sequence gap-free.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from zone.audit import ddl
from zone.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor: Mapped[str | None] = mapped_column(String(254))  # email or "system", kept if the user goes
    ip: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(80))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (db.Index("ix_audit_events_object", "object_type", "object_id"),)


class AuditHead(db.Model):
    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    hash: Mapped[str] = mapped_column(String(64), default="")


event.listen(AuditHead.__table__, "after_create", ddl.SEED_HEAD)
for _table, _dialect, _statements in (
    (AuditEvent.__table__, "postgresql", ddl.EVENTS_POSTGRESQL),
    (AuditEvent.__table__, "sqlite", ddl.EVENTS_SQLITE),
    (AuditHead.__table__, "postgresql", ddl.HEAD_POSTGRESQL),
    (AuditHead.__table__, "sqlite", ddl.HEAD_SQLITE),
):
    for _statement in _statements:
        event.listen(_table, "after_create", _statement.execute_if(dialect=_dialect))
